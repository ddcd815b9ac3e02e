/**
 * A team manager names another team manager as deputy for a period (leave, illness): while it
 * lasts, requests waiting for them go to the deputy too, who may agree, return or decline them.
 * Anyone standing in for a team manager sees for whom, and until when.
 */
import { useState } from 'react';
import { Button, Select, makeStyles, tokens } from '@fluentui/react-components';
import { formatDate } from '../../../src/domain/dates';
import { ApiError, errorMessage, useApi } from '../api';
import { useSession } from '../session';
import type { DeputiesView } from '../types';
import { ErrorState, Loading, Notice, PageHeading, SectionHeading, useLoad } from '../components/common';
import { ErrorSummary, FormField, fieldId } from '../components/form';
import { UkDateInput } from '../components/UkDateInput';
import { useNotify } from '../components/toast';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL, alignItems: 'flex-end' },
  plain: { listStyleType: 'none', margin: 0, padding: 0 },
  item: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'center', padding: `${tokens.spacingVerticalXS} 0` },
  actions: { marginTop: tokens.spacingVerticalM },
});

export default function DeputyPage() {
  const styles = useStyles();
  const api = useApi();
  const { me } = useSession();
  const notify = useNotify();
  const view = useLoad(() => api.get<DeputiesView>('/api/me/deputies'), 'deputies');
  const [deputyId, setDeputyId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [focusKey, setFocusKey] = useState(0);

  if (view.status === 'loading') return <Loading label="Loading your deputies…" />;
  if (view.status === 'error') return <ErrorState error={view.error} onRetry={view.reload} />;
  const { deputies, standingInFor, teamManagers } = view.data;
  const isManager = me.roles.includes('team_manager');

  const name = async () => {
    setFailure(null);
    const missing: Record<string, string> = {};
    if (!deputyId) missing.deputyId = 'Choose a team manager to deputise.';
    if (!from) missing.from = 'Enter the first day.';
    if (!to) missing.to = 'Enter the last day.';
    setErrors(missing);
    if (Object.keys(missing).length > 0) {
      setFocusKey((n) => n + 1);
      return;
    }
    setBusy(true);
    try {
      await api.send('POST', '/api/me/deputies', { deputyId, from, to });
      notify('success', 'Deputy named. Requests waiting for you go to them too while the period lasts.');
      setDeputyId('');
      setFrom('');
      setTo('');
      view.reload();
    } catch (error) {
      if (error instanceof ApiError && error.fields) {
        setErrors(error.fields);
        setFocusKey((n) => n + 1);
      }
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const end = async (id: string) => {
    setFailure(null);
    try {
      await api.send('POST', `/api/me/deputies/${encodeURIComponent(id)}/end`, {});
      notify('success', 'The deputy’s period has ended.');
      view.reload();
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };

  return (
    <>
      <PageHeading>Deputy</PageHeading>
      {standingInFor.map((d) => (
        <Notice key={d.id} intent="info" title={`You are standing in for ${d.teamManagerName}`}>
          Until {formatDate(d.to)}, requests waiting for {d.teamManagerName} wait for you too: they are in “Waiting for me”.
        </Notice>
      ))}
      {!isManager && standingInFor.length === 0 && <p>You are not standing in for anyone.</p>}
      {isManager && (
        <>
          <p>
            Name another team manager to stand in for you while you are away. While the period lasts, requests waiting for you go to your deputy too, and
            either of you may agree, return or decline them. Naming a new deputy replaces the one named before.
          </p>
          <SectionHeading id="current-deputies">Your deputies</SectionHeading>
          {deputies.length === 0 ? (
            <p>You have no deputy named.</p>
          ) : (
            <ul className={styles.plain} aria-labelledby="current-deputies">
              {deputies.map((d) => (
                <li key={d.id} className={styles.item}>
                  <span>
                    {d.deputyName}, {formatDate(d.from)} to {formatDate(d.to)}
                  </span>
                  <Button size="small" onClick={() => void end(d.id)}>
                    End {d.deputyName}’s period now
                  </Button>
                </li>
              ))}
            </ul>
          )}
          <SectionHeading id="name-deputy">Name a deputy</SectionHeading>
          <form
            aria-labelledby="name-deputy"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void name();
            }}
          >
            <ErrorSummary errors={errors} focusKey={focusKey} />
            <div className={styles.row}>
              <FormField path="deputyId" label="Team manager" required error={errors.deputyId}>
                <Select id={fieldId('deputyId')} value={deputyId} onChange={(_, d) => setDeputyId(d.value)}>
                  <option value="">Choose a team manager</option>
                  {teamManagers.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.displayName}
                    </option>
                  ))}
                </Select>
              </FormField>
              <FormField path="from" label="First day" hint="dd/mm/yyyy" required error={errors.from}>
                <UkDateInput id={fieldId('from')} value={from} onChange={setFrom} />
              </FormField>
              <FormField path="to" label="Last day" hint="dd/mm/yyyy" required error={errors.to}>
                <UkDateInput id={fieldId('to')} value={to} onChange={setTo} />
              </FormField>
            </div>
            <div aria-live="assertive">{failure && <Notice intent="error" title="Not done">{failure}</Notice>}</div>
            <div className={styles.actions}>
              <Button appearance="primary" type="submit" disabledFocusable={busy}>
                {busy ? 'Naming…' : 'Name deputy'}
              </Button>
            </div>
          </form>
        </>
      )}
    </>
  );
}
