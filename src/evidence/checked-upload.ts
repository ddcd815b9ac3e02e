/**
 * Checks an upload while it streams: the type by its first bytes, the size by counting. Nothing
 * is buffered beyond the first few hundred bytes, and a failing check stops the stream so the
 * partial file is discarded by whoever is writing it.
 */
import { Readable } from 'node:stream';
import { AppError } from '../domain/errors';
import { ACCEPTED_TYPES_DESCRIPTION, SNIFF_BYTES, sniffEvidenceType, type EvidenceType } from './content-type';

export function tooLarge(maxBytes: number): AppError {
  return new AppError('too_large', `The file is larger than the ${Math.floor(maxBytes / (1024 * 1024))} MB allowed.`, { file: 'File too large.' });
}

export async function checkedUpload(source: Readable, maxBytes: number): Promise<{ type: EvidenceType; content: Readable }> {
  const iterator: AsyncIterator<Buffer> = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) break;
    chunks.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(chunks);
  if (head.length === 0) throw new AppError('validation', 'The file is empty.', { file: 'The file is empty.' });
  const type = sniffEvidenceType(head.subarray(0, SNIFF_BYTES));
  if (!type) {
    source.destroy();
    throw new AppError('unsupported_type', `This kind of file cannot be kept as evidence. Use ${ACCEPTED_TYPES_DESCRIPTION}.`, { file: 'Unsupported file type.' });
  }
  if (head.length > maxBytes) {
    source.destroy();
    throw tooLarge(maxBytes);
  }
  async function* whole(): AsyncGenerator<Buffer> {
    let total = head.length;
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      total += next.value.length;
      if (total > maxBytes) {
        source.destroy();
        throw tooLarge(maxBytes);
      }
      yield next.value;
    }
  }
  return { type, content: Readable.from(whole(), { objectMode: false }) };
}
