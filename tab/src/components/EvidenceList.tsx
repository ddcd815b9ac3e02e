/** The evidence saved for a request, each item opened from the server; on the workspace and the assessment. */
import { useState } from 'react';
import { Link as FluentLink, makeStyles, tokens } from '@fluentui/react-components';
import { formatDateTime } from '../../../src/domain/dates';
import { errorMessage, useApi } from '../api';
import { formatBytes } from '../format';
import type { ApiRequest, EvidenceItem } from '../types';
import { Notice } from './common';
import { subjectName } from './details';

const useStyles = makeStyles({
  plain: { listStyleType: 'none', margin: 0, padding: 0, overflowWrap: 'anywhere' },
  hash: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: 'anywhere', fontSize: tokens.fontSizeBase200 },
});

export function EvidenceList({ items, requestId, subjects }: { items: EvidenceItem[]; requestId: string; subjects: ApiRequest['subjects'] }) {
  const styles = useStyles();
  const api = useApi();
  const [error, setError] = useState<string | null>(null);
  if (items.length === 0) return <p>No evidence has been saved yet.</p>;
  const open = async (item: EvidenceItem) => {
    setError(null);
    try {
      const blob = await api.blob(`/api/requests/${encodeURIComponent(requestId)}/evidence/${encodeURIComponent(item.id)}/content`);
      const url = URL.createObjectURL(blob);
      window.open(url, '_blank', 'noopener');
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <>
      <div aria-live="assertive">{error && <Notice intent="error">{error}</Notice>}</div>
      <ul className={styles.plain}>
        {items.map((item) => {
          const subject = subjects.find((s) => s.id === item.subjectId);
          return (
            <li key={item.id}>
              <FluentLink as="button" onClick={() => void open(item)}>
                {item.fileName ?? item.id}
              </FluentLink>{' '}
              · {formatBytes(item.size)} · {subject ? subjectName(subject) : item.subjectId} · captured {formatDateTime(item.capturedAt)}
              <div>{item.description}</div>
              <div className={styles.hash}>SHA-256 {item.sha256}</div>
            </li>
          );
        })}
      </ul>
    </>
  );
}
