/** "My requests" and "Waiting for me", with state, age, next step and filters. */
import { useMemo, useState } from 'react';
import { Field, Input, Select, Tab, TabList, makeStyles, tokens } from '@fluentui/react-components';
import { CLOSED_STATES, REQUEST_STATES, STATE_LABELS, type WorkflowAction } from '../../../src/domain/states';
import { formatDate } from '../../../src/domain/dates';
import { useApi } from '../api';
import { Link } from '../router';
import { useSession } from '../session';
import type { ApiRequest } from '../types';
import { age, NEXT_STEP } from '../format';
import { EmptyState, ErrorState, Loading, PageHeading, useLoad } from '../components/common';
import { StateBadge } from '../components/StateBadge';

/** Actions that are someone's next step; withdrawing or cancelling is always possible and is not "waiting". */
const NOT_WAITING: readonly WorkflowAction[] = ['withdraw', 'cancel', 'review-monitoring'];

const useStyles = makeStyles({
  tabs: { flexWrap: 'wrap' },
  filters: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, margin: `${tokens.spacingVerticalM} 0` },
  filter: { minWidth: '180px', flexGrow: 1, maxWidth: '320px' },
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
  count: { color: tokens.colorNeutralForeground2, margin: `0 0 ${tokens.spacingVerticalS}` },
});

type View = 'mine' | 'waiting' | 'shared' | 'all';

export default function RequestsPage() {
  const styles = useStyles();
  const api = useApi();
  const { me } = useSession();
  const list = useLoad(() => api.get<ApiRequest[]>('/api/requests'), 'requests');
  const [view, setView] = useState<View>(me.roles.includes('social_worker') ? 'mine' : 'waiting');
  const [stateFilter, setStateFilter] = useState('open');
  const [text, setText] = useState('');

  const shown = useMemo(() => {
    if (list.status !== 'ready') return [];
    const needle = text.trim().toLowerCase();
    return list.data
      .filter((r) => {
        if (view === 'mine') return r.originatingWorkerId === me.id;
        if (view === 'waiting') return (r.allowedActions ?? []).some((a) => !NOT_WAITING.includes(a));
        if (view === 'shared') return (r.sharedWith ?? []).some((s) => s.personId === me.id);
        return true;
      })
      .filter((r) => {
        // A shared log is closed by sharing: the logs shared with you are found whatever the state filter.
        if (stateFilter === 'all' || view === 'shared') return true;
        if (stateFilter === 'open') return !CLOSED_STATES.includes(r.state);
        if (stateFilter === 'closed') return CLOSED_STATES.includes(r.state);
        return r.state === stateFilter;
      })
      .filter((r) => !needle || `${r.reference} ${r.caseReference}`.toLowerCase().includes(needle))
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }, [list, view, stateFilter, text, me.id]);

  return (
    <>
      <PageHeading>Requests</PageHeading>
      <TabList className={styles.tabs} selectedValue={view} onTabSelect={(_, d) => setView(d.value as View)} aria-label="Which requests">
        <Tab value="mine">My requests</Tab>
        <Tab value="waiting">Waiting for me</Tab>
        <Tab value="shared">Shared with me</Tab>
        <Tab value="all">All I can see</Tab>
      </TabList>
      <div className={styles.filters} role="search" aria-label="Filter requests">
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
        <Field label="Reference or case" className={styles.filter}>
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
                      <Link to={`/requests/${r.id}`}>{r.reference}</Link> · case {r.caseReference}
                    </div>
                    <p className={styles.meta}>
                      Raised {formatDate(r.createdAt)} · age {age(r.createdAt)} · needed by {formatDate(r.neededBy)}
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
        </>
      )}
    </>
  );
}
