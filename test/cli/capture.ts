/**
 * Runs a CLI command in-process with stdout and stderr captured (the
 * commands write through `process.stdout.write` / `process.stderr.write`).
 */
import { vi } from 'vitest';

/** What a command printed, and its exit code. */
export interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Calls `run` with both streams captured; restores them afterwards. */
export async function capture(run: () => Promise<number>): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    const code = await run();
    return { code, stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
