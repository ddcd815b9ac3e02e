/**
 * New (or returned) Investigation Request. Saved on the server as a draft as you type (answers
 * may still be missing), so it can be picked up from "My requests" anywhere; submitted to the
 * team manager once complete. `/new` always starts a new draft; a draft is reopened by its address.
 */
import { useContext, useEffect, useRef, useState } from 'react';
import { Button, Checkbox, Input, Radio, RadioGroup, Select, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { CONCERN_CATEGORIES, CONCERN_LABELS, MONITORING_FREQUENCIES, SUBJECT_KIND_LABELS, SUBJECT_KINDS, type ConcernCategory, type SubjectKind } from '../../../src/domain/forms';
import { formatDateTime } from '../../../src/domain/dates';
import { ApiError, errorMessage, useApi } from '../api';
import { useRouter } from '../router';
import { SessionContext } from '../session';
import type { ApiDecision, ApiRequest } from '../types';
import { ErrorState, Loading, Notice, PageHeading, SectionHeading } from '../components/common';
import { ErrorSummary, FormField, Group, fieldId } from '../components/form';
import { DiscardDraftButton } from '../components/DiscardDraft';
import { useNotify } from '../components/toast';
import { UkDateInput } from '../components/UkDateInput';
import {
  draftSaveBody,
  emptyChild,
  emptyDraft,
  emptySubject,
  fromRequest,
  validateDraft,
  type ChildDraft,
  type RequestDraft,
  type SubjectDraft,
} from '../requestDraft';

const useStyles = makeStyles({
  form: { maxWidth: '760px' },
  row: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(220px, 100%), 1fr))', columnGap: tokens.spacingHorizontalM, alignItems: 'start', '& > *': { minWidth: 0 } },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'center', margin: `${tokens.spacingVerticalL} 0` },
  status: { color: tokens.colorNeutralForeground2, minHeight: '1.5em' },
  removeRow: { display: 'flex', justifyContent: 'flex-end' },
});

const AUTOSAVE_DELAY_MS = 1200;

const FREQUENCY_LABELS: Record<(typeof MONITORING_FREQUENCIES)[number], string> = { weekly: 'Weekly', fortnightly: 'Fortnightly', monthly: 'Monthly' };

interface Props {
  id?: string;
  linkedFrom?: string | null;
  describe?: string | null;
}

type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; at: string; held: boolean } | { kind: 'error'; message: string };

interface Loaded {
  draft: RequestDraft;
  id: string | null;
  version: number | null;
  reference: string | null;
  /** A draft never submitted may be discarded; a returned one is withdrawn instead. */
  discardable: boolean;
  returned?: ApiDecision;
}

export default function RequestFormPage({ id: initialId, linkedFrom = null, describe = null }: Props) {
  const api = useApi();
  const [loadError, setLoadError] = useState<unknown>(null);
  const [initial, setInitial] = useState<Loaded | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setLoadError(null);
    (async (): Promise<Loaded> => {
      if (initialId) {
        const request = await api.get<ApiRequest>(`/api/requests/${encodeURIComponent(initialId)}`);
        const returned = request.state === 'draft' && request.lastReason?.reason ? request.lastReason : undefined;
        return {
          draft: fromRequest(request),
          id: initialId,
          version: request.version,
          reference: request.reference,
          discardable: request.abilities.includes('discard-draft'),
          ...(returned ? { returned } : {}),
        };
      }
      const draft = emptyDraft();
      if (linkedFrom) {
        // A further person becomes a new request linked to the one where they were found.
        const parent = await api.get<ApiRequest>(`/api/requests/${encodeURIComponent(linkedFrom)}`);
        draft.linkedFromRequestId = linkedFrom;
        draft.caseReference = parent.caseReference;
        draft.team = parent.team ?? '';
        draft.children = parent.children.map((c) => ({ ...emptyChild(), name: c.name, dateOfBirth: c.dateOfBirth ?? '' }));
        draft.subjects = [{ ...emptySubject('unknown_associate'), description: describe ?? '' }];
      }
      return { draft, id: null, version: null, reference: null, discardable: true };
    })().then(
      (value) => live && setInitial(value),
      (error: unknown) => live && setLoadError(error),
    );
    return () => {
      live = false;
    };
  }, [api, initialId, linkedFrom, describe, attempt]);

  if (loadError !== null) return <ErrorState error={loadError} onRetry={() => setAttempt((a) => a + 1)} />;
  if (!initial) return <Loading />;
  return (
    <RequestForm
      initialDraft={initial.draft}
      initialId={initial.id}
      initialVersion={initial.version}
      initialReference={initial.reference}
      discardable={initial.discardable}
      returned={initial.returned}
    />
  );
}

interface RequestFormProps {
  initialDraft: RequestDraft;
  initialId: string | null;
  initialVersion: number | null;
  initialReference?: string | null;
  /** Whether "Discard draft" is offered (a draft never submitted). */
  discardable?: boolean;
  /** The decision that sent this request back, shown above the form so it is edited with the reason in view. */
  returned?: ApiDecision;
}

export function RequestForm({ initialDraft, initialId, initialVersion, initialReference = null, discardable = true, returned }: RequestFormProps) {
  const styles = useStyles();
  const api = useApi();
  const { navigate } = useRouter();
  // Optional so the form can be rendered on its own (component tests).
  const session = useContext(SessionContext);
  const [draft, setDraft] = useState<RequestDraft>(initialDraft);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [summaryFocus, setSummaryFocus] = useState(0);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const notify = useNotify();
  // What the server holds: a form opened and left alone is not saved again, and `/new` saves nothing until something is written.
  const saved = useRef<{ id: string | null; version: number | null; reference: string | null; json: string }>({
    id: initialId,
    version: initialVersion,
    reference: initialReference,
    json: JSON.stringify(draftSaveBody(initialDraft).body),
  });
  const pendingSave = useRef<Promise<void> | null>(null);
  const focusAfterRender = useRef<string | null>(null);

  const errors = validateDraft(draft);
  const valid = Object.keys(errors).length === 0;
  const shown = (path: string): string | undefined => serverErrors[path] ?? (showAll || touched.has(path) ? errors[path] : undefined);
  const visibleErrors = showAll ? { ...errors, ...serverErrors } : serverErrors;

  useEffect(() => {
    if (focusAfterRender.current) {
      document.getElementById(focusAfterRender.current)?.focus();
      focusAfterRender.current = null;
    }
  });

  /**
   * Saves the draft to the API (create, then update), answers still missing and all; an answer
   * still being typed waits for the next save. Serialised so two saves never race. `force`
   * saves even an untouched new form (submitting one names what is missing).
   */
  const saveToServer = (current: RequestDraft, force = false): Promise<void> => {
    const { body, held } = draftSaveBody(current);
    const json = JSON.stringify(body);
    const run = async () => {
      if (!body || (json === saved.current.json && (saved.current.id || !force))) return;
      setSave({ kind: 'saving' });
      try {
        const result = saved.current.id
          ? await api.send<ApiRequest>('PUT', `/api/requests/${encodeURIComponent(saved.current.id)}`, { ...body, version: saved.current.version })
          : await api.send<ApiRequest>('POST', '/api/requests', body);
        if (!saved.current.id) {
          // The address now names the saved draft, so a reload reopens it.
          window.history.replaceState(null, '', `/requests/${encodeURIComponent(result.id)}/edit${window.location.search}`);
        }
        saved.current = { id: result.id, version: result.version, reference: result.reference, json };
        setServerErrors({});
        setSave({ kind: 'saved', at: result.updatedAt, held: held.length > 0 });
      } catch (error) {
        if (error instanceof ApiError && error.fields) setServerErrors(error.fields);
        setSave({ kind: 'error', message: errorMessage(error) });
        throw error;
      }
    };
    const next = (pendingSave.current ?? Promise.resolve()).catch(() => undefined).then(run);
    pendingSave.current = next;
    return next;
  };

  // Save to the server once typing pauses, complete or not.
  useEffect(() => {
    const timer = setTimeout(() => {
      saveToServer(draft).catch(() => undefined);
    }, AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
    // saveToServer reads only refs, so the draft is the real input.
  }, [draft]);

  const discard = async () => {
    // A save under way may be creating the draft: let it finish, then delete what it made.
    await (pendingSave.current ?? Promise.resolve()).catch(() => undefined);
    const { id, version } = saved.current;
    if (id) await api.send<void>('DELETE', `/api/requests/${encodeURIComponent(id)}${version ? `?version=${version}` : ''}`);
    notify('success', saved.current.reference ? `Draft ${saved.current.reference} discarded` : 'Draft discarded');
    navigate('/');
  };

  const update = (patch: Partial<RequestDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const touch = (path: string) => setTouched((t) => (t.has(path) ? t : new Set(t).add(path)));
  const updateChild = (index: number, patch: Partial<ChildDraft>) =>
    setDraft((d) => ({ ...d, children: d.children.map((c, i) => (i === index ? { ...c, ...patch } : c)) }));
  const updateSubject = (index: number, patch: Partial<SubjectDraft>) =>
    setDraft((d) => ({ ...d, subjects: d.subjects.map((s, i) => (i === index ? { ...s, ...patch } : s)) }));

  const addSubject = () => {
    focusAfterRender.current = fieldId(`subjects.${draft.subjects.length}.kind`);
    update({ subjects: [...draft.subjects, emptySubject()] });
  };
  const removeSubject = (index: number) => {
    focusAfterRender.current = 'add-subject';
    update({ subjects: draft.subjects.filter((_, i) => i !== index) });
  };
  const addChild = () => {
    focusAfterRender.current = fieldId(`children.${draft.children.length}.name`);
    update({ children: [...draft.children, emptyChild()] });
  };
  const toggleConcern = (category: ConcernCategory, on: boolean) =>
    update({ concernCategories: on ? [...draft.concernCategories, category] : draft.concernCategories.filter((c) => c !== category) });

  const submit = async () => {
    setSubmitError(null);
    if (!valid) {
      setShowAll(true);
      setSummaryFocus((n) => n + 1);
      return;
    }
    setSubmitting(true);
    try {
      await saveToServer(draft, true);
      const { id, version } = saved.current;
      if (!id || version === null) throw new Error('The draft could not be saved.');
      await api.send<ApiRequest>('POST', `/api/requests/${encodeURIComponent(id)}/actions/submit`, { version });
      navigate(`/requests/${encodeURIComponent(id)}`);
    } catch (error) {
      setSubmitError(errorMessage(error));
      if (error instanceof ApiError && error.fields) {
        setShowAll(true);
        setSummaryFocus((n) => n + 1);
      }
      setSubmitting(false);
    }
  };

  const text = (path: string, value: string, onChange: (v: string) => void, multiline = false, type: 'text' | 'date' | 'url' = 'text') =>
    multiline ? (
      <Textarea id={fieldId(path)} value={value} onChange={(_, d) => onChange(d.value)} onBlur={() => touch(path)} resize="vertical" rows={4} />
    ) : type === 'date' ? (
      <UkDateInput id={fieldId(path)} value={value} onChange={onChange} onBlur={() => touch(path)} />
    ) : (
      <Input id={fieldId(path)} type={type} value={value} onChange={(_, d) => onChange(d.value)} onBlur={() => touch(path)} />
    );

  return (
    <form
      className={styles.form}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <PageHeading>{initialId ? 'Investigation Request (draft)' : 'New Investigation Request'}</PageHeading>
      {returned && (
        <Notice intent="warning" title={`Returned to you on ${formatDateTime(returned.at)}`}>
          {returned.reason}
        </Notice>
      )}
      {draft.linkedFromRequestId && (
        <Notice intent="info" title="Linked request">
          This request is about a further person found during another check. The service director is told specifically about it.
        </Notice>
      )}
      <ErrorSummary errors={visibleErrors} focusKey={summaryFocus} />

      <SectionHeading>The case</SectionHeading>
      {session && (
        <p>
          Originating social worker: <strong>{session.me.displayName}</strong>. Your team manager in the directory is asked to agree the request when you submit it.
        </p>
      )}
      <div className={styles.row}>
        <FormField path="caseReference" label="Case reference" hint="The case management system id" required error={shown('caseReference')}>
          {text('caseReference', draft.caseReference, (v) => update({ caseReference: v }))}
        </FormField>
        <FormField path="team" label="Team" error={shown('team')}>
          {text('team', draft.team, (v) => update({ team: v }))}
        </FormField>
      </div>
      <Group legend="Child or children concerned" error={shown('children')} errorId="children-error" id={fieldId('children')}>
        {draft.children.map((child, i) => (
          <div key={child.key} className={styles.row}>
            <FormField path={`children.${i}.name`} label={`Child ${i + 1}: name`} required error={shown(`children.${i}.name`)}>
              {text(`children.${i}.name`, child.name, (v) => updateChild(i, { name: v }))}
            </FormField>
            <FormField path={`children.${i}.dateOfBirth`} label={`Child ${i + 1}: date of birth`} error={shown(`children.${i}.dateOfBirth`)}>
              {text(`children.${i}.dateOfBirth`, child.dateOfBirth, (v) => updateChild(i, { dateOfBirth: v }), false, 'date')}
            </FormField>
            {draft.children.length > 1 && (
              <div className={styles.removeRow}>
                <Button appearance="subtle" onClick={() => update({ children: draft.children.filter((_, j) => j !== i) })}>
                  Remove child {i + 1}
                </Button>
              </div>
            )}
          </div>
        ))}
        <Button onClick={addChild}>Add another child</Button>
      </Group>

      <SectionHeading>The concern</SectionHeading>
      <Group legend="Concern categories (choose one or more)" error={shown('concernCategories')} errorId="concerns-error" id={fieldId('concernCategories')}>
        {CONCERN_CATEGORIES.map((c) => (
          <div key={c}>
            <Checkbox
              label={CONCERN_LABELS[c]}
              checked={draft.concernCategories.includes(c)}
              onChange={(_, d) => {
                toggleConcern(c, d.checked === true);
                touch('concernCategories');
              }}
            />
          </div>
        ))}
        {draft.concernCategories.includes('other') && (
          <FormField path="concernOther" label="Describe the other concern" required error={shown('concernOther')}>
            {text('concernOther', draft.concernOther, (v) => update({ concernOther: v }))}
          </FormField>
        )}
      </Group>
      <FormField path="concernDetails" label="The concern" hint="What is worrying you, in your own words" required error={shown('concernDetails')}>
        {text('concernDetails', draft.concernDetails, (v) => update({ concernDetails: v }), true)}
      </FormField>
      <FormField
        path="justification"
        label="Why a check is needed and proportionate"
        hint="What it would triangulate and what else has been tried"
        required
        error={shown('justification')}
      >
        {text('justification', draft.justification, (v) => update({ justification: v }), true)}
      </FormField>

      <SectionHeading>People to check</SectionHeading>
      {shown('subjects') && (
        <div role="alert" id={fieldId('subjects')} tabIndex={-1}>
          <Notice intent="error">{shown('subjects')}</Notice>
        </div>
      )}
      {draft.subjects.map((s, i) => {
        const unknown = s.kind === 'unknown_associate';
        const p = (f: string) => `subjects.${i}.${f}`;
        return (
          <Group key={s.key} legend={`Person ${i + 1}`}>
            <FormField path={p('kind')} label="Kind of person" required error={shown(p('kind'))}>
              <Select
                id={fieldId(p('kind'))}
                value={s.kind}
                onChange={(_, d) => updateSubject(i, { kind: d.value as SubjectKind | '', ...(d.value === 'unknown_associate' ? { name: '' } : {}) })}
                onBlur={() => touch(p('kind'))}
              >
                <option value="">Choose…</option>
                {SUBJECT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {SUBJECT_KIND_LABELS[k]}
                  </option>
                ))}
              </Select>
            </FormField>
            {unknown ? (
              <p>An unknown associate is not named. Describe them in as much detail as you can: appearance, where they are seen, how they are known to the family.</p>
            ) : (
              <div className={styles.row}>
                <FormField path={p('name')} label="Name" required error={shown(p('name'))}>
                  {text(p('name'), s.name, (v) => updateSubject(i, { name: v }))}
                </FormField>
                <FormField path={p('otherNames')} label="Other names" hint="Aliases, maiden or previous names" error={shown(p('otherNames'))}>
                  {text(p('otherNames'), s.otherNames, (v) => updateSubject(i, { otherNames: v }))}
                </FormField>
              </div>
            )}
            <FormField path={p('description')} label={unknown ? 'Description' : 'Description (optional)'} required={unknown} error={shown(p('description'))}>
              {text(p('description'), s.description, (v) => updateSubject(i, { description: v }), true)}
            </FormField>
            <div className={styles.row}>
              <FormField path={p('dateOfBirth')} label="Date of birth or age" error={shown(p('dateOfBirth'))}>
                {text(p('dateOfBirth'), s.dateOfBirth, (v) => updateSubject(i, { dateOfBirth: v }))}
              </FormField>
              <FormField path={p('area')} label="Address or area" error={shown(p('area'))}>
                {text(p('area'), s.area, (v) => updateSubject(i, { area: v }))}
              </FormField>
              <FormField path={p('relationshipToChild')} label="Relationship to the child" error={shown(p('relationshipToChild'))}>
                {text(p('relationshipToChild'), s.relationshipToChild, (v) => updateSubject(i, { relationshipToChild: v }))}
              </FormField>
              <FormField path={p('profileUrl')} label="Known profile link" hint="If any, starting with https://" error={shown(p('profileUrl'))}>
                {text(p('profileUrl'), s.profileUrl, (v) => updateSubject(i, { profileUrl: v }), false, 'url')}
              </FormField>
            </div>
            {draft.subjects.length > 1 && (
              <div className={styles.removeRow}>
                <Button appearance="subtle" onClick={() => removeSubject(i)}>
                  Remove person {i + 1}
                </Button>
              </div>
            )}
          </Group>
        );
      })}
      <Button id="add-subject" onClick={addSubject} disabled={draft.subjects.length >= 20}>
        Add another person
      </Button>

      <SectionHeading>What to look at</SectionHeading>
      <div className={styles.row}>
        <FormField path="period.from" label="Period to look at: from" required error={shown('period.from')}>
          {text('period.from', draft.periodFrom, (v) => update({ periodFrom: v }), false, 'date')}
        </FormField>
        <FormField path="period.to" label="Period to look at: to" required error={shown('period.to')}>
          {text('period.to', draft.periodTo, (v) => update({ periodTo: v }), false, 'date')}
        </FormField>
      </div>
      <Group legend="One-off review or monitoring">
        <Notice intent="warning" title="One-off by default">
          Repeated viewing of the same profile can amount to directed surveillance (Home Office Covert Surveillance and Property Interference Code of Practice, 2018, on
          online research). Ask for monitoring only when a single check cannot meet the need, and say why. Monitoring is authorised with an end date and review dates;
          if it is not reviewed it lapses.
        </Notice>
        <RadioGroup value={draft.mode} onChange={(_, d) => update({ mode: d.value as RequestDraft['mode'] })} aria-label="One-off review or monitoring">
          <Radio value="one_off" label="One-off review" />
          <Radio value="monitoring" label="Monitoring over a period" />
        </RadioGroup>
        {draft.mode === 'monitoring' && (
          <>
            <FormField
              path="monitoring.justification"
              label="Why monitoring, rather than a one-off check, is needed"
              required
              error={shown('monitoring.justification')}
            >
              {text('monitoring.justification', draft.monitoringJustification, (v) => update({ monitoringJustification: v }), true)}
            </FormField>
            <div className={styles.row}>
              <FormField path="monitoring.frequency" label="How often" required error={shown('monitoring.frequency')}>
                <Select
                  id={fieldId('monitoring.frequency')}
                  value={draft.monitoringFrequency}
                  onChange={(_, d) => update({ monitoringFrequency: d.value })}
                  onBlur={() => touch('monitoring.frequency')}
                >
                  <option value="">Choose…</option>
                  {MONITORING_FREQUENCIES.map((f) => (
                    <option key={f} value={f}>
                      {FREQUENCY_LABELS[f]}
                    </option>
                  ))}
                </Select>
              </FormField>
              <FormField path="monitoring.endDate" label="Monitoring would end on" required error={shown('monitoring.endDate')}>
                {text('monitoring.endDate', draft.monitoringEndDate, (v) => update({ monitoringEndDate: v }), false, 'date')}
              </FormField>
            </div>
          </>
        )}
      </Group>

      <SectionHeading>Urgency</SectionHeading>
      <div className={styles.row}>
        <FormField path="urgency" label="Urgency">
          <Select id={fieldId('urgency')} value={draft.urgency} onChange={(_, d) => update({ urgency: d.value as RequestDraft['urgency'] })}>
            <option value="routine">Routine</option>
            <option value="urgent">Urgent</option>
          </Select>
        </FormField>
        <FormField path="neededBy" label="Information needed by" required error={shown('neededBy')}>
          {text('neededBy', draft.neededBy, (v) => update({ neededBy: v }), false, 'date')}
        </FormField>
      </div>

      <div aria-live="assertive">{submitError && <Notice intent="error" title="Not submitted">{submitError}</Notice>}</div>
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={submitting}>
          {submitting ? 'Submitting…' : 'Submit to team manager'}
        </Button>
        <span className={styles.status} role="status" aria-live="polite">
          {save.kind === 'saving' && 'Saving draft…'}
          {save.kind === 'saved' && `Draft saved ${formatDateTime(save.at)}${save.held ? '. An answer not yet complete (a date or a link) is saved once it is.' : ''}`}
          {save.kind === 'error' && `Draft not saved: ${save.message}`}
        </span>
        {discardable && <DiscardDraftButton reference={saved.current.reference} onDiscard={discard} />}
      </div>
    </form>
  );
}
