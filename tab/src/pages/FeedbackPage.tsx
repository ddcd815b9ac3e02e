/** The pilot's feedback template, with the six-month follow-up once it is due. */
import { useState } from 'react';
import { Button, Input, Select, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { CONTRIBUTIONS, feedbackSchema, fieldErrors } from '../../../src/domain/forms';
import { ApiError, errorMessage, useApi } from '../api';
import { Link } from '../router';
import type { ApiRequest, SearchSession as ApiSearchSession } from '../types';
import { formatDate } from '../../../src/domain/dates';
import { ErrorState, Loading, Notice, PageHeading, useLoad } from '../components/common';
import { FormField, Group, fieldId } from '../components/form';
import { CONTRIBUTION_LABELS } from '../format';

const useStyles = makeStyles({
  form: { maxWidth: '760px' },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(200px, 100%), 1fr))', columnGap: tokens.spacingHorizontalM, alignItems: 'start', '& > *': { minWidth: 0 } },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center', margin: `${tokens.spacingVerticalM} 0` },
});

export default function FeedbackPage({ id }: { id: string }) {
  const api = useApi();
  const request = useLoad(() => api.get<ApiRequest>(`/api/requests/${encodeURIComponent(id)}`), `fb-${id}`);
  if (request.status === 'loading') return <Loading />;
  if (request.status === 'error') return <ErrorState error={request.error} onRetry={request.reload} />;
  return <FeedbackForm request={request.data} />;
}

function FeedbackForm({ request: r }: { request: ApiRequest }) {
  const styles = useStyles();
  const api = useApi();
  const f = r.feedback;
  const sessions = useLoad(() => api.get<ApiSearchSession[]>(`/api/requests/${encodeURIComponent(r.id)}/search-sessions`), `fb-sessions-${r.id}`);
  const measured =
    sessions.status === 'ready'
      ? { timesUsed: sessions.data.length, searchMinutes: Math.round(sessions.data.reduce((sum, s) => sum + (s.durationSeconds ?? 0), 0) / 60) }
      : f
        ? { timesUsed: f.timesUsed, searchMinutes: f.searchMinutes ?? 0 }
        : null;
  const followUpOpen = Boolean(r.followUpOpensAt) && new Date(r.followUpOpensAt ?? '').getTime() <= Date.now();
  const [useful, setUseful] = useState(f ? String(f.usefulPieces) : String(r.log?.assessment?.usefulPieces ?? ''));
  const [unique, setUnique] = useState(f ? String(f.uniquePieces) : String(r.log?.assessment?.uniquePieces ?? ''));
  const [contribution, setContribution] = useState<string>(f?.contribution ?? r.log?.assessment?.contribution ?? '');
  const [comments, setComments] = useState(f?.comments ?? '');
  const [followUp, setFollowUp] = useState<string>(f?.followUp?.longerTermUsefulness ?? '');
  const [followUpComments, setFollowUpComments] = useState(f?.followUp?.comments ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const number = (v: string) => (v.trim() === '' ? undefined : Number(v));
  const send = async () => {
    setResult(null);
    const body = {
      usefulPieces: number(useful),
      uniquePieces: number(unique),
      contribution: contribution || undefined,
      comments: comments || undefined,
      followUp: followUp ? { longerTermUsefulness: followUp, comments: followUpComments || undefined } : undefined,
    };
    const check = feedbackSchema.safeParse(body);
    if (!check.success) {
      setErrors(fieldErrors(check.error));
      setResult({ ok: false, text: 'Some answers need attention.' });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await api.send('PUT', `/api/requests/${encodeURIComponent(r.id)}/feedback`, check.data);
      setResult({ ok: true, text: 'Thank you: your feedback is saved.' });
    } catch (e) {
      if (e instanceof ApiError && e.fields) setErrors(e.fields);
      setResult({ ok: false, text: errorMessage(e) });
    }
    setBusy(false);
  };

  return (
    <form
      className={styles.form}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <PageHeading>Feedback: {r.reference}</PageHeading>
      <p>
        The pilot is judged on this feedback. <Link to={`/requests/${r.id}`}>Back to the request</Link>
      </p>
      <p id="f-measured">
        {measured
          ? `From the search sessions: used ${measured.timesUsed} time${measured.timesUsed === 1 ? '' : 's'}, ${measured.searchMinutes} minutes searching.`
          : 'Times used and time searching are taken from the search sessions.'}
      </p>
      <div className={styles.grid}>
        <FormField path="usefulPieces" label="Useful pieces of information" required error={errors.usefulPieces}>
          <Input id={fieldId('usefulPieces')} type="number" min={0} value={useful} onChange={(_, d) => setUseful(d.value)} />
        </FormField>
        <FormField path="uniquePieces" label="Pieces not otherwise available" required error={errors.uniquePieces}>
          <Input id={fieldId('uniquePieces')} type="number" min={0} value={unique} onChange={(_, d) => setUnique(d.value)} />
        </FormField>
        <FormField path="contribution" label="Contribution to the assessment" required error={errors.contribution}>
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
      <FormField path="comments" label="Comments" error={errors.comments}>
        <Textarea id={fieldId('comments')} value={comments} onChange={(_, d) => setComments(d.value)} rows={3} resize="vertical" />
      </FormField>
      <Group legend="Six-month follow-up">
        <p>
          Six months after the log was shared, say how useful it proved in the longer term.
          {r.followUpOpensAt && !followUpOpen && ` The follow-up opens on ${formatDate(r.followUpOpensAt)}.`}
        </p>
        {(followUpOpen || f?.followUp) && (
        <FormField path="followUp.longerTermUsefulness" label="Longer-term usefulness" error={errors['followUp.longerTermUsefulness']}>
          <Select id={fieldId('followUp.longerTermUsefulness')} value={followUp} onChange={(_, d) => setFollowUp(d.value)}>
            <option value="">Not yet (leave for the follow-up)</option>
            {CONTRIBUTIONS.map((c) => (
              <option key={c} value={c}>
                {CONTRIBUTION_LABELS[c]}
              </option>
            ))}
          </Select>
        </FormField>
        )}
        {followUp && (
          <FormField path="followUp.comments" label="Follow-up comments" error={errors['followUp.comments']}>
            <Textarea id={fieldId('followUp.comments')} value={followUpComments} onChange={(_, d) => setFollowUpComments(d.value)} rows={3} resize="vertical" />
          </FormField>
        )}
      </Group>
      <div aria-live="polite">{result && <Notice intent={result.ok ? 'success' : 'error'}>{result.text}</Notice>}</div>
      <div className={styles.row}>
        <Button appearance="primary" type="submit" disabledFocusable={busy}>
          Save feedback
        </Button>
      </div>
    </form>
  );
}
