/**
 * Work the server could not finish on its own, for administrators: notifications given up on (the
 * person had no conversation with the bot, Teams refused) and evidence still waiting for SharePoint.
 * Each can be tried again; the list is what `GET /api/admin/operations` returns.
 */
import { useState, type ReactNode } from 'react';
import { Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles, tokens } from '@fluentui/react-components';
import { formatDateTime } from '../../../src/domain/dates';
import type { NotificationKind } from '../../../src/domain/workflow';
import { errorMessage, useApi } from '../api';
import type { OperationsView } from '../types';
import { EmptyState, ErrorState, Loading, Notice, SectionHeading, useLoad } from './common';
import { useNotify } from './toast';

const KIND_LABELS: Record<NotificationKind, string> = {
  agree_request: 'Request to agree',
  authorise_request: 'Request to authorise',
  linked_request_flag: 'Linked request flagged',
  claim_request: 'Request to claim',
  assigned: 'Access worker chosen',
  resolve_doubt: 'Doubt to resolve',
  log_ready: 'Log ready to assess',
  log_shared: 'Log shared',
  status_changed: 'Request moved on',
  request_updated: 'Card update',
  reminder_decision_waiting: 'Reminder: decision waiting',
  reminder_feedback_due: 'Reminder: feedback due',
  reminder_follow_up_due: 'Reminder: follow-up due',
  reminder_monitoring_review_due: 'Reminder: monitoring review due',
  decision_escalated: 'Waiting decision escalated',
  reminder_case_record_due: 'Reminder: documents to place on the case record',
  record_documents: 'Filing the request and log in SharePoint',
  grant_folder_readers: 'Opening the evidence folder',
  holder_lost_role: 'Holder can no longer act',
  request_disposed: 'Cards emptied after disposal',
  survey_prompt: 'Survey invitation',
};

const isKnownKind = (kind: string): kind is NotificationKind => kind in KIND_LABELS;
const kindLabel = (kind: string): string => (isKnownKind(kind) ? KIND_LABELS[kind] : kind.replace(/_/g, ' '));

function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const useStyles = makeStyles({
  section: { marginBottom: tokens.spacingVerticalXXL },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'center', margin: `${tokens.spacingVerticalS} 0` },
  // Wide tables scroll sideways inside their own region at Teams mobile width, never the page.
  scroll: { overflowX: 'auto' },
  table: { minWidth: '720px' },
  subheading: { fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold, margin: `${tokens.spacingVerticalM} 0 ${tokens.spacingVerticalS}` },
  muted: { color: tokens.colorNeutralForeground2 },
  error: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere', fontSize: tokens.fontSizeBase200 },
});

export function FailedWork() {
  const styles = useStyles();
  const api = useApi();
  const notify = useNotify();
  const view = useLoad(() => api.get<OperationsView>('/api/admin/operations'), 'admin-operations');
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const retry = async (key: string, path: string, done: string) => {
    setBusy(key);
    setProblem(null);
    try {
      await api.send('POST', path);
      notify('success', done);
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(null);
      view.reload();
    }
  };

  return (
    <section className={styles.section} aria-labelledby="failed-work-heading">
      <SectionHeading id="failed-work-heading">Failed notifications and pending uploads</SectionHeading>
      <p className={styles.muted}>
        Notifications are tried several times and then given up; evidence waits in the database until SharePoint takes it. Try again once the cause is dealt with (for
        example, once the person has installed the app in Teams).
      </p>
      <div className={styles.row}>
        <Button onClick={view.reload} disabled={view.status === 'loading'}>
          Refresh
        </Button>
      </div>
      {problem && (
        <Notice intent="error" title="Not tried again">
          {problem}
        </Notice>
      )}
      {view.status === 'loading' && <Loading label="Loading failed work…" />}
      {view.status === 'error' && <ErrorState error={view.error} onRetry={view.reload} />}
      {view.status === 'ready' && (
        <>
          <h3 className={styles.subheading}>Notifications given up on</h3>
          {view.data.failedNotifications.length === 0 ? (
            <EmptyState title="No failed notifications." />
          ) : (
            <WorkTable label="Failed notifications" columns={['Notification', 'For', 'Request', 'Tries', 'Why it failed']}>
              {view.data.failedNotifications.map((n) => {
                const label = kindLabel(n.kind);
                const who = n.recipientName ?? n.recipientId ?? 'Everyone on the request';
                return (
                  <TableRow key={n.id}>
                    <TableCell>
                      {label}
                      <div className={styles.muted}>written {formatDateTime(n.createdAt)}</div>
                    </TableCell>
                    <TableCell>{who}</TableCell>
                    <TableCell>{n.requestReference ?? '—'}</TableCell>
                    <TableCell>{n.attempts}</TableCell>
                    <TableCell>
                      <span className={styles.error}>{n.lastError ?? 'No reason recorded.'}</span>
                    </TableCell>
                    <TableCell>
                      <Button
                        size="small"
                        aria-label={`Retry ${label} for ${who}`}
                        disabledFocusable={busy !== null}
                        onClick={() => void retry(n.id, `/api/admin/notifications/${encodeURIComponent(n.id)}/retry`, `${label} for ${who} is queued to be sent again.`)}
                      >
                        Retry
                      </Button>
                    </TableCell>
                  </TableRow>
                );
              })}
            </WorkTable>
          )}

          <h3 className={styles.subheading}>Evidence waiting for SharePoint</h3>
          {view.data.pendingUploads.length === 0 ? (
            <EmptyState title="No evidence is waiting for SharePoint." />
          ) : (
            <WorkTable label="Pending uploads" columns={['File', 'Request', 'Status', 'Tries', 'Last error']}>
              {view.data.pendingUploads.map((u) => (
                <TableRow key={u.storageKey}>
                  <TableCell>
                    {u.fileName}
                    <div className={styles.muted}>
                      {fileSize(u.size)}, received {formatDateTime(u.createdAt)}
                    </div>
                  </TableCell>
                  <TableCell>{u.requestReference}</TableCell>
                  <TableCell>{u.status === 'failed' ? 'Failed: waits for a retry' : `Waiting; next try from ${formatDateTime(u.notBefore)}`}</TableCell>
                  <TableCell>{u.attempts}</TableCell>
                  <TableCell>
                    <span className={styles.error}>{u.lastError ?? '—'}</span>
                  </TableCell>
                  <TableCell>
                    <Button
                      size="small"
                      aria-label={`Retry ${u.fileName} of ${u.requestReference}`}
                      disabledFocusable={busy !== null}
                      onClick={() => void retry(u.storageKey, `/api/admin/uploads/${encodeURIComponent(u.storageKey)}/retry`, `${u.fileName} of ${u.requestReference} is being sent to SharePoint again.`)}
                    >
                      Retry
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </WorkTable>
          )}
        </>
      )}
    </section>
  );
}

/** A scrollable table of work to retry: the given columns, then the retry buttons' column. */
function WorkTable({ label, columns, children }: { label: string; columns: string[]; children: ReactNode }) {
  const styles = useStyles();
  return (
    <div className={styles.scroll} role="region" aria-label={`${label}, scrollable`} tabIndex={0}>
      <Table className={styles.table} aria-label={label} size="small">
        <TableHeader>
          <TableRow>
            {columns.map((column) => (
              <TableHeaderCell key={column}>{column}</TableHeaderCell>
            ))}
            <TableHeaderCell>
              <span className={styles.muted}>Retry</span>
            </TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>{children}</TableBody>
      </Table>
    </div>
  );
}
