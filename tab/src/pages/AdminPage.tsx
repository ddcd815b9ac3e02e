/**
 * Administration: the people and their roles as the last directory sync left them (read only; roles
 * are changed in the Entra ID groups), the access worker register (editable), the pilot settings,
 * the sync itself, and the notifications and uploads that failed, with retry.
 */
import { useState } from 'react';
import {
  Button,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ROLE_LABELS } from '../../../src/domain/roles';
import { formatDate, formatDateTime, parseUkDate } from '../../../src/domain/dates';
import { ApiError, errorMessage, useApi } from '../api';
import { ErrorState, Loading, Notice, PageHeading, SectionHeading, useLoad } from '../components/common';
import { FailedWork } from '../components/FailedWork';
import { PilotSettingsForm } from '../components/PilotSettingsForm';
import { UkDateInput } from '../components/UkDateInput';
import type { DirectorySyncRun as SyncRun, DirectoryView, RegisterView } from '../types';

const useStyles = makeStyles({
  section: { marginBottom: tokens.spacingVerticalXXL },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`,
    margin: `${tokens.spacingVerticalS} 0`,
    '& dd': { margin: 0 },
    // At Teams mobile width both columns wrap, so a long label never runs under its value.
    '@media (max-width: 600px)': { gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 3fr)' },
  },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', margin: `${tokens.spacingVerticalS} 0` },
  date: { display: 'block', maxWidth: '9em' },
  hidden: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' },
  // Wide tables scroll sideways inside their own region at Teams mobile width, never the page.
  scroll: { overflowX: 'auto' },
  table: { minWidth: '640px' },
  muted: { color: tokens.colorNeutralForeground2 },
  // An address is one long word: it must break inside its own cell, not run over the next.
  email: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
});

const TRIGGERS: Record<SyncRun['trigger'], string> = { startup: 'at start-up', schedule: 'on schedule', on_demand: 'on request' };

export default function AdminPage() {
  const styles = useStyles();
  const api = useApi();
  const directory = useLoad(() => api.get<DirectoryView>('/api/admin/directory'), 'admin-directory');
  const register = useLoad(() => api.get<RegisterView>('/api/admin/register'), 'admin-register');
  const [syncing, setSyncing] = useState(false);
  const [syncOutcome, setSyncOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  const syncNow = async () => {
    setSyncing(true);
    setSyncOutcome(null);
    try {
      const run = await api.send<SyncRun>('POST', '/api/admin/directory/sync');
      setSyncOutcome({ ok: true, text: `Synced: ${run.added} added, ${run.changed} changed, ${run.removed} removed.` });
    } catch (error) {
      setSyncOutcome({ ok: false, text: errorMessage(error) });
    } finally {
      setSyncing(false);
      directory.reload();
      register.reload();
    }
  };

  return (
    <>
      <PageHeading>Administration</PageHeading>

      <section className={styles.section} aria-labelledby="sync-heading">
        <SectionHeading id="sync-heading">Directory sync</SectionHeading>
        <p className={styles.muted}>People and roles come from the Entra ID security groups, one per role. Change a role in its group, then sync.</p>
        {directory.status === 'ready' && <LastSync view={directory.data} />}
        <div className={styles.row}>
          <Button appearance="primary" onClick={() => void syncNow()} disabledFocusable={syncing}>
            {syncing ? 'Syncing…' : 'Sync now'}
          </Button>
        </div>
        {syncOutcome && (
          <Notice intent={syncOutcome.ok ? 'success' : 'error'} title={syncOutcome.ok ? 'Directory synced' : 'The sync failed'}>
            {syncOutcome.text}
          </Notice>
        )}
      </section>

      <section className={styles.section} aria-labelledby="register-heading">
        <SectionHeading id="register-heading">Access worker register</SectionHeading>
        {register.status === 'loading' && <Loading label="Loading the register…" />}
        {register.status === 'error' && <ErrorState error={register.error} onRetry={register.reload} />}
        {register.status === 'ready' && <Register view={register.data} onSaved={register.set} />}
      </section>

      <section className={styles.section} aria-labelledby="pilot-heading">
        <SectionHeading id="pilot-heading">Pilot settings</SectionHeading>
        <PilotSettingsForm onSaved={register.reload} />
      </section>

      <FailedWork />

      <section className={styles.section} aria-labelledby="people-heading">
        <SectionHeading id="people-heading">People and roles</SectionHeading>
        {directory.status === 'loading' && <Loading label="Loading people…" />}
        {directory.status === 'error' && <ErrorState error={directory.error} onRetry={directory.reload} />}
        {directory.status === 'ready' && (
          <div className={styles.scroll} role="region" aria-label="People and their roles, scrollable" tabIndex={0}>
            <Table className={styles.table} aria-label="People and their roles" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Name</TableHeaderCell>
                  <TableHeaderCell>Roles</TableHeaderCell>
                  <TableHeaderCell>Manager</TableHeaderCell>
                  <TableHeaderCell>Status</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {directory.data.people.map((p) => (
                  <TableRow key={p.id}>
                    <TableCell>
                      {p.displayName}
                      {p.email && <div className={styles.email}>{p.email}</div>}
                    </TableCell>
                    <TableCell>{p.roles.length ? p.roles.map((r) => ROLE_LABELS[r]).join(', ') : 'None'}</TableCell>
                    <TableCell>{p.manager ?? '—'}</TableCell>
                    <TableCell>{p.active ? 'Active' : 'No role in the directory'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </section>
    </>
  );
}

function LastSync({ view }: { view: DirectoryView }) {
  const styles = useStyles();
  const last = view.lastSync;
  if (!last) return <p>The directory has not been synced yet.</p>;
  return (
    <>
      <dl className={styles.facts}>
        <dt>Last sync</dt>
        <dd>
          {formatDateTime(last.finishedAt)} ({TRIGGERS[last.trigger]}) — {last.status === 'succeeded' ? 'succeeded' : 'failed'}
        </dd>
        <dt>Added</dt>
        <dd>{view.lastSucceeded?.added ?? 0}</dd>
        <dt>Changed</dt>
        <dd>{view.lastSucceeded?.changed ?? 0}</dd>
        <dt>Removed</dt>
        <dd>{view.lastSucceeded?.removed ?? 0}</dd>
        <dt>Failures since the last success</dt>
        <dd>{view.failuresSinceLastSuccess}</dd>
      </dl>
      {last.status === 'failed' && (
        <Notice intent="warning" title="The last sync failed; nobody's roles changed">
          {last.error ?? 'Unknown error.'} It is tried again automatically.
        </Notice>
      )}
      {(view.lastSucceeded?.problems ?? []).map((p) => (
        <Notice key={`${p.kind}-${p.displayName}`} intent="warning" title={p.displayName}>
          {p.reason}
        </Notice>
      ))}
    </>
  );
}

function Register({ view, onSaved }: { view: RegisterView; onSaved(view: RegisterView): void }) {
  const styles = useStyles();
  const api = useApi();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  /** `who`: the person a row's save is for, named in a refusal with the server's reason for each field. */
  const save = async (call: () => Promise<RegisterView>, done: string, who?: string) => {
    setMessage(null);
    try {
      onSaved(await call());
      setMessage({ ok: true, text: done });
    } catch (error) {
      const reasons = error instanceof ApiError && error.fields ? ` ${Object.values(error.fields).join(' ')}` : '';
      setMessage({ ok: false, text: `${who ? `${who}: ` : ''}${errorMessage(error)}${reasons}` });
    }
  };

  return (
    <>
      {/* The limit is one of the pilot's settings and is changed there only: two forms for one number disagreed. */}
      <p>
        {view.authorised} of {view.limit} places on the register are taken by authorised access workers. The number of places is
        set in the pilot settings below.
      </p>
      {/* Announced, whichever row or button it answers. */}
      <div role="status" aria-live="polite">
        {message && (
          <Notice intent={message.ok ? 'success' : 'error'} title={message.ok ? 'Saved' : 'Not saved'}>
            {message.text}
          </Notice>
        )}
      </div>
      <div className={styles.scroll} role="region" aria-label="Access worker register, scrollable" tabIndex={0}>
        <Table className={styles.table} aria-label="Access worker register" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Access worker</TableHeaderCell>
              <TableHeaderCell>Trained on</TableHeaderCell>
              <TableHeaderCell>Authorised until</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell>
                <span className={styles.muted}>Change</span>
              </TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {view.entries.map((e) => (
              <RegisterRow
                key={`${e.id}-${e.trainedOn ?? ''}-${e.authorisedUntil ?? ''}`}
                entry={e}
                onInvalid={(text) => setMessage({ ok: false, text })}
                onSave={(body) => save(() => api.send<RegisterView>('PUT', `/api/admin/register/people/${encodeURIComponent(e.id)}`, body), `${e.displayName}'s dates are saved.`, e.displayName)}
              />
            ))}
          </TableBody>
        </Table>
      </div>
    </>
  );
}

function RegisterRow({
  entry,
  onSave,
  onInvalid,
}: {
  entry: RegisterView['entries'][number];
  onSave(body: { trainedOn: string | null; authorisedUntil: string | null }): Promise<void>;
  onInvalid(text: string): void;
}) {
  const styles = useStyles();
  const [trainedOn, setTrainedOn] = useState(entry.trainedOn ?? '');
  const [until, setUntil] = useState(entry.authorisedUntil ?? '');
  const [invalid, setInvalid] = useState<{ trained: boolean; until: boolean }>({ trained: false, until: false });
  const save = () => {
    // A date the field could not read is named here, with the person and the field, not sent.
    const unreadable = (value: string) => value !== '' && parseUkDate(value) === null;
    const bad = { trained: unreadable(trainedOn), until: unreadable(until) };
    setInvalid(bad);
    if (bad.trained || bad.until) {
      const fields = [bad.trained && 'trained on', bad.until && 'authorised until'].filter(Boolean).join(' and ');
      onInvalid(`${entry.displayName}: ${fields} must be a real date as dd/mm/yyyy, for example 14/03/2026.`);
      return;
    }
    void onSave({ trainedOn: trainedOn || null, authorisedUntil: until || null });
  };
  return (
    <TableRow>
      <TableCell>{entry.displayName}</TableCell>
      <TableCell>
        <label className={styles.hidden} htmlFor={`register-${entry.id}-trained`}>{`${entry.displayName}: trained on`}</label>
        <span className={styles.date}>
          <UkDateInput id={`register-${entry.id}-trained`} value={trainedOn} onChange={setTrainedOn} invalid={invalid.trained} />
        </span>
      </TableCell>
      <TableCell>
        <label className={styles.hidden} htmlFor={`register-${entry.id}-until`}>{`${entry.displayName}: authorised until`}</label>
        <span className={styles.date}>
          <UkDateInput id={`register-${entry.id}-until`} value={until} onChange={setUntil} invalid={invalid.until} />
        </span>
      </TableCell>
      <TableCell>{registerStatusText(entry)}</TableCell>
      <TableCell>
        <Button size="small" aria-label={`Save ${entry.displayName}`} onClick={save}>
          Save
        </Button>
      </TableCell>
    </TableRow>
  );
}

function registerStatusText(entry: { status: 'authorised' | 'not_trained' | 'ended'; trainedOn: string | null; authorisedUntil: string | null }): string {
  if (entry.status === 'ended') return 'Authorisation ended';
  if (entry.status === 'not_trained') return entry.trainedOn ? `Not yet: trained on ${formatDate(entry.trainedOn)}` : 'Not yet: record the training date';
  return entry.authorisedUntil ? `Authorised to ${formatDate(entry.authorisedUntil)}` : 'Authorised';
}
