/**
 * Evidence types are decided by content, never by the name or the browser's claim: a `.png`
 * that is really an executable must be refused.
 */
export interface EvidenceType {
  contentType: string;
  extension: string;
}

export const ACCEPTED_TYPES_DESCRIPTION = 'PNG, JPEG, WebP, GIF, PDF, MP4, or a saved web page (MHTML or HTML)';

/** Bytes needed to recognise every accepted type. */
export const SNIFF_BYTES = 512;

const startsWith = (buf: Buffer, bytes: number[], offset = 0): boolean => bytes.every((b, i) => buf[offset + i] === b);
const ascii = (buf: Buffer, start: number, end: number): string => buf.subarray(start, end).toString('latin1');

export function sniffEvidenceType(head: Buffer): EvidenceType | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { contentType: 'image/png', extension: 'png' };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { contentType: 'image/jpeg', extension: 'jpg' };
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return { contentType: 'image/webp', extension: 'webp' };
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return { contentType: 'image/gif', extension: 'gif' };
  if (ascii(head, 0, 5) === '%PDF-') return { contentType: 'application/pdf', extension: 'pdf' };
  if (ascii(head, 4, 8) === 'ftyp') return { contentType: 'video/mp4', extension: 'mp4' };
  const text = textStart(head);
  if (text === null) return null;
  if (/^(from:|date:|subject:|mime-version:|content-type:\s*multipart\/related)/i.test(text) && /multipart\/related/i.test(ascii(head, 0, head.length))) {
    return { contentType: 'multipart/related', extension: 'mhtml' };
  }
  if (/^(<!doctype html|<html|<head|<!--)/i.test(text)) return { contentType: 'text/html', extension: 'html' };
  return null;
}

/** The start of the content as text, or null when it holds bytes no saved page would. */
function textStart(head: Buffer): string | null {
  let body = head;
  if (startsWith(body, [0xef, 0xbb, 0xbf])) body = body.subarray(3);
  for (const byte of body) {
    if (byte === 0 || (byte < 0x09 && byte !== 0)) return null;
  }
  return body.toString('utf8').trimStart();
}
