/**
 * The audit action of a disposal. Its detail names every entry it redacted with the hash of what
 * the entry held (`redacted: [{ seq, bodyHash }]`); the verifier accepts a redacted entry only so.
 * On its own so that the verifier can read it without loading the rest of the retention rules.
 */
export const DISPOSAL_ACTION = 'dispose_request';
