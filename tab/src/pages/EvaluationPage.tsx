/**
 * The pilot evaluation dashboard for service managers and service directors: the three criteria
 * side by side, then counts, medians and distributions, time searched against contribution, and
 * trends by month and team — for a period and a team, with the exports.
 */
import { useState, type FormEvent } from 'react';
import { Button, Card, Field, Select, makeStyles, tokens } from '@fluentui/react-components';
import { formatDate, parseUkDate } from '../../../src/domain/dates';
import { OUTCOMES, OUTCOME_LABELS } from '../../../src/domain/evaluation';
import { CONTRIBUTIONS } from '../../../src/domain/forms';
import { errorMessage, useApi } from '../api';
import { BarChart } from '../components/BarChart';
import { counted, monthInWords } from '../format';
import { UkDateInput } from '../components/UkDateInput';
import { ErrorState, Loading, Notice, PageHeading, SectionHeading, useLoad } from '../components/common';
import type { Evaluation as Figures } from '../types';

const useStyles = makeStyles({
  field: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  filters: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'end', marginBottom: tokens.spacingVerticalL },
  criteria: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(240px, 100%), 1fr))', gap: tokens.spacingHorizontalM },
  big: { fontSize: tokens.fontSizeHero700, lineHeight: tokens.lineHeightHero700, fontWeight: tokens.fontWeightSemibold, margin: 0 },
  question: { margin: 0, fontWeight: tokens.fontWeightSemibold },
  small: { margin: 0, color: tokens.colorNeutralForeground2 },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(420px, 100%), 1fr))', columnGap: tokens.spacingHorizontalXL },
  exports: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, margin: `${tokens.spacingVerticalS} 0` },
});

const CONTRIBUTION_WORDS: Record<string, string> = { little: 'Little', some: 'Some', considerable: 'Considerable', significant: 'Significant' };
const pct = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);

function defaultPeriod(): { from: string; to: string } {
  const to = new Date();
  const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 5, 1));
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

export default function EvaluationPage() {
  const styles = useStyles();
  const api = useApi();
  const [draft, setDraft] = useState({ ...defaultPeriod(), team: '' });
  const [query, setQuery] = useState(draft);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  // Checked here, beside each field, rather than sent and answered with a page-wide failure.
  const [dateErrors, setDateErrors] = useState<{ from?: string; to?: string }>({});
  const qs = `from=${query.from}&to=${query.to}${query.team ? `&team=${encodeURIComponent(query.team)}` : ''}`;
  const figures = useLoad(() => api.get<Figures>(`/api/evaluation?${qs}`), qs);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const problems: { from?: string; to?: string } = {};
    const from = parseUkDate(draft.from);
    const to = parseUkDate(draft.to);
    if (!from) problems.from = 'Give a real date as dd/mm/yyyy, for example 01/04/2026.';
    if (!to) problems.to = 'Give a real date as dd/mm/yyyy, for example 30/09/2026.';
    if (from && to && from > to) problems.to = 'The end of the period must not be before its start.';
    setDateErrors(problems);
    if (problems.from || problems.to) return;
    setQuery(draft);
  };
  const download = async (path: string, name: string) => {
    setDownloadError(null);
    try {
      const blob = await api.blob(path);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      setDownloadError(errorMessage(error));
    }
  };

  return (
    <>
      <PageHeading>Pilot evaluation</PageHeading>
      <form className={styles.filters} onSubmit={apply} aria-label="Period and team">
        <Field className={styles.field} label={{ children: 'From', htmlFor: 'evaluation-from' }} validationMessage={dateErrors.from} validationState={dateErrors.from ? 'error' : 'none'}>
          <UkDateInput id="evaluation-from" value={draft.from} onChange={(from) => setDraft({ ...draft, from })} />
        </Field>
        <Field className={styles.field} label={{ children: 'To', htmlFor: 'evaluation-to' }} validationMessage={dateErrors.to} validationState={dateErrors.to ? 'error' : 'none'}>
          <UkDateInput id="evaluation-to" value={draft.to} onChange={(to) => setDraft({ ...draft, to })} />
        </Field>
        <Field label="Team">
          <Select value={draft.team} onChange={(_, d) => setDraft({ ...draft, team: d.value })}>
            <option value="">All teams</option>
            {(figures.status === 'ready' ? figures.data.teams : []).map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" appearance="primary">
          Show figures
        </Button>
      </form>
      {figures.status === 'loading' && <Loading />}
      {figures.status === 'error' && <ErrorState error={figures.error} onRetry={figures.reload} />}
      {figures.status === 'ready' && (
        <Dashboard
          f={figures.data}
          onDownload={(format) =>
            void (format === 'docx'
              ? download(`/api/evaluation/summary.docx?${qs}`, 'pilot-evaluation-summary.docx')
              : download(`/api/evaluation/export?format=${format}&${qs}`, `pilot-evaluation.${format}`))
          }
        />
      )}
      {downloadError && (
        <Notice intent="error" title="The export could not be downloaded">
          {downloadError}
        </Notice>
      )}
    </>
  );
}

function Dashboard({ f, onDownload }: { f: Figures; onDownload(format: 'csv' | 'xlsx' | 'docx'): void }) {
  const styles = useStyles();
  const c = f.criteria;
  return (
    <>
      <p className={styles.small}>
        {f.uses.requests} {f.uses.requests === 1 ? 'request' : 'requests'} submitted {formatDate(f.period.from)} to {formatDate(f.period.to)}
        {f.team ? ` by ${f.team}` : ' by all teams'}. Figures come from the recorded work: the audit trail, the timed search sessions and the logs.
      </p>
      <div className={styles.exports}>
        <Button onClick={() => onDownload('csv')}>Download CSV</Button>
        <Button onClick={() => onDownload('xlsx')}>Download Excel</Button>
        <Button onClick={() => onDownload('docx')}>Summary for the Service Director (.docx)</Button>
      </div>

      <SectionHeading>The three questions</SectionHeading>
      <div className={styles.criteria}>
        <Card>
          <p className={styles.question}>1. Information not otherwise available</p>
          <p className={styles.big}>{pct(c.notOtherwiseAvailable.share)}</p>
          <p className={styles.small}>
            {c.notOtherwiseAvailable.withUniquePieces} of {c.notOtherwiseAvailable.assessed} assessed checks found unique pieces ({c.notOtherwiseAvailable.uniquePieces} in all).
          </p>
        </Card>
        <Card>
          <p className={styles.question}>2. Value to the assessment</p>
          <p className={styles.big}>{pct(c.valueToAssessment.share)}</p>
          <p className={styles.small}>
            {c.valueToAssessment.considerableOrSignificant} of {c.valueToAssessment.assessed} contributed considerably or significantly.
          </p>
        </Card>
        <Card>
          <p className={styles.question}>3. Time proportionate to value</p>
          <p className={styles.big}>{c.proportionateTime.medianSearchMinutes === null ? '—' : `${c.proportionateTime.medianSearchMinutes} min`}</p>
          <p className={styles.small}>
            Median search per check; {c.proportionateTime.minutesPerUsefulPiece === null ? 'no useful pieces yet' : `${c.proportionateTime.minutesPerUsefulPiece} minutes per useful piece`}.
          </p>
        </Card>
      </div>

      <div className={styles.grid}>
        <section aria-labelledby="outcomes">
          <SectionHeading id="outcomes">Outcomes</SectionHeading>
          <BarChart title="Requests by outcome" valueHeading="Requests" bars={OUTCOMES.map((o) => ({ label: OUTCOME_LABELS[o], value: f.outcomes.counts[o] }))} />
        </section>
        <section aria-labelledby="turnaround">
          <SectionHeading id="turnaround">Turnaround</SectionHeading>
          <BarChart
            title="Median hours between steps"
            valueHeading="Median hours (requests)"
            bars={f.turnaround.map((t) => ({ label: `${t.from} → ${t.to}`, value: t.median, display: t.median === null ? '—' : `${t.median} h (${t.count})` }))}
          />
        </section>
        <section aria-labelledby="time">
          <SectionHeading id="time">Time searching</SectionHeading>
          <p className={styles.small}>
            {counted(f.time.totalSearchMinutes, 'minute')} in {counted(f.time.sessions, 'timed session')}; median {f.time.perRequestMinutes.median ?? '—'} minutes per request.
          </p>
          <BarChart title="Requests by time searched" valueHeading="Requests" bars={f.time.buckets.map((b) => ({ label: b.label, value: b.requests }))} />
        </section>
        <section aria-labelledby="contribution">
          <SectionHeading id="contribution">Contribution</SectionHeading>
          <BarChart title="Assessed requests by contribution" valueHeading="Requests" bars={CONTRIBUTIONS.map((k) => ({ label: CONTRIBUTION_WORDS[k] ?? k, value: f.value.contribution[k] }))} />
          <BarChart
            title="Time searched against contribution (median minutes)"
            valueHeading="Median minutes (requests)"
            bars={f.timeAgainstContribution.map((t) => ({ label: CONTRIBUTION_WORDS[t.contribution] ?? t.contribution, value: t.medianSearchMinutes, display: t.medianSearchMinutes === null ? '—' : `${t.medianSearchMinutes} min (${t.requests})` }))}
          />
        </section>
        <section aria-labelledby="months">
          <SectionHeading id="months">Trend by month</SectionHeading>
          <BarChart title="Requests submitted by month" valueHeading="Requests" bars={f.byMonth.map((m) => ({ label: monthInWords(m.month), value: m.requests, display: `${m.requests} (${m.completed} completed)` }))} />
        </section>
        <section aria-labelledby="teams">
          <SectionHeading id="teams">By team</SectionHeading>
          <BarChart title="Requests by team" valueHeading="Requests" bars={f.byTeam.map((t) => ({ label: t.team, value: t.requests, display: `${t.requests} (${counted(t.uniquePieces, 'unique piece')})` }))} />
          <BarChart title="Requests by access worker" valueHeading="Requests (minutes searched)" bars={f.uses.byAccessWorker.map((w) => ({ label: w.displayName, value: w.requests, display: `${w.requests} (${w.searchMinutes} min)` }))} />
        </section>
        <section aria-labelledby="followup">
          <SectionHeading id="followup">Six-month follow-up and survey</SectionHeading>
          <p className={styles.small}>
            Follow-ups: {f.followUp.given} given, {f.followUp.outstanding} outstanding of {f.followUp.due} due. Survey: {counted(f.survey.answers, 'answer')}; median ease {f.survey.medianEase ?? '—'}, median effectiveness {f.survey.medianEffectiveness ?? '—'} (out of 5).
          </p>
          <BarChart title="Longer-term usefulness at follow-up" valueHeading="Requests" bars={CONTRIBUTIONS.map((k) => ({ label: CONTRIBUTION_WORDS[k] ?? k, value: f.followUp.longerTermUsefulness[k] }))} />
        </section>
        <section aria-labelledby="notproceeding">
          <SectionHeading id="notproceeding">Requests that did not proceed, and why</SectionHeading>
          {f.outcomes.notProceeding.length === 0 ? (
            <p className={styles.small}>None in this period.</p>
          ) : (
            <ul>
              {f.outcomes.notProceeding.map((n) => (
                <li key={n.outcome}>
                  {OUTCOME_LABELS[n.outcome]}: {n.requests} {n.requests === 1 ? 'request' : 'requests'}
                  <ul>
                    {n.reasons.map((r) => (
                      <li key={r.reason ?? ''}>
                        {r.reason ?? 'No reason recorded'} ({r.requests})
                      </li>
                    ))}
                    {n.otherReasons > 0 && <li>Other reasons ({n.otherReasons})</li>}
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}
