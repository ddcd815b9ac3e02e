/**
 * "My requests" and "Waiting for me", with state, age, next step and filters. The filters (state,
 * the days raised between, and the words searched for) are asked of the server, so a page holds what
 * matches rather than what happened to be loaded.
 */
import { useEffect, useMemo, useState } from 'react';
import { Button, Field, Input, Select, Tab, TabList, makeStyles, tokens } from '@fluentui/react-components';
import { CLOSED_STATES, REQUEST_STATES, STATE_LABELS } from '../../../src/domain/states';
import { UkDateInput } from '../components/UkDateInput';
import { formatDate } from '../../../src/domain/dates';
import { useApi } from '../api';
import { Link, type RequestsView } from '../router';
import { useSession } from '../session';
import type { ApiRequest, RequestPage } from '../types';
import { age, counted, NEXT_STEP } from '../format';
import { EmptyState, ErrorState, Loading, PageHeading, useLoad } from '../components/common';
import { SurveyPrompt } from '../components/SurveyPrompt';
import { StateBadge } from '../components/StateBadge';

const useStyles = makeStyles({
  tabs: { flexWrap: 'wrap' },
  // Top-aligned: a message under one field must not stretch the others.
  filters: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', gap: tokens.spacingHorizontalM, margin: `${tokens.spacingVerticalM} 0` },
  // One column that may shrink: a select is otherwise as wide as its longest option.
  filter: { minWidth: '180px', flexGrow: 1, maxWidth: '320px', gridTemplateColumns: 'minmax(0, 1fr)' },
  date: { minWidth: '140px', flexGrow: 1, maxWidth: '200px' },
  list: { listStyleType: 'none', padding: 0, margin: 0, display: 'grid', gap: tokens.spacingVerticalS },
  item: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 1fr)',
    gap: tokens.spacingHorizontalM,
    padding: tokens.spacingVerticalM,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    '@media (max-width: 600px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  meta: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, margin: `${tokens.spacingVerticalXS} 0 0` },
  title: { fontWeight: tokens.fontWeightSemibold, overflowWrap: 'anywhere' },
  overdue: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  count: { color: tokens.colorNeutralForeground2, margin: `0 0 ${tokens.spacingVerticalS}` },
});

type View = RequestsView;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The states a choice of the state filter stands for; none for "All". */
function statesFor(choice: string): readonly string[] {
  if (choice === 'open') return REQUEST_STATES.filter((s) => !CLOSED_STATES.includes(s));
  if (choice === 'closed') return CLOSED_STATES;
  if (choice === 'all') return [];
  return [choice];
}

/** What a date field holds, as the server's own message words it: nothing, a real date, or a problem. */
function dateProblem(value: string, what: string): string | undefined {
  return value === '' || ISO_DATE.test(value) ? undefined : `Enter ${what} as a real date, day/month/year, for example 14/03/2026.`;
}

interface Filters {
  q: string;
  raisedFrom: string;
  raisedTo: string;
}

/** `view`: the tab the address names (the header's "waiting for you" link); otherwise where work waits. */
/**
 * What tells one request from another on the same case: the first child and how many people are
 * to be checked, as the list already gives them to this person (nothing more is asked for).
 */
function about(r: ApiRequest): string {
  const [child] = r.children;
  const others = r.children.length - 1;
  const children = child?.name ? `About ${child.name}${others > 0 ? ` and ${counted(others, 'other child', 'other children')}` : ''}` : '';
  const people = r.subjects.length > 0 ? counted(r.subjects.length, 'person', 'people') + ' to check' : '';
  return [children, people].filter(Boolean).join(' · ');
}

export default function RequestsPage({ view = null }: { view?: View | null }) {
  const api = useApi();
  const { me } = useSession();
  // "Waiting for me" is where anyone with work waiting lands. The list waits for the count rather
  // than opening on another tab and jumping once it arrives.
  const inbox = useLoad(() => api.get<RequestPage>('/api/requests?waiting=true&limit=1'), 'requests-count');
  const fallback: View = me.roles.includes('social_worker') ? 'mine' : 'all';
  if (view) return <RequestList landing={view} />;
  if (inbox.status === 'loading') {
    return (
      <>
        <PageHeading>Requests</PageHeading>
        <Loading label="Loading requests…" />
      </>
    );
  }
  return <RequestList landing={inbox.status === 'ready' && inbox.data.counts.waitingForMe > 0 ? 'waiting' : fallback} />;
}

function RequestList({ landing }: { landing: View }) {
  const styles = useStyles();
  const api = useApi();
  const { me } = useSession();
  const [view, setView] = useState<View>(landing);
  const [text, setText] = useState('');
  const [raisedFrom, setRaisedFrom] = useState('');
  const [raisedTo, setRaisedTo] = useState('');
  const [touched, setTouched] = useState<{ from: boolean; to: boolean }>({ from: false, to: false });
  const [stateFilter, setStateFilter] = useState('open');
  const fromProblem = dateProblem(raisedFrom, 'the first day raised');
  const toProblem = dateProblem(raisedTo, 'the last day raised') ?? (!fromProblem && raisedFrom && raisedTo && raisedTo < raisedFrom ? 'The last day raised cannot be before the first.' : undefined);
  // The server is asked once typing pauses (names are matched only where the person may see them);
  // a date still being typed, or impossible, keeps the list as it was.
  const [applied, setApplied] = useState<Filters>({ q: '', raisedFrom: '', raisedTo: '' });
  useEffect(() => {
    if (fromProblem || toProblem) return undefined;
    const timer = setTimeout(() => setApplied({ q: text.trim(), raisedFrom, raisedTo }), 400);
    return () => clearTimeout(timer);
  }, [text, raisedFrom, raisedTo, fromProblem, toProblem]);
  // The server decides what each tab holds (the same list the bot reads), a page at a time.
  // A shared log is closed by sharing: the logs shared with you are found whatever the state.
  const states = view === 'shared' ? [] : statesFor(stateFilter);
  const params = new URLSearchParams({ limit: '200' });
  if (view === 'mine') params.set('mine', 'true');
  if (view === 'waiting') params.set('waiting', 'true');
  if (view === 'shared') params.set('shared', 'true');
  if (states.length) params.set('state', states.join(','));
  if (applied.raisedFrom) params.set('raisedFrom', applied.raisedFrom);
  if (applied.raisedTo) params.set('raisedTo', applied.raisedTo);
  if (applied.q) params.set('q', applied.q);
  const base = `/api/requests?${params.toString()}`;
  const list = useLoad(() => api.get<RequestPage>(base), base);
  const [more, setMore] = useState<{ items: RequestPage['items']; nextCursor: string | null } | null>(null);
  useEffect(() => setMore(null), [base]);
  const nextCursor = more ? more.nextCursor : list.status === 'ready' ? list.data.nextCursor : null;
  const loadMore = async () => {
    if (!nextCursor) return;
    const page = await api.get<RequestPage>(`${base}&cursor=${encodeURIComponent(nextCursor)}`);
    setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor });
  };
  const shown = useMemo(() => (list.status === 'ready' ? [...list.data.items, ...(more?.items ?? [])] : []), [list, more]);
  const waitingCount = list.status === 'ready' ? list.data.counts.waitingForMe : null;

  return (
    <>
      <PageHeading>Requests</PageHeading>
      <SurveyPrompt />
      <TabList className={styles.tabs} selectedValue={view} onTabSelect={(_, d) => setView(d.value as View)} aria-label="Which requests">
        <Tab value="mine">My requests</Tab>
        <Tab value="waiting">{waitingCount === null ? 'Waiting for me' : `Waiting for me (${waitingCount})`}</Tab>
        <Tab value="shared">Shared with me</Tab>
        <Tab value="all">All I can see</Tab>
      </TabList>
      <div className={styles.filters} role="search" aria-label="Filter requests">
        {view !== 'shared' && (
          <Field label="State" className={styles.filter}>
            <Select value={stateFilter} onChange={(_, d) => setStateFilter(d.value)}>
              <option value="open">Open</option>
              <option value="closed">Closed</option>
              <option value="all">All</option>
              {REQUEST_STATES.map((s) => (
                <option key={s} value={s}>
                  {STATE_LABELS[s]}
                </option>
              ))}
            </Select>
          </Field>
        )}
        <Field
          label={{ children: 'Raised from', htmlFor: 'requests-raised-from' }}
          className={styles.date}
          validationMessage={touched.from ? fromProblem : undefined}
          validationState={touched.from && fromProblem ? 'error' : 'none'}
        >
          <UkDateInput id="requests-raised-from" value={raisedFrom} onChange={setRaisedFrom} onBlur={() => setTouched((t) => ({ ...t, from: true }))} />
        </Field>
        <Field
          label={{ children: 'Raised to', htmlFor: 'requests-raised-to' }}
          className={styles.date}
          validationMessage={touched.to ? toProblem : undefined}
          validationState={touched.to && toProblem ? 'error' : 'none'}
        >
          <UkDateInput id="requests-raised-to" value={raisedTo} onChange={setRaisedTo} onBlur={() => setTouched((t) => ({ ...t, to: true }))} />
        </Field>
        <Field label="Search" hint="Reference, case, or a child's or family name" className={styles.filter}>
          <Input value={text} onChange={(_, d) => setText(d.value)} />
        </Field>
      </div>
      {list.status === 'loading' && <Loading label="Loading requests…" />}
      {list.status === 'error' && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.status === 'ready' && (
        <>
          <p className={styles.count} aria-live="polite">
            {shown.length === 1 ? '1 request' : `${shown.length} requests`}
          </p>
          {shown.length === 0 ? (
            <EmptyState title={view === 'waiting' ? 'Nothing is waiting for you.' : 'No requests match.'}>
              {view === 'mine' && me.roles.includes('social_worker') ? <Link to="/new">Start a new Investigation Request</Link> : <span>Change the filters to see more.</span>}
            </EmptyState>
          ) : (
            <ul className={styles.list} aria-label="Requests">
              {shown.map((r) => (
                <li key={r.id} className={styles.item}>
                  <div>
                    <div className={styles.title}>
                      {/* A draft opens where it is written. */}
                      <Link to={r.abilities.includes('edit-draft') ? `/requests/${r.id}/edit` : `/requests/${r.id}`}>{r.reference}</Link> · case{' '}
                      {r.caseReference || 'not given yet'}
                      {r.overdue && <span className={styles.overdue}> · Overdue</span>}
                    </div>
                    {about(r) && <p className={styles.meta}>{about(r)}</p>}
                    <p className={styles.meta}>
                      {/* A draft has not been raised: it says when it was begun and last saved. */}
                      {r.state === 'draft'
                        ? `Draft started ${formatDate(r.createdAt)}, last saved ${formatDate(r.updatedAt)}`
                        : `Raised ${formatDate(r.createdAt)}, ${age(r.createdAt)}`}
                      {r.neededBy ? ` · needed by ${formatDate(r.neededBy)}` : ''}
                      {r.urgency === 'urgent' ? ' · urgent' : ''}
                    </p>
                  </div>
                  <div>
                    <StateBadge state={r.state} />
                    <p className={styles.meta}>Next: {NEXT_STEP[r.state]}</p>
                  </div>
                </li>
              ))}
            </ul>
          )}
          {nextCursor && (
            <Button appearance="secondary" onClick={() => void loadMore()}>
              Show more
            </Button>
          )}
        </>
      )}
    </>
  );
}
