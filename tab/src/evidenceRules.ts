/** What the tab accepts before sending; the server checks the content and size again. */
import { DEFAULT_MAX_EVIDENCE_MB, describeEvidenceLimit, evidenceLimitBytes } from '../../src/domain/evidence-size';
/** The server's default limit (MAX_EVIDENCE_MB); a lower server setting is still enforced there. */
export const MAX_EVIDENCE_BYTES = evidenceLimitBytes(DEFAULT_MAX_EVIDENCE_MB);

/** Screenshots, PDFs, saved pages and videos (DESIGN.md §3, evidence items). */
export const ACCEPTED_TYPES: Record<string, string[]> = {
  'image/png': ['.png'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/gif': ['.gif'],
  'image/webp': ['.webp'],
  'application/pdf': ['.pdf'],
  'text/html': ['.html', '.htm'],
  'multipart/related': ['.mhtml', '.mht'],
  'video/mp4': ['.mp4'],
};

export const ACCEPT_ATTRIBUTE = Object.entries(ACCEPTED_TYPES)
  .flatMap(([type, exts]) => [type, ...exts])
  .join(',');

/** Why a file cannot be sent, or null if it may be. Browsers leave `type` empty for some saved pages, so the extension decides then. */
export function fileProblem(file: { name: string; type: string; size: number }): string | null {
  const ext = file.name.toLowerCase().match(/\.[a-z0-9]+$/)?.[0] ?? '';
  const byType = file.type ? ACCEPTED_TYPES[file.type] : undefined;
  const byExt = Object.values(ACCEPTED_TYPES).some((exts) => exts.includes(ext));
  if (!(byType ? byType.includes(ext) || byExt : byExt)) {
    return `${file.name} is not a screenshot, PDF, saved web page or video (PNG, JPEG, GIF, WebP, PDF, HTML, MHTML or MP4).`;
  }
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > MAX_EVIDENCE_BYTES) return `${file.name} is larger than ${describeEvidenceLimit(MAX_EVIDENCE_BYTES)}.`;
  return null;
}
