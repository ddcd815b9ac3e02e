/** One dialog per workflow action: asks for what the action needs (reason, scope, worker) and checks it with the shared schema. */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Radio,
  RadioGroup,
  Select,
  Textarea,
  makeStyles,
} from '@fluentui/react-components';
import { actionBodySchemas, fieldErrors } from '../../../src/domain/forms';
import type { WorkflowAction } from '../../../src/domain/states';
import { ApiError, errorMessage, useApi } from '../api';
import { ACTION_LABELS } from '../format';
import type { ApiRequest, PersonSummary } from '../types';
import { formatDate } from '../../../src/domain/dates';
import { FormField, Group, fieldId } from './form';
import { UkDateInput } from './UkDateInput';
import { subjectName } from './details';
import { Notice, useLoad } from './common';

const EXPLAIN: Partial<Record<WorkflowAction, string>> = {
  submit: 'The request goes to your team manager to agree.',
  agree: 'You agree that a check is an appropriate way to triangulate this concern. The service director is asked for permission.',
  decline: 'The request is closed. Say why.',
  return: 'The request goes back to the originating worker as a draft, with your reason.',
  authorise: 'You authorise the check. The scope you confirm here is the only thing the access worker may search or record.',
  refuse: 'Permission is refused and the request is closed. Say why.',
  claim: 'You take this request as its access worker. Nobody else on the register can then take it.',
  'confirm-legitimacy': 'You are satisfied the log-on is legitimate: the request is authorised and in scope. Searching can begin.',
  'raise-doubt':
    'The request is put on hold. The service manager for the case’s team records a view, then a service director decides whether the check resumes. Say what worries you, or what you disagree with.',
  'record-doubt-view': 'Your view is recorded on the request and the log, and the service directors are asked to decide. Say what you think should happen, and why.',
  'resolve-doubt': 'Decide whether the check resumes or is cancelled, having read the service manager’s view.',
  'complete-log': 'The Investigation Log goes to the originating worker to assess. Save your findings first.',
  finalise: 'The log and your assessment are fixed and filed with the evidence.',
  share: 'The finalised log is shared with the team manager, service manager and service director, and filed again saying with whom. Then place the documents on the case record.',
  'record-placement': 'You confirm that you have placed the filed Investigation Request and Log on the case record. Your name and the time are recorded, and the request closes.',
  withdraw: 'The request is withdrawn and closed. Say why.',
  cancel: 'The request is cancelled and closed. Say why.',
  'review-monitoring': 'Decide whether monitoring continues, and when it is next reviewed.',
};

interface Props {
  /** The action being taken, or null when the dialog is closed. */
  action: WorkflowAction | null;
  request: ApiRequest;
  onClose(): void;
  onDone(updated: ApiRequest, action: WorkflowAction): void;
  /** Someone else changed the request while the dialog was open (409): load it again behind the dialog. */
  onStale(): void;
}

/**
 * Stays mounted and is opened and closed through `open`, so Fluent can undo the modal's
 * aria-hidden on the rest of the page when it closes.
 */
const useStyles = makeStyles({
  // A dialog is portalled outside the page's provider: a long name must wrap here too (WCAG 1.4.10).
  surface: { overflowWrap: 'anywhere' },
});

export function ActionDialog({ action, request, onClose, onDone, onStale }: Props) {
  const styles = useStyles();
  const [busy, setBusy] = useState(false);
  useReturnFocus(action !== null);
  return (
    <Dialog open={action !== null} modalType="modal" onOpenChange={(_, d) => !d.open && !busy && onClose()}>
      <DialogSurface aria-describedby="action-explain" className={styles.surface}>
        {action && <ActionForm key={action} action={action} request={request} onClose={onClose} onDone={onDone} onStale={onStale} busy={busy} setBusy={setBusy} />}
      </DialogSurface>
    </Dialog>
  );
}

/**
 * The dialog is opened from state rather than a DialogTrigger, so Fluent does not know its opener:
 * remember what had focus when it opened and give focus back when it closes (WCAG 2.4.3). When the
 * opener has gone (the action is no longer offered), the page heading takes focus instead.
 */
function useReturnFocus(open: boolean): void {
  const opener = useRef<HTMLElement | null>(null);
  useLayoutEffect(() => {
    if (open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      return;
    }
    const target = opener.current;
    opener.current = null;
    if (!target) return;
    // After Fluent has removed the modal and its focus trap.
    const timer = window.setTimeout(() => {
      const fallback = document.querySelector<HTMLElement>('h1[tabindex]');
      (target.isConnected && !target.hasAttribute('disabled') ? target : fallback)?.focus();
    }, 0);
    return () => window.clearTimeout(timer);
  }, [open]);
}

function ActionForm({
  action,
  request,
  onClose,
  onDone,
  onStale,
  busy,
  setBusy,
}: Omit<Props, 'action'> & { action: WorkflowAction; busy: boolean; setBusy(busy: boolean): void }) {
  const api = useApi();
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [conditions, setConditions] = useState('');
  const [subjectIds, setSubjectIds] = useState<string[]>(request.subjects.map((s) => s.id));
  const [accessWorkerId, setAccessWorkerId] = useState('');
  const [reviewDates, setReviewDates] = useState<string[]>(request.monitoring ? [''] : []);
  const [useBy, setUseBy] = useState('');
  const [outcome, setOutcome] = useState<'' | 'resume' | 'cancel'>('');
  const [decision, setDecision] = useState<'' | 'continue' | 'end'>('');
  const [nextReviewOn, setNextReviewOn] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  // Another person acted first: this action can no longer be taken as the dialog shows it.
  const [stale, setStale] = useState(false);
  const closeButton = useRef<HTMLButtonElement>(null);
  // The confirm button that had focus is gone: Close is what is left to do.
  useEffect(() => {
    if (stale) closeButton.current?.focus();
  }, [stale]);
  const needsWorkers = action === 'authorise' || action === 'assign';
  // Whether a reason is needed comes with the request, from the policy table.
  const needsReason = request.allowedActions.some((a) => a.action === action && a.reasonRequired);
  // The access worker register, as the directory holds it now.
  const workers = useLoad(
    () => (needsWorkers ? api.get<PersonSummary[]>('/api/people?role=access_worker') : Promise.resolve([])),
    `workers-${action}`,
  );

  const body = (): Record<string, unknown> => {
    const base: Record<string, unknown> = { version: request.version };
    switch (action) {
      case 'agree':
        return { ...base, note: note || undefined };
      case 'decline':
      case 'return':
      case 'refuse':
      case 'withdraw':
      case 'cancel':
      case 'raise-doubt':
      case 'record-doubt-view':
        return { ...base, reason };
      case 'resolve-doubt':
        return { ...base, outcome: outcome || undefined, reason };
      case 'authorise':
        return {
          ...base,
          subjectIds,
          conditions: conditions || undefined,
          accessWorkerId: accessWorkerId || undefined,
          ...(request.monitoring ? { reviewDates: reviewDates.filter(Boolean) } : {}),
          ...(useBy ? { useBy } : {}),
        };
      case 'assign':
        return { ...base, accessWorkerId };
      case 'review-monitoring':
        return { ...base, decision: decision || undefined, nextReviewOn: nextReviewOn || undefined, note: note || undefined };
      default:
        return base;
    }
  };

  // Which label the reason box carries in this dialog, if it shows one.
  const reasonLabel =
    action === 'record-doubt-view' ? 'Your view' : action === 'resolve-doubt' || needsReason ? 'Reason' : null;
  // The fields this dialog shows: a message the server gives for any other is listed under the failure.
  const shownFields = new Set<string>([
    ...(reasonLabel ? ['reason'] : []),
    ...(action === 'agree' ? ['note'] : []),
    ...(action === 'resolve-doubt' ? ['outcome'] : []),
    ...(action === 'authorise' ? ['subjectIds', 'conditions', 'accessWorkerId', 'useBy', ...reviewDates.map((_, i) => `reviewDates.${i}`)] : []),
    ...(action === 'assign' ? ['accessWorkerId'] : []),
    ...(action === 'review-monitoring' ? ['decision', 'nextReviewOn'] : []),
  ]);
  const otherErrors = Object.entries(errors).filter(([path]) => !shownFields.has(path));

  const confirm = async () => {
    setFailure(null);
    const payload = body();
    const check = actionBodySchemas[action].safeParse(payload);
    // Every problem at once: the date rules the server applies after the schema are checked here
    // too, so a past use-by date is not reported only after the missing scope has been fixed.
    const found = { ...(action === 'authorise' ? authorisationDateErrors(useBy, reviewDates, request) : {}), ...(check.success ? {} : fieldErrors(check.error)) };
    if (Object.keys(found).length > 0) {
      setErrors(found);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const updated = await api.send<ApiRequest>('POST', `/api/requests/${encodeURIComponent(request.id)}/actions/${action}`, payload);
      setBusy(false);
      onDone(updated, action);
    } catch (error) {
      if (error instanceof ApiError && error.fields) setErrors(error.fields);
      if (error instanceof ApiError && error.status === 409) {
        setStale(true);
        setFailure('Someone else changed this request while you had it open, so nothing was done. The page behind this now shows it as it is: close this to see it.');
        onStale();
      } else {
        setFailure(errorMessage(error));
      }
      setBusy(false);
    }
  };

  const reasonField = (label: string) => (
    <FormField path="reason" label={label} required error={errors.reason}>
      <Textarea id={fieldId('reason')} value={reason} onChange={(_, d) => setReason(d.value)} rows={4} resize="vertical" />
    </FormField>
  );
  const workerSelect = (required: boolean) => (
    <FormField path="accessWorkerId" label="Access worker" required={required} error={errors.accessWorkerId}>
      <Select id={fieldId('accessWorkerId')} value={accessWorkerId} onChange={(_, d) => setAccessWorkerId(d.value)}>
        <option value="">{required ? 'Choose…' : 'Open to the register (any trained access worker)'}</option>
        {workers.status === 'ready' &&
          workers.data
            .filter((w) => w.id !== request.originatingWorkerId && w.id !== request.teamManagerId)
            .map((w) => (
              <option key={w.id} value={w.id}>
                {w.displayName}
              </option>
            ))}
      </Select>
    </FormField>
  );

  return (
    <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void confirm();
          }}
        >
          <DialogBody>
            <DialogTitle>
              {ACTION_LABELS[action]}: {request.reference}
            </DialogTitle>
            <DialogContent>
              <p id="action-explain">{EXPLAIN[action]}</p>
              {action === 'share' && <ShareRecipients request={request} />}
              {action === 'agree' && (
                <FormField path="note" label="Supervision note" hint="What was discussed in supervision" required error={errors.note}>
                  <Textarea id={fieldId('note')} value={note} onChange={(_, d) => setNote(d.value)} rows={4} resize="vertical" />
                </FormField>
              )}
              {reasonLabel && action !== 'resolve-doubt' && reasonField(reasonLabel)}
              {action === 'resolve-doubt' && (
                <>
                  <Group legend="Outcome" error={errors.outcome} errorId="outcome-error">
                    <RadioGroup value={outcome} onChange={(_, d) => setOutcome(d.value as 'resume' | 'cancel')} aria-label="Outcome">
                      <Radio value="resume" label="Resume the check" />
                      <Radio value="cancel" label="Cancel the request" />
                    </RadioGroup>
                  </Group>
                  {reasonField('Reason')}
                </>
              )}
              {action === 'authorise' && (
                <>
                  {request.monitoring ? (
                    <Notice intent="warning" title="Monitoring requested">
                      Repeated viewing can amount to directed surveillance. Authorise monitoring only with review dates; an unreviewed authorisation lapses.
                    </Notice>
                  ) : (
                    <Notice intent="info">
                      One-off review of the period {formatDate(request.period.from)} to {formatDate(request.period.to)}.
                    </Notice>
                  )}
                  <Group legend="People in scope" error={errors.subjectIds} errorId="scope-error">
                    {request.subjects.map((s) => (
                      <div key={s.id}>
                        <Checkbox
                          label={subjectName(s)}
                          checked={subjectIds.includes(s.id)}
                          onChange={(_, d) => setSubjectIds((ids) => (d.checked === true ? [...ids, s.id] : ids.filter((x) => x !== s.id)))}
                        />
                      </div>
                    ))}
                  </Group>
                  <FormField path="conditions" label="Conditions" hint="Optional" error={errors.conditions}>
                    <Textarea id={fieldId('conditions')} value={conditions} onChange={(_, d) => setConditions(d.value)} rows={3} resize="vertical" />
                  </FormField>
                  {workerSelect(false)}
                  <FormField path="useBy" label="Use by" hint="Optional: the last day the access worker may start searching. When empty, the longest the service allows." error={errors.useBy}>
                    <UkDateInput id={fieldId('useBy')} value={useBy} onChange={setUseBy} />
                  </FormField>
                  {request.monitoring &&
                    reviewDates.map((value, i) => (
                      <FormField key={i} path={`reviewDates.${i}`} label={`Review date ${i + 1}`} error={errors[`reviewDates.${i}`]}>
                        <UkDateInput
                          id={fieldId(`reviewDates.${i}`)}
                          value={value}
                          onChange={(next) => setReviewDates((all) => all.map((v, j) => (j === i ? next : v)))}
                        />
                      </FormField>
                    ))}
                  {request.monitoring && <Button onClick={() => setReviewDates((all) => [...all, ''])}>Add a review date</Button>}
                </>
              )}
              {action === 'assign' && workerSelect(true)}
              {action === 'review-monitoring' && (
                <>
                  <Group legend="Decision" error={errors.decision} errorId="decision-error">
                    <RadioGroup value={decision} onChange={(_, d) => setDecision(d.value as 'continue' | 'end')} aria-label="Decision">
                      <Radio value="continue" label="Continue monitoring" />
                      <Radio value="end" label="End monitoring" />
                    </RadioGroup>
                  </Group>
                  <FormField path="nextReviewOn" label="Next review on" error={errors.nextReviewOn}>
                    <UkDateInput id={fieldId('nextReviewOn')} value={nextReviewOn} onChange={setNextReviewOn} />
                  </FormField>
                </>
              )}
              <div aria-live="assertive">
                {(failure || otherErrors.length > 0) && (
                  <Notice intent="error" title="Not done">
                    {failure}
                    {otherErrors.length > 0 && (
                      <ul>
                        {otherErrors.map(([path, message]) => (
                          <li key={path}>{message}</li>
                        ))}
                      </ul>
                    )}
                  </Notice>
                )}
              </div>
            </DialogContent>
            <DialogActions>
              {!stale && (
                <Button appearance="primary" type="submit" disabledFocusable={busy}>
                  {busy ? 'Working…' : ACTION_LABELS[action]}
                </Button>
              )}
              <Button ref={closeButton} onClick={onClose} disabledFocusable={busy}>
                Close
              </Button>
            </DialogActions>
          </DialogBody>
    </form>
  );
}

/**
 * Who the log goes to, by name where the request view names them. The service manager is the one
 * the directory gives for the case's team when the log is shared; the view does not carry them.
 */
function ShareRecipients({ request }: { request: ApiRequest }) {
  const named = (id: string | null | undefined, role: string) => {
    const name = id ? request.people[id] : undefined;
    return name ? `${name}, ${role}` : `The ${role}`;
  };
  return (
    <>
      <p>It goes to:</p>
      <ul>
        <li>{named(request.teamManagerId, 'team manager')}</li>
        <li>The service manager for the case’s team</li>
        <li>{named(request.authorisation?.by, 'service director who authorised the check')}</li>
      </ul>
    </>
  );
}

/**
 * The date rules of an authorisation the tab can check without asking the server: a use-by date
 * from today on, and for monitoring at least one review date, each after today and not after the
 * end of monitoring. (The latest use-by the service allows is not in the request view, so the
 * server alone checks that.) Dates not yet real are left to the schema's own message.
 */
function authorisationDateErrors(useBy: string, reviewDates: string[], request: ApiRequest): Record<string, string> {
  const found: Record<string, string> = {};
  const isIso = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);
  if (isIso(useBy) && useBy < request.today) found.useBy = `Choose a use-by date from today (${formatDate(request.today)}) on.`;
  const monitoring = request.monitoring;
  if (!monitoring) return found;
  if (reviewDates.every((d) => d === '')) found['reviewDates.0'] = 'Monitoring needs at least one review date.';
  reviewDates.forEach((d, i) => {
    if (!isIso(d)) return;
    if (d <= request.today) found[`reviewDates.${i}`] = 'Review dates must be after today.';
    else if (d > monitoring.endDate) found[`reviewDates.${i}`] = `Review dates must fall on or before the end of monitoring (${formatDate(monitoring.endDate)}).`;
  });
  return found;
}
