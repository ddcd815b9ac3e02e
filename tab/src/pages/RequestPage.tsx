/** One request: every answer, the authorised scope, what this person may do next, the timeline, links and notifications. */
import { useState } from 'react';
import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { STATE_LABELS, type WorkflowAction } from '../../../src/domain/states';
import { formatDate, formatDateTime } from '../../../src/domain/dates';
import { REPEAT_MATCH_LABELS } from '../../../src/domain/repeat-checks';
import { errorMessage, useApi } from '../api';
import { Link } from '../router';
import type { ApiRequest, AuditEntry, ContentLink, NotificationStatus, RecordDocument, RequestPage } from '../types';
import { ACTION_LABELS, humanise, NEXT_STEP, personName } from '../format';
import { EmptyState, ErrorState, Loading, Notice, PageHeading, SectionHeading, useLoad } from '../components/common';
import { StateBadge } from '../components/StateBadge';
import { ActionDialog } from '../components/ActionDialog';
import { useNotify } from '../components/toast';
import { Card, Details, requestRows, subjectName, subjectRows } from '../components/details';
import { followLink } from '../components/Evidence';
import { LogRecord } from '../components/LogRecord';

const useStyles = makeStyles({
  top: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'center', marginBottom: tokens.spacingVerticalM },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM, margin: `${tokens.spacingVerticalS} 0` },
  timeline: { listStyleType: 'none', margin: 0, padding: 0, borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke2}` },
  event: { padding: `${tokens.spacingVerticalXS} 0 ${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}` },
  meta: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  plain: { listStyleType: 'none', margin: 0, padding: 0 },
});

/** Actions taken on their own page (workspace, assessment), where what they need is filled in first. */
const ELSEWHERE_ACTIONS: readonly WorkflowAction[] = ['confirm-legitimacy', 'complete-log', 'finalise'];

const NOTIFICATION_STATUS: Record<string, string> = { sent: 'delivered', pending: 'waiting to be delivered', failed: 'not delivered' };

export default function RequestPage({ id }: { id: string }) {
  const styles = useStyles();
  const api = useApi();
  const path = `/api/requests/${encodeURIComponent(id)}`;
  const request = useLoad(() => api.get<ApiRequest>(path), id);
  const [version, setVersion] = useState(0);
  const audit = useLoad(() => api.get<AuditEntry[]>(`${path}/audit`), `${id}-audit-${version}`);
  const notifications = useLoad(() => api.get<NotificationStatus[]>(`${path}/notifications`), `${id}-notes-${version}`);
  const notify = useNotify();
  const [retryFailure, setRetryFailure] = useState<string | null>(null);
  // The notification being retried: a second press while it is under way sends nothing.
  const [retrying, setRetrying] = useState<string | null>(null);
  const retry = async (notificationId: string) => {
    if (retrying) return;
    setRetrying(notificationId);
    setRetryFailure(null);
    try {
      await api.send('POST', `${path}/notifications/${encodeURIComponent(notificationId)}/retry`, {});
      notify('success', 'Queued to be sent again.');
      notifications.reload();
    } catch (error) {
      setRetryFailure(errorMessage(error));
    }
    setRetrying(null);
  };
  const all = useLoad(() => api.get<RequestPage>('/api/requests?limit=200'), `${id}-linked-${version}`);
  const documents = useLoad(() => api.get<RecordDocument[]>(`${path}/documents`), `${id}-documents-${version}`);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const download = async (document: RecordDocument) => {
    setDownloadError(null);
    try {
      // A one-time link, never a blob URL in the tab's own origin (see components/Evidence.tsx).
      followLink(await api.send<ContentLink>('POST', `${path}/documents/${encodeURIComponent(document.id)}/links`, { download: true }), document.fileName);
    } catch (e) {
      setDownloadError(errorMessage(e));
    }
  };
  const [action, setAction] = useState<WorkflowAction | null>(null);
  const [done, setDone] = useState<string | null>(null);

  if (request.status === 'loading') return <Loading label="Loading the request…" />;
  if (request.status === 'error') return <ErrorState error={request.error} onRetry={request.reload} />;
  const r = request.data;
  const allowed = r.allowedActions.map((a) => a.action);
  const buttons = allowed.filter((a) => !ELSEWHERE_ACTIONS.includes(a));
  // The links follow what the API says this person may do, never the tab's own reading of the rules.
  const links = {
    edit: r.abilities.includes('edit-draft'),
    workspace: r.abilities.includes('search') || allowed.includes('confirm-legitimacy'),
    assess: allowed.includes('finalise') || allowed.includes('share'),
    feedback: r.abilities.includes('give-feedback'),
  };
  const linkedHere = all.status === 'ready' ? all.data.items.filter((x) => x.linkedFromRequestId === r.id) : [];
  const scope = r.authorisation?.scope;

  return (
    <>
      <PageHeading>Request {r.reference}</PageHeading>
      <div className={styles.top}>
        <StateBadge state={r.state} />
        <span>Next: {NEXT_STEP[r.state]}</span>
      </div>
      <div aria-live="polite">{done && <Notice intent="success">{done}</Notice>}</div>
      {r.state === 'draft' && r.lastReason?.reason && (
        <Notice intent="warning" title="Returned to you">
          {r.lastReason.reason}
        </Notice>
      )}
      {['declined', 'refused', 'cancelled', 'on_hold'].includes(r.state) && r.lastReason?.reason && (
        <Notice intent="warning" title={STATE_LABELS[r.state]}>
          {r.lastReason.reason}
        </Notice>
      )}

      {r.earlierChecks && r.earlierChecks.length > 0 && (
        <Notice intent="warning" title="Checked before in the last 12 months">
          <p>Repeated one-off checks of the same person can amount to directed surveillance: consider the earlier requests before deciding.</p>
          <ul className={styles.plain} aria-label="Earlier checks">
            {r.earlierChecks.map((c) => {
              const subject = r.subjects.find((s) => s.id === c.subjectId);
              return (
                <li key={`${c.subjectId}-${c.requestId}`}>
                  {subject ? subjectName(subject) : 'A person on this request'} —{' '}
                  {c.visible ? <Link to={`/requests/${c.requestId}`}>{c.reference}</Link> : c.reference}, authorised {formatDate(c.authorisedAt)} ({REPEAT_MATCH_LABELS[c.matchedBy]})
                </li>
              );
            })}
          </ul>
        </Notice>
      )}
      {allowed.includes('record-placement') && (
        <Notice intent="info" title="Place the documents on the case record">
          The Investigation Request and Log are filed below. Place them on the case record, then record it here: the request closes only then.
        </Notice>
      )}

      <Card labelledBy="what-you-can-do">
        <SectionHeading id="what-you-can-do">What you can do</SectionHeading>
        {buttons.length === 0 && !Object.values(links).some(Boolean) ? (
          <p>Nothing is waiting for you on this request.</p>
        ) : (
          <div className={styles.actions}>
            {links.edit && <Link to={`/requests/${r.id}/edit`}>Edit the draft</Link>}
            {links.workspace && <Link to={`/requests/${r.id}/workspace`}>Open the access worker workspace</Link>}
            {links.assess && <Link to={`/requests/${r.id}/assess`}>Assess, finalise and share</Link>}
            {links.feedback && <Link to={`/requests/${r.id}/feedback`}>Give feedback</Link>}
            {buttons.map((a) => (
              <Button key={a} appearance={['withdraw', 'cancel', 'decline', 'refuse', 'raise-doubt'].includes(a) ? 'secondary' : 'primary'} onClick={() => setAction(a)}>
                {ACTION_LABELS[a]}
              </Button>
            ))}
          </div>
        )}
      </Card>

      {scope && (
        <Card labelledBy="scope">
          <SectionHeading id="scope">Authorised scope</SectionHeading>
          <Details
            rows={[
              ['Authorised by', `${personName(r.people, r.authorisation?.by)} on ${formatDateTime(r.authorisation?.at ?? '')}`],
              ['People', r.subjects.filter((s) => scope.subjectIds.includes(s.id)).map((s) => subjectName(s)).join('; ')],
              ['Period', `${formatDate(scope.period.from)} to ${formatDate(scope.period.to)}`],
              [
                'Kind',
                scope.kind === 'monitoring' && scope.monitoring
                  ? `Monitoring (${scope.monitoring.frequency}) until ${formatDate(scope.monitoring.endDate)}; next review ${formatDate(scope.monitoring.nextReviewOn)}`
                  : 'One-off review',
              ],
              ['Conditions', scope.conditions],
              ['Use by', formatDate(scope.useBy)],
              ['Access worker', r.accessWorkerId ? personName(r.people, r.accessWorkerId) : 'Open to the register'],
            ]}
          />
        </Card>
      )}

      <Card labelledBy="details">
        <SectionHeading id="details">The request</SectionHeading>
        <Details rows={requestRows(r)} />
        {r.agreement && (
          <p>
            Agreed by {personName(r.people, r.agreement.by)} on {formatDateTime(r.agreement.at)}
            {r.agreement.note ? `: ${r.agreement.note}` : ''}
          </p>
        )}
      </Card>

      <Card labelledBy="people">
        <SectionHeading id="people">People to check</SectionHeading>
        {r.subjects.map((s, i) => (
          <div key={s.id}>
            <h3>
              Person {i + 1}: {subjectName(s)}
            </h3>
            <Details rows={subjectRows(s)} />
          </div>
        ))}
      </Card>

      <Card labelledBy="linked">
        <SectionHeading id="linked">Linked requests</SectionHeading>
        {r.linkedFromRequestId || linkedHere.length > 0 ? (
          <ul className={styles.plain}>
            {r.linkedFromRequestId && (
              <li>
                Raised from <Link to={`/requests/${r.linkedFromRequestId}`}>the earlier request</Link>
              </li>
            )}
            {linkedHere.map((x) => (
              <li key={x.id}>
                Further person: <Link to={`/requests/${x.id}`}>{x.reference}</Link> ({STATE_LABELS[x.state]})
              </li>
            ))}
          </ul>
        ) : (
          <p>No linked requests.</p>
        )}
      </Card>

      {(r.firstSearchStartedAt || r.log) && <LogRecord request={r} refreshKey={version} />}

      {(['finalised', 'shared', 'closed'].includes(r.state) || (documents.status === 'ready' && documents.data.length > 0)) && (
        <Card labelledBy="documents">
          <SectionHeading id="documents">Record documents</SectionHeading>
          <div aria-live="assertive">{downloadError && <Notice intent="error">{downloadError}</Notice>}</div>
          {documents.status === 'loading' && <Loading label="Loading the record documents…" />}
          {documents.status === 'error' && <ErrorState error={documents.error} onRetry={documents.reload} title="The record documents could not be loaded" />}
          {documents.status === 'ready' &&
            (documents.data.length === 0 ? (
              <p>The Investigation Request and Log are being filed as documents; they appear here shortly.</p>
            ) : (
              <ul className={styles.plain}>
                {documents.data.map((d) => (
                  <li key={d.id}>
                    <Button appearance="transparent" onClick={() => void download(d)}>
                      {d.kind === 'investigation_log' ? `Investigation Log, version ${d.version ?? 1}` : 'Investigation Request'} ({d.fileName})
                    </Button>
                    <span className={styles.meta}> filed {formatDateTime(d.createdAt)}</span>
                    {d.webUrl && (
                      <>
                        {' · '}
                        <a href={d.webUrl} target="_blank" rel="noopener noreferrer">
                          Open in SharePoint
                        </a>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            ))}
        </Card>
      )}

      <Card labelledBy="timeline">
        <SectionHeading id="timeline">Timeline</SectionHeading>
        {audit.status === 'loading' && <Loading label="Loading the timeline…" />}
        {audit.status === 'error' && <ErrorState error={audit.error} onRetry={audit.reload} />}
        {audit.status === 'ready' &&
          (audit.data.length === 0 ? (
            <EmptyState title="Nothing has happened yet." />
          ) : (
            <ol className={styles.timeline}>
              {audit.data.map((e) => (
                <li key={e.id} className={styles.event}>
                  <div>
                    <strong>{humanise(e.action)}</strong>
                    {e.toState && e.fromState !== e.toState ? ` → ${STATE_LABELS[e.toState]}` : ''}
                  </div>
                  <div className={styles.meta}>
                    {formatDateTime(e.at)} · {e.actorName ?? e.actorId ?? 'system'}
                    {e.actorRole ? ` (${e.actorRole.replace(/_/g, ' ')})` : ''}
                  </div>
                  {e.reason && <div>Reason: {e.reason}</div>}
                </li>
              ))}
            </ol>
          ))}
      </Card>

      {notifications.status === 'error' && <ErrorState error={notifications.error} onRetry={notifications.reload} title="Notification status could not be loaded" />}
      {notifications.status === 'ready' && notifications.data.length > 0 && (
        <Card labelledBy="notifications">
          <SectionHeading id="notifications">Notifications your steps sent</SectionHeading>
          <ul className={styles.plain}>
            {notifications.data.map((n) => (
              <li key={n.id}>
                {humanise(n.kind)} to {n.recipientName ?? personName(r.people, n.recipientId ?? null)}: <strong>{NOTIFICATION_STATUS[n.status] ?? n.status}</strong>
                {n.sentAt ? ` (${formatDateTime(n.sentAt)})` : ''}
                {n.advice && (
                  <Notice intent={n.status === 'failed' ? 'warning' : 'info'}>
                    {n.advice}
                    {n.canRetry && (
                      <div>
                        <Button
                          size="small"
                          disabledFocusable={retrying !== null}
                          onClick={() => void retry(n.id)}
                          aria-label={`Retry the ${humanise(n.kind).toLowerCase()} to ${n.recipientName ?? personName(r.people, n.recipientId ?? null)}`}
                        >
                          {retrying === n.id ? 'Retrying…' : 'Retry'}
                        </Button>
                      </div>
                    )}
                  </Notice>
                )}
              </li>
            ))}
          </ul>
          <div aria-live="assertive">{retryFailure && <Notice intent="error">{retryFailure}</Notice>}</div>
        </Card>
      )}

      <ActionDialog
        action={action}
        request={r}
        onClose={() => setAction(null)}
        onStale={request.reload}
        onDone={(updated, taken) => {
          setAction(null);
          request.set(updated);
          setVersion((v) => v + 1);
          setDone(`${ACTION_LABELS[taken]}: done. The request is now “${STATE_LABELS[updated.state]}”.`);
        }}
      />
    </>
  );
}
