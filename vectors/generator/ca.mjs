// A Fulcio-like certificate authority: a self-signed root and an
// intermediate (P-384 by default, P-256 on request), and short-lived
// code-signing leaves with Fulcio's profile
// (empty subject, critical SAN, OIDC issuer and CI extensions, an embedded
// SCT obtained through the precertificate flow of RFC 6962 §3.1).

import { EcKey, deriveBytes } from './keys.mjs';
import { name, ext, extension, tbsCertificate, signCertificate, OID } from './x509.mjs';
import { seq, bits } from './der.mjs';
import { sctListTls } from './ctlog.mjs';

const MINUTE = 60_000;

/** A positive 20-byte serial number derived from a label. */
function serialFor(seed, label) {
  const s = deriveBytes(seed, `serial:${label}`, 20);
  s[0] = (s[0] & 0x3f) | 0x40;
  return s;
}

function bytesEqual(a, b) {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export class FulcioCa {
  /**
   * @param {string} seed
   * @param {string} label distinguishes this CA's keys from other CAs'
   * @param {object} o names, validity, and optional key identifiers to reuse
   *   (a rogue CA copies the real CA's identifiers so that only a signature
   *   check tells them apart)
   */
  constructor(seed, label, o) {
    this.seed = seed;
    this.label = label;
    this.uri = o.uri;
    this.subject = { organization: o.organization, commonName: o.rootCommonName };
    const curve = o.curve ?? 'P-384';
    this.rootKey = new EcKey(seed, `ca:${label}:root`, curve);
    this.intermediateKey = new EcKey(seed, `ca:${label}:intermediate`, curve);
    this.rootName = name(this.subject);
    this.intermediateName = name({ organization: o.organization, commonName: o.intermediateCommonName });
    this.rootKeyId = o.keyIdentifiers?.root ?? this.rootKey.keyIdentifier;
    this.intermediateKeyId = o.keyIdentifiers?.intermediate ?? this.intermediateKey.keyIdentifier;
    this.notBefore = o.notBefore;
    this.notAfter = o.notAfter;

    this.root = signCertificate(
      tbsCertificate({
        serial: serialFor(seed, `ca:${label}:root`),
        sigAlgId: this.rootKey.sigAlgId,
        issuer: this.rootName,
        notBefore: o.notBefore,
        notAfter: o.notAfter,
        subject: this.rootName,
        spki: this.rootKey.spki,
        extensions: [
          ext.keyUsageCa(),
          ext.basicConstraints(true),
          ext.subjectKeyIdentifier(this.rootKeyId),
          ext.authorityKeyIdentifier(this.rootKeyId),
        ],
      }),
      this.rootKey,
    );
    this.intermediate = signCertificate(
      tbsCertificate({
        serial: serialFor(seed, `ca:${label}:intermediate`),
        sigAlgId: this.rootKey.sigAlgId,
        issuer: this.rootName,
        notBefore: o.notBefore,
        notAfter: o.intermediateNotAfter ?? o.notAfter,
        subject: this.intermediateName,
        spki: this.intermediateKey.spki,
        extensions: [
          // `intermediateWithoutCertSign`: a CA certificate that may not sign certificates (one case).
          o.intermediateWithoutCertSign ? ext.keyUsageDigitalSignature() : ext.keyUsageCa(),
          ext.extKeyUsage(OID.codeSigning),
          ext.basicConstraints(true, 0),
          ext.subjectKeyIdentifier(this.intermediateKeyId),
          ext.authorityKeyIdentifier(this.rootKeyId),
        ],
      }),
      this.rootKey,
    );
  }

  /** The chain as the trusted root lists it: intermediate first, then root. */
  get chain() {
    return [this.intermediate, this.root];
  }

  /**
   * Issues a leaf certificate for `subjectKey` with an embedded SCT from `ctLog`.
   *
   * Options that make a deliberately bad certificate (each used by one case):
   * `leafIsCa` (basicConstraints CA:TRUE), `omitCodeSigningEku`,
   * `keyUsage: 'keyEncipherment'` (no digitalSignature), `unknownCriticalExtension`,
   * `oidcIssuerV1` (a .1.1 issuer that differs from the .1.8 one),
   * `omitSct` (no precertificate flow, no SCT list), `mutateSctSignature`
   * (damages the SCT's signature before embedding), `extraExtensions` (DER
   * extensions appended), `mapExtensions(list)` (any other edit of the
   * extension list, before the SCT list is added), `subject` (a DER Name
   * instead of the empty one), `signatureAlgorithm` ({ algId, sign(tbs) }:
   * how the CA signs instead of its own algorithm), `sctListTls(sct)` (the
   * SCT list extension's TLS bytes from the genuine SCT), `extraCtLogs`
   * (more CT logs whose SCTs are embedded too), `poisonInFinal`
   * (the final certificate keeps the precertificate poison; the log signs
   * that TBS, so the SCT verifies).
   */
  issueLeaf(o) {
    const notAfter = o.notBefore + (o.validityMs ?? 10 * MINUTE);
    let extensions = [
      o.keyUsage === 'keyEncipherment' ? ext.keyUsageKeyEncipherment() : ext.keyUsageDigitalSignature(),
    ];
    if (!o.omitCodeSigningEku) extensions.push(ext.extKeyUsage(OID.codeSigning));
    if (o.leafIsCa) extensions.push(ext.basicConstraints(true));
    extensions.push(
      ext.subjectKeyIdentifier(o.subjectKey.keyIdentifier),
      ext.authorityKeyIdentifier(this.intermediateKeyId),
      ext.subjectAltName(o.san),
      ...fulcioExtensions(o.oidcIssuer, o.github, o.oidcIssuerV1),
    );
    // A private-arc extension no verifier knows, marked critical (RFC 5280 §4.2: must be rejected).
    if (o.unknownCriticalExtension) extensions.push(extension('1.3.6.1.4.1.57264.99.1', true, Uint8Array.of(0x05, 0x00)));
    if (o.extraExtensions) extensions.push(...o.extraExtensions);
    if (o.mapExtensions) extensions = o.mapExtensions(extensions);
    const alg = o.signatureAlgorithm ?? { algId: this.intermediateKey.sigAlgId, sign: (tbs) => this.intermediateKey.sign(tbs) };
    const sign = (tbs) => seq(tbs, alg.algId, bits(alg.sign(tbs)));
    const sctList = (sct, all = [sct]) => ext.sctList(o.sctListTls ? o.sctListTls(sct) : sctListTls(all));
    const fields = {
      serial: serialFor(this.seed, `leaf:${o.label}`),
      sigAlgId: alg.algId,
      issuer: this.intermediateName,
      notBefore: o.notBefore,
      notAfter,
      subject: o.subject ?? seq(),
      spki: o.subjectKey.spki,
    };

    if (o.omitSct) {
      const der = sign(tbsCertificate({ ...fields, extensions }));
      return { der, precert: undefined, sct: undefined, notBefore: o.notBefore, notAfter };
    }

    if (o.poisonInFinal) {
      // The certificate stays marked as a precertificate; the log signs its
      // TBS as it is (poison included, SCT list not yet added), which is what
      // any verifier rebuilds by removing the SCT list.
      const poisoned = [...extensions, ext.ctPoison()];
      const sct = o.ctLog.signTbs(tbsCertificate({ ...fields, extensions: poisoned }), this.intermediateKey.spki, o.sctTimestampMs);
      const der = sign(tbsCertificate({ ...fields, extensions: [...poisoned, sctList(sct)] }));
      return { der, precert: undefined, sct, notBefore: o.notBefore, notAfter };
    }

    // Precertificate: the same TBS plus the critical poison extension, signed
    // by the issuing CA itself (no precertificate signing certificate).
    const precert = sign(tbsCertificate({ ...fields, extensions: [...extensions, ext.ctPoison()] }));
    // One SCT from `ctLog`, then one from each of `extraCtLogs`.
    const submissions = [o.ctLog, ...(o.extraCtLogs ?? [])].map((log) =>
      log.submitPrecert(precert, this.intermediateKey.spki, o.sctTimestampMs, { mutateSignature: o.mutateSctSignature }),
    );
    const { sct, tbsWithoutPoison } = submissions[0];
    // Self-check: what the log signed must equal the final TBS without the SCT list.
    const tbsWithoutSct = tbsCertificate({ ...fields, extensions });
    if (!bytesEqual(tbsWithoutPoison, tbsWithoutSct)) throw new Error('precert TBS differs from final TBS');

    const der = sign(tbsCertificate({ ...fields, extensions: [...extensions, sctList(sct, submissions.map((x) => x.sct))] }));
    return { der, precert, sct, notBefore: o.notBefore, notAfter };
  }
}

/**
 * Fulcio's OIDC extensions. The deprecated v1 extensions (.1 to .6) carry raw
 * strings; the v2 extensions (.8 onwards) carry DER UTF8Strings.
 */
function fulcioExtensions(oidcIssuer, github, oidcIssuerV1 = oidcIssuer) {
  const out = [ext.fulcioRaw(1, oidcIssuerV1)];
  if (github) {
    out.push(
      ext.fulcioRaw(2, github.eventName),
      ext.fulcioRaw(3, github.sha),
      ext.fulcioRaw(4, github.workflowName),
      ext.fulcioRaw(5, github.repository),
      ext.fulcioRaw(6, github.ref),
    );
  }
  out.push(ext.fulcioUtf8(8, oidcIssuer));
  if (github) {
    const server = 'https://github.com';
    const workflowUri = `${server}/${github.repository}/${github.workflowPath}@${github.ref}`;
    out.push(
      ext.fulcioUtf8(9, workflowUri), // build signer URI
      ext.fulcioUtf8(10, github.sha), // build signer digest
      ext.fulcioUtf8(11, 'github-hosted'), // runner environment
      ext.fulcioUtf8(12, `${server}/${github.repository}`), // source repository URI
      ext.fulcioUtf8(13, github.sha), // source repository digest
      ext.fulcioUtf8(14, github.ref), // source repository ref
      ext.fulcioUtf8(15, github.repositoryId), // source repository identifier
      ext.fulcioUtf8(16, `${server}/${github.repository.split('/')[0]}`), // owner URI
      ext.fulcioUtf8(17, github.ownerId), // owner identifier
      ext.fulcioUtf8(18, workflowUri), // build config URI
      ext.fulcioUtf8(19, github.sha), // build config digest
      ext.fulcioUtf8(20, github.eventName), // build trigger
      ext.fulcioUtf8(21, `${server}/${github.repository}/actions/runs/${github.runId}/attempts/1`), // run invocation URI
      ext.fulcioUtf8(22, 'public'), // source repository visibility
    );
  }
  return out;
}
