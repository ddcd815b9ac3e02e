/** The originating worker reads the log and evidence, records the assessment, finalises, then shares. */
import { useState } from 'react';
import { Button, Input, Select, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { assessmentSchema, CONTRIBUTIONS } from '../../../src/domain/forms';
import type { WorkflowAction } from '../../../src/domain/states';
import { ApiError, errorMessage, useApi } from '../api';
import { Link } from '../router';
import { useSession } from '../session';
import type { ApiRequest, EvidenceItem } from '../types';
import { EmptyState, ErrorState, Loading, Notice, PageHeading, SectionHeading, useLoad } from '../components/common';
import { StateBadge } from '../components/StateBadge';
import { ActionDialog } from '../components/ActionDialog';
import { Card, Details, subjectName } from '../components/details';
import { ErrorSummary, FormField, countFieldErrors, fieldId } from '../components/form';
import { EvidenceList } from '../components/Evidence';
import { CONTRIBUTION_LABELS } from '../format';

const ASSESSMENT_LABELS: Record<string, string> = {
  summary: 'What the information adds',
  usefulPieces: 'Useful pieces of information',
  uniquePieces: 'Pieces not otherwise available',
  contribution: 'Contribution',
  actionsTaken: 'Actions taken',
};

const VISIBILITY_LABELS = { public: 'Public profile', restricted: 'Restricted profile', not_found: 'No profile found' } as const;

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center', margin: `${tokens.spacingVerticalS} 0` },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(200px, 100%), 1fr))', columnGap: tokens.spacingHorizontalM, alignItems: 'start', '& > *': { minWidth: 0 } },
  plain: { listStyleType: 'none', margin: 0, padding: 0 },
});

export default function AssessPage({ id }: { id: string }) {
  const api = useApi();
  const request = useLoad(() => api.get<ApiRequest>(`/api/requests/${encodeURIComponent(id)}`), `assess-${id}`);
  if (request.status === 'loading') return <Loading label="Loading the log…" />;
  if (request.status === 'error') return <ErrorState error={request.error} onRetry={request.reload} />;
  return <Assess request={request.data} onChanged={request.set} onReload={request.reload} />;
}

function Assess({ request: r, onChanged, onReload }: { request: ApiRequest; onChanged(r: ApiRequest): void; onReload(): void }) {
  const styles = useStyles();
  const api = useApi();
  const { me } = useSession();
  const evidence = useLoad(() => api.get<EvidenceItem[]>(`/api/requests/${encodeURIComponent(r.id)}/evidence`), `assess-ev-${r.id}`);
  const a = r.log?.assessment;
  const [summary, setSummary] = useState(a?.summary ?? '');
  const [useful, setUseful] = useState(a ? String(a.usefulPieces) : '');
  const [unique, setUnique] = useState(a ? String(a.uniquePieces) : '');
  const [contribution, setContribution] = useState<string>(a?.contribution ?? '');
  const [actionsTaken, setActionsTaken] = useState(a?.actionsTaken ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  // Bumped on each failed save, so the error summary takes focus again.
  const [summaryFocus, setSummaryFocus] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [action, setAction] = useState<WorkflowAction | null>(null);
  const editable = r.state === 'with_originating_worker';

  if (r.originatingWorkerId !== me.id) {
    return (
      <>
        <PageHeading>Assess and finalise</PageHeading>
        <EmptyState title="Only the originating worker assesses and finalises the log.">
          <Link to={`/requests/${r.id}`}>Back to the request</Link>
        </EmptyState>
      </>
    );
  }

  const number = (v: string) => (v.trim() === '' ? undefined : Number(v));
  const saveAssessment = async (thenFinalise: boolean) => {
    setFailure(null);
    setSaved(null);
    const assessment = { summary, usefulPieces: number(useful), uniquePieces: number(unique), contribution: contribution || undefined, actionsTaken };
    const check = assessmentSchema.safeParse(assessment);
    if (!check.success) {
      setErrors(countFieldErrors(check.error));
      setSummaryFocus((n) => n + 1);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      // The findings are the access worker's: only the assessment is sent.
      onChanged(await api.send<ApiRequest>('PUT', `/api/requests/${encodeURIComponent(r.id)}/log`, { assessment: check.data }));
      setSaved('Your assessment is saved.');
      if (thenFinalise) setAction('finalise');
    } catch (e) {
      if (e instanceof ApiError && e.fields) {
        setErrors(Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k.replace(/^assessment\./, ''), v])));
        setSummaryFocus((n) => n + 1);
      }
      setFailure(errorMessage(e));
    }
    setBusy(false);
  };

  return (
    <>
      <PageHeading>Assess and finalise: {r.reference}</PageHeading>
      <div className={styles.row}>
        <StateBadge state={r.state} /> <Link to={`/requests/${r.id}`}>See the whole request and timeline</Link>
      </div>
      <div aria-live="polite">{saved && <Notice intent="success">{saved}</Notice>}</div>
      <ErrorSummary errors={errors} labels={(path) => ASSESSMENT_LABELS[path] ?? 'Your assessment'} focusKey={summaryFocus} />

      <Card labelledBy="as-findings">
        <SectionHeading id="as-findings">What the access worker found</SectionHeading>
        {r.log && r.log.findings.length > 0 ? (
          r.log.findings.map((f) => {
            const s = r.subjects.find((x) => x.id === f.subjectId);
            return (
              <div key={f.subjectId}>
                <h3>{s ? subjectName(s) : f.subjectId}</h3>
                <Details rows={[['Profile', VISIBILITY_LABELS[f.visibility]], ['Link', f.profileUrl], ['What was seen', f.summary]]} />
              </div>
            );
          })
        ) : (
          <p>No findings were recorded.</p>
        )}
        {r.log?.accessWorkerComments && <Details rows={[['Access worker’s comments', r.log.accessWorkerComments]]} />}
        <h3>Evidence</h3>
        {evidence.status === 'loading' && <Loading />}
        {evidence.status === 'error' && <ErrorState error={evidence.error} onRetry={evidence.reload} />}
        {evidence.status === 'ready' && <EvidenceList items={evidence.data} requestId={r.id} subjects={r.subjects} people={r.people} />}
        {r.log && r.log.furtherPersons.length > 0 && (
          <>
            <h3>Further people identified</h3>
            <ul className={styles.plain}>
              {r.log.furtherPersons.map((p, i) => (
                <li key={i}>
                  {p.description}{' '}
                  <Link to={`/new?linkedFrom=${encodeURIComponent(r.id)}&describe=${encodeURIComponent(p.description)}`}>Raise a linked request</Link>
                </li>
              ))}
            </ul>
          </>
        )}
      </Card>

      <Card labelledBy="as-assessment">
        <SectionHeading id="as-assessment">Your assessment</SectionHeading>
        {editable ? (
          <>
            <FormField path="summary" label="What the information adds" required error={errors.summary}>
              <Textarea id={fieldId('summary')} value={summary} onChange={(_, d) => setSummary(d.value)} rows={4} resize="vertical" />
            </FormField>
            <div className={styles.grid}>
              <FormField path="usefulPieces" label="Useful pieces of information" required error={errors.usefulPieces}>
                <Input id={fieldId('usefulPieces')} type="number" min={0} value={useful} onChange={(_, d) => setUseful(d.value)} />
              </FormField>
              <FormField path="uniquePieces" label="Pieces not otherwise available" required error={errors.uniquePieces}>
                <Input id={fieldId('uniquePieces')} type="number" min={0} value={unique} onChange={(_, d) => setUnique(d.value)} />
              </FormField>
              <FormField path="contribution" label="Contribution" required error={errors.contribution}>
                <Select id={fieldId('contribution')} value={contribution} onChange={(_, d) => setContribution(d.value)}>
                  <option value="">Choose…</option>
                  {CONTRIBUTIONS.map((c) => (
                    <option key={c} value={c}>
                      {CONTRIBUTION_LABELS[c]}
                    </option>
                  ))}
                </Select>
              </FormField>
            </div>
            <FormField path="actionsTaken" label="Actions taken" required error={errors.actionsTaken}>
              <Textarea id={fieldId('actionsTaken')} value={actionsTaken} onChange={(_, d) => setActionsTaken(d.value)} rows={3} resize="vertical" />
            </FormField>
          </>
        ) : (
          // Once finalised the answers are a record: read as text, not as greyed-out inputs.
          <Details
            rows={[
              ['What the information adds', summary],
              ['Useful pieces of information', useful],
              ['Pieces not otherwise available', unique],
              ['Contribution', contribution ? CONTRIBUTION_LABELS[contribution as (typeof CONTRIBUTIONS)[number]] : ''],
              ['Actions taken', actionsTaken],
            ]}
          />
        )}
        <div aria-live="assertive">{failure && <Notice intent="error">{failure}</Notice>}</div>
        <div className={styles.row}>
          {editable && (
            <>
              <Button disabledFocusable={busy} onClick={() => void saveAssessment(false)}>
                Save assessment
              </Button>
              <Button appearance="primary" disabledFocusable={busy} onClick={() => void saveAssessment(true)}>
                Save and finalise
              </Button>
            </>
          )}
          {r.state === 'finalised' && r.allowedActions.some((a) => a.action === 'share') && (
            <Button appearance="primary" onClick={() => setAction('share')}>
              Share with team manager, service manager and director
            </Button>
          )}
          {['shared', 'closed'].includes(r.state) && <Link to={`/requests/${r.id}/feedback`}>Give feedback on this check</Link>}
        </div>
      </Card>

      <ActionDialog
        action={action}
        request={r}
        onClose={() => setAction(null)}
        onStale={onReload}
        onDone={(updated, taken) => {
          setAction(null);
          onChanged(updated);
          setSaved(taken === 'share' ? 'Shared. The log is filed again saying with whom; place the documents on the case record and record it on the request.' : 'The log is finalised. Share it when you are ready.');
        }}
      />
    </>
  );
}
