/**
 * The gate every evidence upload passes before a store sees it: the type is decided by the
 * first bytes (never the name or the browser's claim) and the size is counted while the bytes
 * stream, so an over-size or disguised file fails before anything is kept.
 */
import { Readable } from 'node:stream';
import { AppError } from '../domain/errors';
import { DEFAULT_MAX_EVIDENCE_MB, describeEvidenceLimit, evidenceLimitBytes } from '../domain/evidence-size';
import { ACCEPTED_TYPES_DESCRIPTION, SNIFF_BYTES, sniffEvidenceType, type EvidenceType } from './content-type';

/** The upload limit when MAX_EVIDENCE_MB is not set. */
export const DEFAULT_MAX_EVIDENCE_BYTES = evidenceLimitBytes(DEFAULT_MAX_EVIDENCE_MB);

export interface CheckedUpload {
  type: EvidenceType;
  /** The same bytes, from the first; errors with AppError('too_large') past the limit. */
  content: Readable;
}

export async function checkedUpload(source: Readable, options: { maxBytes?: number } = {}): Promise<CheckedUpload> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_EVIDENCE_BYTES;
  const iterator = (source as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const headChunks: Buffer[] = [];
  let headLength = 0;
  let ended = false;
  try {
    while (headLength < SNIFF_BYTES) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      headChunks.push(chunk);
      headLength += chunk.length;
    }
    const head = Buffer.concat(headChunks);
    if (head.length === 0) throw new AppError('unsupported_type', 'The file is empty.');
    const type = sniffEvidenceType(head.subarray(0, SNIFF_BYTES));
    if (!type) throw new AppError('unsupported_type', `This kind of file cannot be kept as evidence. Upload ${ACCEPTED_TYPES_DESCRIPTION}.`);
    if (head.length > maxBytes) throw tooLarge(maxBytes);
    return { type, content: Readable.from(limited(head, ended ? null : iterator, maxBytes), { objectMode: false }) };
  } catch (error) {
    // Refused: stop reading the rest, so the sender's stream is released at once.
    await iterator.return?.();
    throw error;
  }
}

async function* limited(head: Buffer, rest: AsyncIterator<Buffer | string> | null, maxBytes: number): AsyncGenerator<Buffer> {
  yield head;
  if (!rest) return;
  let total = head.length;
  try {
    for (;;) {
      const next = await rest.next();
      if (next.done) return;
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      total += chunk.length;
      if (total > maxBytes) throw tooLarge(maxBytes);
      yield chunk;
    }
  } finally {
    await rest.return?.();
  }
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('too_large', `The file is larger than the ${describeEvidenceLimit(maxBytes)} limit.`);
}
