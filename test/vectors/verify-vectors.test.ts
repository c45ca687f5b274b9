// sigvet's own vectors (test-vectors/, made by vectors/generator): every
// case gives its expected verdict, and each failing case fails with the
// error code its manifest names, with every crypto provider and both modes.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVerifierWith, type CryptoProvider } from '../../src/api.js';
import { nodeCryptoProvider } from '../../src/crypto/node.js';
import { webCryptoProvider } from '../../src/crypto/webcrypto.js';
import { nobleProvider } from '../../src/crypto/noble.js';
import { SigvetError } from '../../src/errors.js';
import { inputFor, readCases } from '../helpers/cases.js';

const DIR = resolve(__dirname, '../../test-vectors');
const cases = readCases(DIR);
const providers: [string, CryptoProvider][] = [
  ['node', nodeCryptoProvider],
  ['webcrypto', webCryptoProvider],
  ['noble', nobleProvider],
];

describe('test-vectors through the API', () => {
  it('has pass and fail cases, each failing case naming its error code', () => {
    expect(cases.some((c) => c.expect === 'pass')).toBe(true);
    for (const c of cases.filter((x) => x.expect === 'fail')) expect(c.expected_error_code, c.name).toBeTruthy();
  });
  for (const [pname, provider] of providers) {
    for (const c of cases) {
      for (const mode of c.modes ?? ['path', 'digest']) {
        it(`${pname}: ${c.name} [${mode}] ${c.expect}s`, async () => {
          // Building the verifier is part of the run: trusted-root cases fail there.
          const run = createVerifierWith(provider, { trustedRoot: readFileSync(join(DIR, c.trusted_root), 'utf8') }).then((v) =>
            v.verify(readFileSync(join(DIR, c.bundle), 'utf8'), inputFor(DIR, c, mode)),
          );
          if (c.expect === 'pass') {
            await expect(run).resolves.toMatchObject({ verifiedTimes: expect.any(Array) });
          } else {
            const err = await run.then(() => undefined, (e: unknown) => e);
            expect(err, 'must be rejected').toBeInstanceOf(SigvetError);
            expect((err as SigvetError).code, (err as SigvetError).message).toBe(c.expected_error_code);
            if (c.expected_check) expect((err as SigvetError).check, (err as SigvetError).message).toBe(c.expected_check);
          }
        });
      }
    }
  }
});
