/** Read-only presentation of a request's answers, shared by the detail, workspace and assessment pages. */
import type { ReactNode } from 'react';
import { makeStyles, tokens } from '@fluentui/react-components';
import { CONCERN_LABELS, SUBJECT_KIND_LABELS } from '../../../src/domain/forms';
import { formatDate } from '../../../src/domain/dates';
import type { ApiRequest, ApiSubject } from '../types';

const useStyles = makeStyles({
  list: {
    display: 'grid',
    gridTemplateColumns: 'minmax(140px, 1fr) minmax(0, 3fr)',
    gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
    margin: 0,
    '@media (max-width: 600px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  term: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground2 },
  value: { margin: 0, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap', '@media (max-width: 600px)': { marginBottom: tokens.spacingVerticalS } },
  card: {
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingVerticalM,
    marginBottom: tokens.spacingVerticalM,
    '& > h2:first-child': { marginTop: 0 },
  },
});

export function Card({ children, labelledBy }: { children: ReactNode; labelledBy?: string }) {
  const styles = useStyles();
  return (
    <section className={styles.card} aria-labelledby={labelledBy}>
      {children}
    </section>
  );
}

export function Details({ rows }: { rows: [string, ReactNode][] }) {
  const styles = useStyles();
  return (
    <dl className={styles.list}>
      {rows.map(([term, value]) => (
        <div key={term} style={{ display: 'contents' }}>
          <dt className={styles.term}>{term}</dt>
          <dd className={styles.value}>{value === undefined || value === null || value === '' ? '—' : value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A date as dd/mm/yyyy; empty while a draft has not given it. */
const date = (iso: string): string => (iso ? formatDate(iso) : '');

export function subjectName(s: ApiSubject, max = 80): string {
  if (s.name) return s.name;
  const d = s.description ?? '';
  return `Unknown associate: ${d.length > max ? `${d.slice(0, max - 1)}…` : d}`;
}

export function subjectRows(s: ApiSubject): [string, ReactNode][] {
  return [
    ['Kind', s.kind ? SUBJECT_KIND_LABELS[s.kind] : undefined],
    ...(s.kind === 'unknown_associate' ? [] : ([['Name', s.name]] as [string, ReactNode][])),
    ['Other names', s.otherNames],
    ['Description', s.description],
    ['Date of birth or age', s.dateOfBirth],
    ['Address or area', s.area],
    ['Relationship to the child', s.relationshipToChild],
    ['Known profile link', s.profileUrl],
  ];
}

export function requestRows(r: ApiRequest): [string, ReactNode][] {
  const name = (id: string | null | undefined) => (id ? (r.people?.[id] ?? id) : undefined);
  return [
    ['Case reference', r.caseReference],
    ['Team', r.team],
    ['Children', r.children.map((c) => (c.dateOfBirth ? `${c.name} (born ${formatDate(c.dateOfBirth)})` : c.name)).join('; ')],
    ['Originating worker', name(r.originatingWorkerId)],
    ['Team manager', name(r.teamManagerId)],
    ['Concerns', r.concernCategories.map((c) => (c === 'other' ? `Other: ${r.concernOther ?? ''}` : CONCERN_LABELS[c])).join('; ')],
    ['The concern', r.concernDetails],
    ['Why needed and proportionate', r.justification],
    ['Period to look at', r.period.from || r.period.to ? `${date(r.period.from) || '…'} to ${date(r.period.to) || '…'}` : ''],
    [
      'One-off or monitoring',
      r.monitoring ? `Monitoring, ${r.monitoring.frequency ?? '…'}, until ${date(r.monitoring.endDate) || '…'}. Why: ${r.monitoring.justification}` : 'One-off review',
    ],
    ['Urgency', r.urgency === 'urgent' ? 'Urgent' : 'Routine'],
    ['Needed by', date(r.neededBy)],
  ];
}
