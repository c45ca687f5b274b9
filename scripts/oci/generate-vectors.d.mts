export const OCI_VECTORS_DIR: string;
export function generateOciVectorFiles(): Map<string, Uint8Array>;
export function writeOciVectors(outRoot: string, files: Map<string, Uint8Array>): void;
