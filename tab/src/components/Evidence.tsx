/**
 * Evidence as everyone it is shared with reads it. The tab never fetches a file into a blob URL in
 * its own origin, where a saved web page could run with the tab's rights. It asks the API (with its
 * token) for a one-time link, and the browser fetches the sandboxed content route with that link:
 * an image is previewed in an <img> (which never runs script), a PDF opens in a new window under the
 * route's sandbox, and everything else — saved pages above all — is downloaded.
 */
import { useState } from 'react';
import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { formatDateTime } from '../../../src/domain/dates';
import { errorMessage, useApi } from '../api';
import type { ApiSubject, ContentLink, EvidenceItem } from '../types';
import { formatBytes, personName } from '../format';
import { Notice } from './common';
import { subjectName } from './details';

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalM, overflowWrap: 'anywhere' },
  item: { borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, paddingTop: tokens.spacingVerticalS },
  name: { fontWeight: tokens.fontWeightSemibold },
  meta: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  hash: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: 'anywhere', fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  buttons: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, margin: `${tokens.spacingVerticalXS} 0` },
  preview: {
    display: 'block',
    maxWidth: '100%',
    maxHeight: '480px',
    height: 'auto',
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    marginTop: tokens.spacingVerticalS,
  },
});

/** Kinds of file the tab previews; the server serves exactly these inline, and nothing else. */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const KIND_LABELS: Record<string, string> = {
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
  'application/pdf': 'PDF',
  'video/mp4': 'MP4 video',
  'text/html': 'Saved web page (HTML)',
  'multipart/related': 'Saved web page (MHTML)',
};

/** Follows a one-time link as a link the person clicked: a new window for a preview, or a download. */
export function followLink(link: ContentLink, fileName: string): void {
  const anchor = window.document.createElement('a');
  anchor.href = link.url;
  if (link.download) anchor.download = fileName;
  else {
    anchor.target = '_blank';
    anchor.rel = 'noopener noreferrer';
  }
  anchor.click();
}

export function EvidenceList({
  items,
  requestId,
  subjects,
  people,
}: {
  items: EvidenceItem[];
  requestId: string;
  subjects: ApiSubject[];
  people?: Record<string, string> | undefined;
}) {
  const styles = useStyles();
  const api = useApi();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  /** One-time image URLs already fetched by an <img>: kept so the preview stays while the page does. */
  const [previews, setPreviews] = useState<Record<string, string>>({});
  if (items.length === 0) return <p>No evidence has been saved yet.</p>;

  const issue = (item: EvidenceItem, download: boolean) =>
    api.send<ContentLink>('POST', `/api/requests/${encodeURIComponent(requestId)}/evidence/${encodeURIComponent(item.id)}/links`, { download });
  const run = async (item: EvidenceItem, what: 'preview' | 'open' | 'download') => {
    setError(null);
    setBusy(`${item.id}:${what}`);
    try {
      const link = await issue(item, what === 'download');
      if (what === 'preview') setPreviews((all) => ({ ...all, [item.id]: link.url }));
      else followLink(link, item.fileName ?? 'evidence');
    } catch (e) {
      setError(errorMessage(e));
    }
    setBusy(null);
  };

  return (
    <>
      <div aria-live="assertive">{error && <Notice intent="error">{error}</Notice>}</div>
      <ul className={styles.list} aria-label="Evidence items">
        {items.map((item) => {
          const subject = subjects.find((s) => s.id === item.subjectId);
          const type = item.contentType ?? '';
          const name = item.fileName ?? item.id;
          const isImage = IMAGE_TYPES.has(type);
          const isPdf = type === 'application/pdf';
          return (
            <li key={item.id} className={styles.item}>
              <div className={styles.name}>{name}</div>
              <div className={styles.meta}>
                {KIND_LABELS[type] ?? type} · {formatBytes(item.size)} · {subject ? subjectName(subject) : item.subjectId} · captured {formatDateTime(item.capturedAt)}
                {item.capturedBy ? ` by ${personName(people, item.capturedBy)}` : ''}
              </div>
              <div>{item.description}</div>
              {item.correctsEvidenceId && (
                <div className={styles.meta}>
                  Corrects an earlier item{item.correctionReason ? `: ${item.correctionReason}` : ''}
                </div>
              )}
              <div className={styles.meta}>
                Source: <span>{item.sourceUrl}</span>
              </div>
              <div className={styles.hash}>SHA-256 {item.sha256}</div>
              <div className={styles.buttons}>
                {isImage && !previews[item.id] && (
                  <Button size="small" disabledFocusable={busy !== null} onClick={() => void run(item, 'preview')} aria-label={`Preview ${name}`}>
                    Preview
                  </Button>
                )}
                {isPdf && (
                  <Button size="small" disabledFocusable={busy !== null} onClick={() => void run(item, 'open')} aria-label={`Open ${name} in a new window`}>
                    Open PDF
                  </Button>
                )}
                <Button size="small" disabledFocusable={busy !== null} onClick={() => void run(item, 'download')} aria-label={`Download ${name}`}>
                  Download
                </Button>
              </div>
              {!isImage && !isPdf && <div className={styles.meta}>This kind of file is not shown in the app: download it to open it.</div>}
              {previews[item.id] && <img className={styles.preview} src={previews[item.id]} alt={`Evidence: ${item.description}`} />}
            </li>
          );
        })}
      </ul>
    </>
  );
}
