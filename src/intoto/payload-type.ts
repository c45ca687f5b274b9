/**
 * The in-toto DSSE payload type, apart from the statement parser so the
 * verifier can test for it without loading the parser (a lazy chunk).
 * @module
 */

/** The in-toto payload type: the only DSSE payload type that holds a statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
