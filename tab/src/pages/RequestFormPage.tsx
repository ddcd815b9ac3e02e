/**
 * New (or returned) Investigation Request. Saved on the server as a draft as you type (answers
 * may still be missing; useDraftAutosave), so it can be picked up from "My requests" anywhere;
 * submitted to the team manager once complete. `/new` always starts a new draft; a draft is
 * reopened by its address. The sections of the form are in components/RequestFieldsets.tsx.
 */
import { useContext, useEffect, useRef, useState } from 'react';
import { Button, Select, makeStyles, tokens } from '@fluentui/react-components';
import { formatDateTime } from '../../../src/domain/dates';
import { ApiError, errorMessage, useApi } from '../api';
import { useRouter } from '../router';
import { SessionContext } from '../session';
import type { ApiDecision, ApiRequest, TeamManagerChoice } from '../types';
import { ErrorState, Loading, Notice, PageHeading, useLoad } from '../components/common';
import { ErrorSummary, FormField, fieldId } from '../components/form';
import { DiscardDraftButton } from '../components/DiscardDraft';
import { useNotify } from '../components/toast';
import { CaseFieldset, ConcernFieldset, ScopeFieldset, SubjectsFieldset, UrgencyFieldset, type DraftEditor } from '../components/RequestFieldsets';
import { emptyChild, emptyDraft, emptySubject, fromRequest, validateDraft, type RequestDraft } from '../requestDraft';
import { useDraftAutosave } from '../useDraftAutosave';

const SUBJECT_FIELD_LABELS: Record<string, string> = {
  kind: 'kind of person',
  name: 'name',
  otherNames: 'other names',
  description: 'description',
  dateOfBirth: 'date of birth or age',
  area: 'address or area',
  relationshipToChild: 'relationship to the child',
  profileUrl: 'known profile link',
};

/**
 * In the error summary, which person a message is about ("Person 2 (Jordan Smith), known profile
 * link"): a form naming several people otherwise lists the same words once for each.
 */
function personFieldLabel(path: string, subjects: RequestDraft['subjects']): string | undefined {
  const match = /^subjects\.(\d+)\.(\w+)$/.exec(path);
  if (!match) return undefined;
  const index = Number(match[1]);
  const name = subjects[index]?.name.trim();
  const field = match[2] ?? '';
  return `Person ${index + 1}${name ? ` (${name})` : ''}, ${SUBJECT_FIELD_LABELS[field] ?? field}`;
}

const useStyles = makeStyles({
  form: { maxWidth: '760px' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'center', margin: `${tokens.spacingVerticalL} 0` },
  status: { color: tokens.colorNeutralForeground2, minHeight: '1.5em' },
});

interface Props {
  id?: string;
  linkedFrom?: string | null;
  describe?: string | null;
}

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
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  // Where the request goes: the line manager when a team manager, else one the worker chooses.
  const route = useLoad<TeamManagerChoice | null>(() => (session ? api.get<TeamManagerChoice>('/api/me/team-manager') : Promise.resolve(null)), 'team-manager');
  const choice = route.status === 'ready' ? route.data : null;
  const [teamManagerId, setTeamManagerId] = useState('');
  const [pickError, setPickError] = useState<string | null>(null);
  const focusAfterRender = useRef<string | null>(null);

  const errors = validateDraft(draft);
  const valid = Object.keys(errors).length === 0;
  const { save, serverErrors, reference, saveNow, discard } = useDraftAutosave(draft, { id: initialId, version: initialVersion, reference: initialReference });
  const notify = useNotify();
  const teamManagerError = serverErrors.teamManagerId ?? pickError ?? undefined;
  const visibleErrors = { ...(showAll ? { ...errors, ...serverErrors } : serverErrors), ...(teamManagerError ? { teamManagerId: teamManagerError } : {}) };
  const editor: DraftEditor = {
    draft,
    setDraft,
    shown: (path) => serverErrors[path] ?? (showAll || touched.has(path) ? errors[path] : undefined),
    touch: (path) => setTouched((t) => (t.has(path) ? t : new Set(t).add(path))),
    focusNext: (id) => {
      focusAfterRender.current = id;
    },
  };

  useEffect(() => {
    const id = focusAfterRender.current;
    const element = id ? document.getElementById(id) : null;
    // Another render (a load or a save finishing) can come before the one that adds the element:
    // the focus waits for the element rather than being dropped.
    if (element) {
      element.focus();
      focusAfterRender.current = null;
    }
  });

  const submit = async () => {
    setSubmitError(null);
    if (choice?.choose && !teamManagerId) {
      setPickError('Choose a team manager.');
      setShowAll(true);
      setSummaryFocus((n) => n + 1);
      return;
    }
    if (!valid) {
      setShowAll(true);
      setSummaryFocus((n) => n + 1);
      return;
    }
    setSubmitting(true);
    try {
      const { id, version } = await saveNow(draft);
      await api.send<ApiRequest>('POST', `/api/requests/${encodeURIComponent(id)}/actions/submit`, { version, ...(choice?.choose ? { teamManagerId } : {}) });
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
      <ErrorSummary errors={visibleErrors} labels={(path) => personFieldLabel(path, draft.subjects)} focusKey={summaryFocus} />

      <CaseFieldset
        editor={editor}
        intro={
          session && (
            <p>
              Originating social worker: <strong>{session.me.displayName}</strong>.{' '}
              {choice?.teamManager
                ? `Your team manager in the directory, ${choice.teamManager.displayName}, is asked to agree the request when you submit it.`
                : choice?.choose
                  ? null
                  : 'Your team manager in the directory is asked to agree the request when you submit it.'}
            </p>
          )
        }
      />
      {choice?.choose && (
        <>
          <Notice intent="info" title="Choose the team manager who will agree this request">
            {choice.why} The protocol asks a team manager to agree each request in supervision, so the request goes to the team manager you choose.
          </Notice>
          <FormField path="teamManagerId" label="Team manager to agree this request" required error={teamManagerError}>
            <Select
              id={fieldId('teamManagerId')}
              value={teamManagerId}
              onChange={(_, d) => {
                setTeamManagerId(d.value);
                setPickError(null);
              }}
            >
              <option value="">Choose a team manager</option>
              {choice.teamManagers.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.displayName}
                </option>
              ))}
            </Select>
          </FormField>
        </>
      )}
      <ConcernFieldset editor={editor} />
      <SubjectsFieldset editor={editor} />
      <ScopeFieldset editor={editor} />
      <UrgencyFieldset editor={editor} />

      <div aria-live="assertive">{submitError && <Notice intent="error" title="Not submitted">{submitError}</Notice>}</div>
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabledFocusable={submitting}>
          {submitting ? 'Submitting…' : 'Submit to team manager'}
        </Button>
        <span className={styles.status} role="status" aria-live="polite">
          {save.kind === 'saving' && 'Saving draft…'}
          {save.kind === 'saved' && `Draft saved ${formatDateTime(save.at)}${save.held ? '. An answer not yet complete (a date or a link) is saved once it is.' : ''}`}
          {save.kind === 'error' && `Draft not saved: ${save.message}`}
        </span>
        {discardable && (
          <DiscardDraftButton
            reference={reference}
            onDiscard={async () => {
              const discarded = await discard();
              notify('success', discarded ? `Draft ${discarded} discarded` : 'Draft discarded');
              navigate('/');
            }}
          />
        )}
      </div>
    </form>
  );
}
