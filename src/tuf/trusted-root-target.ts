/**
 * The TUF target name shared by the Node (tuf-js) and web clients.
 * @module
 */

/** The target a Sigstore TUF repository publishes the trusted root as. */
export const TRUSTED_ROOT_TARGET = 'trusted_root.json';
