/**
 * The largest evidence file, one setting (MAX_EVIDENCE_MB) in one unit: a megabyte here is
 * 1024 × 1024 bytes, for the server's check, its refusal message and the tab's own check alike.
 */
export const BYTES_PER_MB = 1024 * 1024;

/** MAX_EVIDENCE_MB when it is not set. */
export const DEFAULT_MAX_EVIDENCE_MB = 250;

export function evidenceLimitBytes(megabytes: number): number {
  return megabytes * BYTES_PER_MB;
}

/** A limit in bytes as people read it: "250 MB", or "10 KB" for the small limits of tests. */
export function describeEvidenceLimit(bytes: number): string {
  return bytes >= BYTES_PER_MB ? `${Math.round((bytes / BYTES_PER_MB) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}
