import type { Repo } from './fixtures.mjs';
export function layoutFiles(repo: Repo): Map<string, Uint8Array>;
