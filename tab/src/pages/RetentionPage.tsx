/**
 * Retention review for service managers and service directors (docs/retention.md): what is due for
 * a disposal decision, what waits for a director, what a legal hold keeps, and files still to be
 * removed. A legal hold is placed or lifted with a reason; a service manager proposes disposal and a
 * different person, a service director, confirms it. The server decides; the page offers only what
 * the policy lets this person do and shows the server's refusal when it says no.
 */
import { useState } from 'react';
import { Button, Field, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { formatDate } from '../../../src/domain/dates';
import { can, type PersonAbility } from '../../../src/domain/policy';
import type { RetentionStatus } from '../../../src/domain/retention';
import { errorMessage, useApi } from '../api';
import { useSession } from '../session';
import type { Me, RetentionItem, RetentionReview } from '../types';
import { EmptyState, ErrorState, Loading, Notice, PageHeading, SectionHeading, useLoad } from '../components/common';

const STATUS_LABELS: Record<RetentionStatus, string> = {
  open: 'Open',
  kept: 'Kept',
  due: 'Due for a decision',
  proposed: 'Disposal proposed',
  on_hold: 'Under legal hold',
  disposed: 'Disposed of',
};

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalM },
  item: {
    padding: tokens.spacingVerticalM,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  reference: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, margin: 0 },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    gap: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalL}`,
    margin: `${tokens.spacingVerticalS} 0`,
    '& dd': { margin: 0, overflowWrap: 'anywhere' },
  },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, marginTop: tokens.spacingVerticalS },
  form: { display: 'grid', gap: tokens.spacingVerticalS, marginTop: tokens.spacingVerticalS, maxWidth: '40em' },
  muted: { color: tokens.colorNeutralForeground2 },
});

/** What this person may do here, answered by the one policy table. */
export function mayDo(me: Me, ability: PersonAbility): boolean {
  return can({ ...me, aadObjectId: '', active: true }, ability, null, new Date()).ok;
}

export default function RetentionPage() {
  const api = useApi();
  const { me } = useSession();
  const review = useLoad(() => api.get<RetentionReview>('/api/retention/review'), 'retention-review');
  const [outcome, setOutcome] = useState<{ ok: boolean; title: string; text: string } | null>(null);

  if (!mayDo(me, 'view-retention')) {
    return (
      <>
        <PageHeading>Retention review</PageHeading>
        <Notice intent="info">The retention review is for service managers and service directors.</Notice>
      </>
    );
  }

  const decide = async (reference: string, done: string, call: () => Promise<unknown>): Promise<boolean> => {
    setOutcome(null);
    try {
      await call();
      setOutcome({ ok: true, title: reference, text: done });
      review.reload();
      return true;
    } catch (error) {
      setOutcome({ ok: false, title: `${reference}: not done`, text: errorMessage(error) });
      return false;
    }
  };

  return (
    <>
      <PageHeading>Retention review</PageHeading>
      <div aria-live="polite">{outcome && <Notice intent={outcome.ok ? 'success' : 'error'} title={outcome.title}>{outcome.text}</Notice>}</div>
      {review.status === 'loading' && <Loading label="Loading the review list…" />}
      {review.status === 'error' && <ErrorState error={review.error} onRetry={review.reload} />}
      {review.status === 'ready' && <Review review={review.data} decide={decide} />}
    </>
  );
}

type Decide = (reference: string, done: string, call: () => Promise<unknown>) => Promise<boolean>;

function Review({ review, decide }: { review: RetentionReview; decide: Decide }) {
  const styles = useStyles();
  const sections: { id: string; title: string; items: RetentionItem[]; empty: string }[] = [
    { id: 'due', title: 'Due for a decision', items: review.due, empty: 'Nothing is due for a disposal decision.' },
    { id: 'proposed', title: 'Disposal proposed, waiting for a service director', items: review.proposed, empty: 'No disposal waits for a director.' },
    { id: 'on-hold', title: 'Under legal hold', items: review.onHold, empty: 'No request is under a legal hold.' },
  ];
  return (
    <>
      <p className={styles.muted}>
        Requests are kept for a period counted from closure, then reviewed. A legal hold suspends the schedule. Disposal removes personal data and evidence and keeps an
        anonymised record with the figures; a service manager proposes it and a different person, a service director, confirms it. Today is {formatDate(review.today)}.
      </p>
      {sections.map((s) => (
        <section key={s.id} aria-labelledby={`retention-${s.id}`}>
          <SectionHeading id={`retention-${s.id}`}>{`${s.title} (${s.items.length})`}</SectionHeading>
          {s.items.length === 0 ? (
            <EmptyState title={s.empty} />
          ) : (
            <ul className={styles.list}>
              {s.items.map((item) => (
                <ItemCard key={item.request.id} item={item} decide={decide} />
              ))}
            </ul>
          )}
        </section>
      ))}
      {review.filesToRemove.length > 0 && (
        <section aria-labelledby="retention-files">
          <SectionHeading id="retention-files">Disposed of, files still to be removed</SectionHeading>
          <Notice intent="warning">The server tries again to remove these files on its own; a retention label on the evidence site can forbid it.</Notice>
          <ul className={styles.list}>
            {review.filesToRemove.map((item) => (
              <ItemCard key={item.request.id} item={item} decide={decide} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

type Open = 'hold' | 'lift' | 'propose' | 'confirm' | null;

function ItemCard({ item, decide }: { item: RetentionItem; decide: Decide }) {
  const styles = useStyles();
  const api = useApi();
  const { me } = useSession();
  const [open, setOpen] = useState<Open>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { request: r, retention: ret } = item;
  const path = `/api/retention/requests/${encodeURIComponent(r.id)}`;
  const status = ret.status;
  const mayHold = mayDo(me, 'place-legal-hold');
  const ownProposal = ret.proposal?.by === me.id;

  const start = (which: Open) => {
    setOpen(which);
    setText('');
    setError(null);
  };

  const submit = async () => {
    if ((open === 'hold' || open === 'lift') && !text.trim()) {
      setError(open === 'hold' ? 'Enter the reason for the legal hold.' : 'Enter the reason for lifting the hold.');
      return;
    }
    setBusy(true);
    const done =
      open === 'hold'
        ? await decide(r.reference, 'Legal hold placed: the schedule is suspended until the hold is lifted.', () => api.send('PUT', `${path}/hold`, { hold: true, reason: text.trim() }))
        : open === 'lift'
          ? await decide(r.reference, 'Legal hold lifted: the retention schedule applies again.', () => api.send('PUT', `${path}/hold`, { hold: false, reason: text.trim() }))
          : open === 'propose'
            ? await decide(r.reference, 'Disposal proposed: a service director must confirm it.', () => api.send('POST', `${path}/proposal`, text.trim() ? { note: text.trim() } : {}))
            : await decide(r.reference, 'Disposed of: personal data and evidence are removed; the anonymised record and the figures remain.', () => api.send('POST', `${path}/disposal`));
    setBusy(false);
    if (done) setOpen(null);
  };

  const field = `retention-${r.id}-text`;
  return (
    <li className={styles.item} aria-labelledby={`retention-${r.id}-ref`}>
      <h3 className={styles.reference} id={`retention-${r.id}-ref`}>
        {r.reference}
      </h3>
      <dl className={styles.facts}>
        <dt>Status</dt>
        <dd>{STATUS_LABELS[status]}</dd>
        <dt>Team</dt>
        <dd>{r.team ?? '—'}</dd>
        <dt>Closed</dt>
        <dd>{r.closedAt ? formatDate(r.closedAt) : '—'}</dd>
        <dt>Keep until</dt>
        <dd>{ret.retainUntil ? formatDate(ret.retainUntil) : 'While open'}</dd>
        <dt>Rule</dt>
        <dd>{ret.rule}</dd>
        {ret.legalHold && (
          <>
            <dt>Legal hold</dt>
            <dd>
              Since {formatDate(ret.legalHold.at)}: {ret.legalHold.reason}
            </dd>
          </>
        )}
        {ret.proposal && (
          <>
            <dt>Proposed</dt>
            <dd>
              {formatDate(ret.proposal.at)}
              {ownProposal ? ' by you' : ''}
              {ret.proposal.note ? `: ${ret.proposal.note}` : ''}
            </dd>
          </>
        )}
        {item.filesToRemove > 0 && (
          <>
            <dt>Files to remove</dt>
            <dd>{item.filesToRemove}</dd>
          </>
        )}
      </dl>
      {open === null && status !== 'disposed' && (
        <div className={styles.actions}>
          {mayHold && status !== 'on_hold' && <Button onClick={() => start('hold')}>Place legal hold</Button>}
          {mayHold && status === 'on_hold' && <Button onClick={() => start('lift')}>Lift legal hold</Button>}
          {status === 'due' && mayDo(me, 'propose-disposal') && (
            <Button appearance="primary" onClick={() => start('propose')}>
              Propose disposal
            </Button>
          )}
          {status === 'proposed' && mayDo(me, 'confirm-disposal') && !ownProposal && (
            <Button appearance="primary" onClick={() => start('confirm')}>
              Confirm disposal
            </Button>
          )}
        </div>
      )}
      {open === null && status === 'proposed' && mayDo(me, 'confirm-disposal') && ownProposal && (
        <p className={styles.muted}>You proposed this disposal: a different service director must confirm it.</p>
      )}
      {open === null && status === 'due' && !mayDo(me, 'propose-disposal') && <p className={styles.muted}>A service manager proposes disposal; a service director then confirms it.</p>}
      {open !== null && (
        <div className={styles.form} role="group" aria-label={`${r.reference}: ${OPEN_LABELS[open]}`}>
          {open === 'confirm' ? (
            <Notice intent="warning" title="This cannot be undone">
              Confirming removes the request’s personal data, evidence files and documents. An anonymised record with the figures remains, and the audit trail keeps who decided.
            </Notice>
          ) : (
            <Field
              label={open === 'hold' ? 'Reason for the legal hold' : open === 'lift' ? 'Reason for lifting the hold' : 'Note for the service director (optional)'}
              required={open !== 'propose'}
              validationMessage={error ?? undefined}
            >
              <Textarea id={field} value={text} onChange={(_, d) => setText(d.value)} resize="vertical" />
            </Field>
          )}
          <div className={styles.actions}>
            <Button appearance="primary" disabledFocusable={busy} onClick={() => void submit()}>
              {busy ? 'Saving…' : OPEN_LABELS[open]}
            </Button>
            <Button disabledFocusable={busy} onClick={() => setOpen(null)}>
              Cancel
            </Button>
          </div>
        </div>
      )}
    </li>
  );
}

const OPEN_LABELS: Record<Exclude<Open, null>, string> = {
  hold: 'Place the hold',
  lift: 'Lift the hold',
  propose: 'Propose disposal',
  confirm: 'Dispose of it now',
};
