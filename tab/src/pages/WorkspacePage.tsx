/**
 * The access worker's workspace: confirm legitimacy or raise a doubt, run timed search
 * sessions, record findings per person, upload evidence, propose further people and
 * complete the Investigation Log.
 */
import { useEffect, useRef, useState } from 'react';
import { Button, Checkbox, Input, Radio, RadioGroup, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { fieldErrors, investigationLogSchema } from '../../../src/domain/forms';
import { formatDate, formatDateTime } from '../../../src/domain/dates';
import type { WorkflowAction } from '../../../src/domain/states';
import { ApiError, errorMessage, useApi } from '../api';
import { Link } from '../router';
import { useSession } from '../session';
import type { ApiFinding, ApiLog, ApiRequest, ApiScope, EvidenceItem, SearchSession } from '../types';
import { ACTION_LABELS, duration } from '../format';
import { EmptyState, ErrorState, Loading, Notice, PageHeading, SectionHeading, useLoad } from '../components/common';
import { StateBadge } from '../components/StateBadge';
import { ActionDialog } from '../components/ActionDialog';
import { Card, Details, subjectName, subjectRows } from '../components/details';
import { EvidenceList } from '../components/Evidence';
import { EvidenceUpload } from '../components/EvidenceUpload';
import { useNotify } from '../components/toast';
import { ErrorSummary, FormField, Group, fieldId } from '../components/form';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center', margin: `${tokens.spacingVerticalS} 0` },
  timer: { fontSize: tokens.fontSizeHero700, fontVariantNumeric: 'tabular-nums', fontWeight: tokens.fontWeightSemibold, minWidth: '5ch' },
  plain: { listStyleType: 'none', margin: 0, padding: 0, overflowWrap: 'anywhere' },
  meta: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

type FindingDraft = { visibility: ApiFinding['visibility'] | ''; profileUrl: string; summary: string };

export default function WorkspacePage({ id }: { id: string }) {
  const api = useApi();
  const path = `/api/requests/${encodeURIComponent(id)}`;
  const request = useLoad(() => api.get<ApiRequest>(path), `ws-${id}`);
  if (request.status === 'loading') return <Loading label="Loading the workspace…" />;
  if (request.status === 'error') return <ErrorState error={request.error} onRetry={request.reload} />;
  return <Workspace request={request.data} onChanged={request.set} onReload={request.reload} />;
}

/** The last day the authorisation may first be used: once searching has begun it has done its work. */
function useByText(useBy: string, firstSearchStartedAt: string | null): string {
  return firstSearchStartedAt ? `${formatDate(useBy)}: searching began in time, on ${formatDate(firstSearchStartedAt)}` : `Start searching by ${formatDate(useBy)}`;
}

/** When searching must stop: a one-off check's window from its first session, or the end of monitoring. */
function endsText(scope: ApiScope, r: ApiRequest): string {
  if (scope.monitoring) return `Monitoring ends ${formatDate(scope.monitoring.endDate)}; next review ${formatDate(scope.monitoring.nextReviewOn)}`;
  if (r.searchWindowClosesAt) return `Searching closes ${formatDateTime(r.searchWindowClosesAt)}, or when you complete the log`;
  return `${r.oneOffReviewDays === 1 ? '1 day' : `${r.oneOffReviewDays} days`} after the first search session starts, or when you complete the log`;
}

function Workspace({ request: r, onChanged, onReload }: { request: ApiRequest; onChanged(r: ApiRequest): void; onReload(): void }) {
  const styles = useStyles();
  const { me } = useSession();
  const scope = r.authorisation?.scope;
  const inScope = r.subjects.filter((s) => scope?.subjectIds.includes(s.id));
  const [action, setAction] = useState<WorkflowAction | null>(null);
  const [corporate, setCorporate] = useState(false);
  const [sessionHeld, setSessionHeld] = useState(false);
  const notify = useNotify();

  if (r.accessWorkerId !== me.id) {
    return (
      <>
        <PageHeading>Access worker workspace</PageHeading>
        <EmptyState title="This workspace is for the access worker who holds the request.">
          <Link to={`/requests/${r.id}`}>Back to the request</Link>
        </EmptyState>
      </>
    );
  }

  return (
    <>
      <PageHeading>Workspace: {r.reference}</PageHeading>
      <div className={styles.row}>
        <StateBadge state={r.state} /> <Link to={`/requests/${r.id}`}>See the whole request and timeline</Link>
      </div>

      <Card labelledBy="ws-scope">
        <SectionHeading id="ws-scope">What you may search</SectionHeading>
        <Details
          rows={[
            ['Period', scope ? `${formatDate(scope.period.from)} to ${formatDate(scope.period.to)}` : ''],
            ['Kind', scope?.kind === 'monitoring' ? 'Monitoring' : 'One-off review'],
            ['Conditions', scope?.conditions],
            // The access worker judges whether the reason makes sense: the concern alone is not the reason.
            ['Concern', r.concernDetails],
            ['Why a check is needed and proportionate', r.justification],
            ...(r.monitoring ? ([['Why monitoring is needed', r.monitoring.justification]] as [string, string][]) : []),
            ['Use by', scope ? useByText(scope.useBy, r.firstSearchStartedAt) : ''],
            ['Ends', scope ? endsText(scope, r) : ''],
          ]}
        />
        {/* Every detail the worker gave, in full: the access worker finds the right profile from these. */}
        {inScope.map((s, i) => (
          <div key={s.id}>
            <h3>
              Person {i + 1}: {subjectName(s, 200)}
            </h3>
            <Details rows={subjectRows(s)} />
          </div>
        ))}
        <Notice intent="info">Record only what is visible without being a “friend”, and use the corporate account, never a personal profile.</Notice>
      </Card>

      {r.state === 'assigned' && (
        <Card labelledBy="ws-legit">
          <SectionHeading id="ws-legit">Is the log-on legitimate?</SectionHeading>
          <p>Check the request is authorised, the people and period are in scope, and the reason makes sense. If anything worries you, raise a doubt.</p>
          <Checkbox checked={corporate} onChange={(_, d) => setCorporate(d.checked === true)} label="I will use the corporate account, never a personal profile" />
          <div className={styles.row}>
            <Button appearance="primary" disabled={!corporate} onClick={() => setAction('confirm-legitimacy')}>
              Confirm legitimacy
            </Button>
            <Button onClick={() => setAction('raise-doubt')}>Raise a doubt</Button>
          </div>
        </Card>
      )}

      {r.state === 'searching' && (
        <>
          <SearchSessions request={r} subjects={inScope} onHeld={setSessionHeld} onStarted={onReload} />
          <EvidenceSection requestId={r.id} subjects={inScope} sessionHeld={sessionHeld} people={r.people} />
          <LogEditor
            request={r}
            subjects={inScope}
            onSaved={(updated) => {
              onChanged(updated);
              notify('success', 'The Investigation Log is saved.');
            }}
            onComplete={() => setAction('complete-log')}
            onRaiseDoubt={() => setAction('raise-doubt')}
          />
        </>
      )}

      {!['assigned', 'searching'].includes(r.state) && (
        <EmptyState title="There is nothing to do here now.">
          <Link to={`/requests/${r.id}`}>Back to the request</Link>
        </EmptyState>
      )}

      <ActionDialog
        action={action}
        request={r}
        onClose={() => setAction(null)}
        onStale={onReload}
        onDone={(updated, taken) => {
          setAction(null);
          onChanged(updated);
          notify('success', taken === 'complete-log' ? 'The log has gone to the originating worker.' : `${ACTION_LABELS[taken]}: done.`);
        }}
      />
    </>
  );
}

/** Tells the page whether a session has started (running now or held before), which evidence needs. */
function SearchSessions({ request, subjects, onHeld, onStarted }: { request: ApiRequest; subjects: ApiRequest['subjects']; onHeld(held: boolean): void; onStarted(): void }) {
  const requestId = request.id;
  const styles = useStyles();
  const [corporate, setCorporate] = useState(false);
  // Who the next session searches (the Investigation Log records it per session): everyone in scope until unticked.
  const [searching, setSearching] = useState<string[]>(() => subjects.map((s) => s.id));
  const names = new Map(subjects.map((s) => [s.id, subjectName(s, 80)]));
  const api = useApi();
  const path = `/api/requests/${encodeURIComponent(requestId)}/search-sessions`;
  const sessions = useLoad(() => api.get<SearchSession[]>(path), `sessions-${requestId}`);
  const [now, setNow] = useState(() => Date.now());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState('');
  const open = sessions.status === 'ready' ? sessions.data.find((s) => !s.endedAt) : undefined;
  const held = sessions.status === 'ready' && sessions.data.length > 0;
  useEffect(() => onHeld(held), [held, onHeld]);

  useEffect(() => {
    if (!open) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [open]);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const s = await api.send<SearchSession>('POST', path, { corporateAccount: true, subjectIds: subjects.filter((x) => searching.includes(x.id)).map((x) => x.id) });
      setCorporate(false);
      setNow(Date.now());
      if (sessions.status === 'ready') sessions.set([...sessions.data, s]);
      setSaid('Search session started. The timer is running.');
      // The first session of a one-off check opens its search window: the request now says until when.
      onStarted();
    } catch (e) {
      setError(errorMessage(e));
    }
    setBusy(false);
  };
  const stop = async (s: SearchSession) => {
    setBusy(true);
    setError(null);
    try {
      const ended = await api.send<SearchSession>('POST', `${path}/${encodeURIComponent(s.id)}/end`, {});
      if (sessions.status === 'ready') sessions.set(sessions.data.map((x) => (x.id === s.id ? ended : x)));
      setSaid(`Search session ended after ${duration(ended.durationSeconds ?? 0)}.`);
    } catch (e) {
      setError(errorMessage(e));
    }
    setBusy(false);
  };

  const total = sessions.status === 'ready' ? sessions.data.reduce((sum, s) => sum + (s.durationSeconds ?? 0), 0) : 0;
  return (
    <Card labelledBy="ws-sessions">
      <SectionHeading id="ws-sessions">Search sessions</SectionHeading>
      <p>Start a session before you search and end it when you stop. Time taken is measured, not typed.</p>
      {request.authorisation?.scope.kind === 'one_off' && (
        <p id="ws-window">
          {request.searchWindowClosesAt
            ? `This one-off check may search until ${formatDateTime(request.searchWindowClosesAt)}, or until you complete the log. After that, searching again needs a new authorisation.`
            : `This is a one-off check: once the first session starts, searching is possible for ${request.oneOffReviewDays ?? 7} days, or until you complete the log.`}
        </p>
      )}
      {sessions.status === 'loading' && <Loading />}
      {sessions.status === 'error' && <ErrorState error={sessions.error} onRetry={sessions.reload} />}
      {sessions.status === 'ready' && (
        <>
          {!open && subjects.length > 1 && (
            <Group legend="People you will search in this session">
              {subjects.map((subject) => (
                <Checkbox
                  key={subject.id}
                  checked={searching.includes(subject.id)}
                  onChange={(_, d) => setSearching((now) => (d.checked === true ? [...now, subject.id] : now.filter((id) => id !== subject.id)))}
                  label={names.get(subject.id)}
                />
              ))}
              {searching.length === 0 && <p className={styles.meta}>Choose at least one person to start a session.</p>}
            </Group>
          )}
          <div className={styles.row}>
            <span className={styles.timer} role="timer" aria-label="Time in this session">
              {open ? duration((now - new Date(open.startedAt).getTime()) / 1000) : '0:00'}
            </span>
            {!open && <Checkbox checked={corporate} onChange={(_, d) => setCorporate(d.checked === true)} label="I am signed in with the corporate account, never a personal profile" />}
            {/* One button that changes its words, so focus stays on it when a session starts or stops. */}
            <Button appearance="primary" disabledFocusable={busy || (!open && (!corporate || searching.length === 0))} onClick={() => void (open ? stop(open) : start())}>
              {open ? 'Stop search session' : 'Start search session'}
            </Button>
          </div>
          <div role="status" aria-live="polite">
            {said}
          </div>
          <div aria-live="assertive">{error && <Notice intent="error">{error}</Notice>}</div>
          {sessions.data.length > 0 && (
            <ul className={styles.plain} aria-label="Sessions held">
              {sessions.data.map((s) => (
                <li key={s.id} className={styles.meta}>
                  {formatDateTime(s.startedAt)} – {s.endedAt ? `${formatDateTime(s.endedAt)} (${duration(s.durationSeconds ?? 0)})` : 'running'}
                  {s.subjectIds.length > 0 ? ` · searched: ${s.subjectIds.map((id) => names.get(id) ?? 'a person no longer in scope').join(', ')}` : ''}
                  {s.corporateAccount ? ' · corporate account confirmed' : ''}
                </li>
              ))}
            </ul>
          )}
          <p className={styles.meta}>Total time searching: {duration(total)}</p>
        </>
      )}
    </Card>
  );
}

function EvidenceSection({
  requestId,
  subjects,
  sessionHeld,
  people,
}: {
  requestId: string;
  subjects: ApiRequest['subjects'];
  sessionHeld: boolean;
  people: ApiRequest['people'];
}) {
  const api = useApi();
  const path = `/api/requests/${encodeURIComponent(requestId)}/evidence`;
  const list = useLoad(() => api.get<EvidenceItem[]>(path), `evidence-${requestId}`);
  return (
    <Card labelledBy="ws-evidence">
      <SectionHeading id="ws-evidence">Evidence</SectionHeading>
      <EvidenceUpload
        requestId={requestId}
        subjects={subjects}
        onUploaded={() => list.reload()}
        blockedBecause={sessionHeld ? undefined : 'Start a search session above before you add evidence: what is saved must come from a timed session with the corporate account.'}
      />
      <h3>Saved evidence</h3>
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.status === 'ready' && <EvidenceList items={list.data} requestId={requestId} subjects={subjects} people={people} />}
    </Card>
  );
}

function LogEditor({
  request: r,
  subjects,
  onSaved,
  onComplete,
  onRaiseDoubt,
}: {
  request: ApiRequest;
  subjects: ApiRequest['subjects'];
  onSaved(updated: ApiRequest): void;
  onComplete(): void;
  onRaiseDoubt(): void;
}) {
  const styles = useStyles();
  const api = useApi();
  const [findings, setFindings] = useState<Record<string, FindingDraft>>(() =>
    Object.fromEntries(
      subjects.map((s) => {
        const f = r.log?.findings.find((x) => x.subjectId === s.id);
        return [s.id, { visibility: f?.visibility ?? '', profileUrl: f?.profileUrl ?? '', summary: f?.summary ?? '' }];
      }),
    ),
  );
  const [further, setFurther] = useState<string[]>(() => r.log?.furtherPersons.map((p) => p.description) ?? []);
  const proposeButton = useRef<HTMLButtonElement>(null);
  const [comments, setComments] = useState(r.log?.accessWorkerComments ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Bumped on each refused save: the list of problems, with links to each field, takes focus.
  const [summaryFocus, setSummaryFocus] = useState(0);
  const FIELD_LABELS: Record<string, string> = { visibility: 'Profile', profileUrl: 'Profile link', summary: 'What was seen' };
  const problemLabel = (path: string): string => {
    const finding = /^finding\.([^.]+)\.(.+)$/.exec(path);
    if (finding) {
      const subject = subjects.find((s) => s.id === finding[1]);
      return `${subject ? subjectName(subject) : 'A person'}, ${FIELD_LABELS[finding[2] ?? ''] ?? finding[2]}`;
    }
    const further = /^furtherPersons\.(\d+)\./.exec(path);
    if (further) return `Further person ${Number(further[1]) + 1}`;
    return path === 'accessWorkerComments' ? 'Your comments' : 'The log';
  };

  const body = (): ApiLog => ({
    findings: subjects.flatMap((s) => {
      const f = findings[s.id];
      if (!f || (!f.visibility && !f.summary && !f.profileUrl)) return [];
      return [{ subjectId: s.id, visibility: f.visibility as ApiFinding['visibility'], profileUrl: f.profileUrl || undefined, summary: f.summary }];
    }),
    furtherPersons: further.map((description) => ({ description })),
    accessWorkerComments: comments || undefined,
  });

  const save = async (complete: boolean) => {
    setFailure(null);
    const log = body();
    const check = investigationLogSchema.safeParse(log);
    const problems = check.success ? {} : fieldErrors(check.error);
    // The schema numbers findings as sent; name them by person so each message sits beside its fields.
    const mapped: Record<string, string> = {};
    for (const [key, message] of Object.entries(problems)) {
      const m = /^findings\.(\d+)\.(.+)$/.exec(key);
      mapped[m ? `finding.${log.findings[Number(m[1])]?.subjectId ?? ''}.${m[2]}` : key] = message;
    }
    if (complete) {
      for (const s of subjects) {
        if (!log.findings.some((f) => f.subjectId === s.id)) mapped[`finding.${s.id}.visibility`] = 'Record what you found for this person, even if nothing was found.';
      }
    }
    setErrors(mapped);
    if (Object.keys(mapped).length > 0) {
      setSummaryFocus((n) => n + 1);
      return;
    }
    setBusy(true);
    try {
      onSaved(await api.send<ApiRequest>('PUT', `/api/requests/${encodeURIComponent(r.id)}/log`, log));
      if (complete) onComplete();
    } catch (e) {
      if (e instanceof ApiError && e.fields) {
        setErrors(e.fields);
        setSummaryFocus((n) => n + 1);
      } else {
        setFailure(errorMessage(e));
      }
    }
    setBusy(false);
  };

  return (
    <Card labelledBy="ws-log">
      <SectionHeading id="ws-log">Investigation Log</SectionHeading>
      {subjects.map((s) => {
        const f = findings[s.id] ?? { visibility: '', profileUrl: '', summary: '' };
        const set = (change: Partial<FindingDraft>) => setFindings((all) => ({ ...all, [s.id]: { ...f, ...change } }));
        const p = (k: string) => `finding.${s.id}.${k}`;
        return (
          <Group key={s.id} legend={`Findings: ${subjectName(s)}`} error={errors[p('visibility')]} errorId={`${fieldId(p('visibility'))}-error`} id={fieldId(p('visibility'))}>
            <RadioGroup value={f.visibility} onChange={(_, d) => set({ visibility: d.value as FindingDraft['visibility'] })} aria-label={`Profile of ${subjectName(s)}`}>
              <Radio value="public" label="Profile found: public" />
              <Radio value="restricted" label="Profile found: restricted (nothing recorded beyond that)" />
              <Radio value="not_found" label="No profile found" />
            </RadioGroup>
            <FormField path={p('profileUrl')} label="Profile link" required={f.visibility === 'public'} error={errors[p('profileUrl')]}>
              <Input id={fieldId(p('profileUrl'))} type="url" value={f.profileUrl} onChange={(_, d) => set({ profileUrl: d.value })} />
            </FormField>
            <FormField path={p('summary')} label="What was seen" required error={errors[p('summary')]}>
              <Textarea id={fieldId(p('summary'))} value={f.summary} onChange={(_, d) => set({ summary: d.value })} rows={3} resize="vertical" />
            </FormField>
          </Group>
        );
      })}
      <Group legend="Further people identified">
        <p>Someone relevant who is not in scope becomes a new, linked request for the service director. Do not search them now.</p>
        {further.map((text, i) => (
          <div key={i}>
            <FormField path={`furtherPersons.${i}.description`} label={`Further person ${i + 1}: description`} required error={errors[`furtherPersons.${i}.description`]}>
              <Textarea
                id={fieldId(`furtherPersons.${i}.description`)}
                value={text}
                onChange={(_, d) => setFurther((all) => all.map((v, j) => (j === i ? d.value : v)))}
                rows={2}
                resize="vertical"
              />
            </FormField>
            <Button
              appearance="subtle"
              onClick={() => {
                // The button goes with its row: focus moves to the one that adds a person.
                proposeButton.current?.focus();
                setFurther((all) => all.filter((_, j) => j !== i));
              }}
            >
              Remove further person {i + 1}
            </Button>
          </div>
        ))}
        <Button ref={proposeButton} onClick={() => setFurther((all) => [...all, ''])}>
          Propose a further person
        </Button>
      </Group>
      <FormField path="accessWorkerComments" label="Your comments" error={errors.accessWorkerComments}>
        <Textarea id={fieldId('accessWorkerComments')} value={comments} onChange={(_, d) => setComments(d.value)} rows={3} resize="vertical" />
      </FormField>
      <ErrorSummary errors={errors} labels={problemLabel} focusKey={summaryFocus} />
      <div aria-live="assertive">{failure && <Notice intent="error">{failure}</Notice>}</div>
      <div className={styles.row}>
        <Button disabledFocusable={busy} onClick={() => void save(false)}>
          Save the log
        </Button>
        <Button appearance="primary" disabledFocusable={busy} onClick={() => void save(true)}>
          Complete the log
        </Button>
        <Button disabledFocusable={busy} onClick={onRaiseDoubt}>
          Raise a doubt
        </Button>
      </div>
    </Card>
  );
}
