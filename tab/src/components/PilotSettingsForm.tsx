/**
 * The pilot settings on the administration page: start date, length, platforms in scope and the
 * size of the access-worker register. They are the one source of the platforms links must be on;
 * every change is audited by the server.
 */
import { useState } from 'react';
import { Button, Checkbox, Input, makeStyles, tokens } from '@fluentui/react-components';
import { formatDate } from '../../../src/domain/dates';
import { PLATFORM_HOSTS, PLATFORM_LABELS, PLATFORMS, type Platform } from '../../../src/domain/pilot';
import { ApiError, errorMessage, useApi } from '../api';
import { ErrorState, Loading, Notice, useLoad } from './common';
import { FormField, Group, fieldId } from './form';
import { UkDateInput } from './UkDateInput';
import type { PilotSettingsView } from '../types';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL, alignItems: 'flex-start' },
  narrow: { maxWidth: '12em' },
  platforms: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(14em, 1fr))' },
});

export function PilotSettingsForm({ onSaved }: { onSaved?: () => void }) {
  const api = useApi();
  const settings = useLoad(() => api.get<PilotSettingsView>('/api/pilot/settings'), 'pilot-settings');
  const [saved, setSaved] = useState(false);
  if (settings.status === 'loading') return <Loading label="Loading the pilot settings…" />;
  if (settings.status === 'error') return <ErrorState error={settings.error} onRetry={settings.reload} />;
  return (
    <>
      <SettingsForm
        key={JSON.stringify(settings.data)}
        view={settings.data}
        onChange={() => setSaved(false)}
        onSaved={(view) => {
          settings.set(view);
          setSaved(true);
          onSaved?.();
        }}
      />
      <div aria-live="polite">
        {saved && (
          <Notice intent="success" title="Saved">
            The pilot settings are saved.
          </Notice>
        )}
      </div>
    </>
  );
}

function SettingsForm({ view, onSaved, onChange }: { view: PilotSettingsView; onSaved(view: PilotSettingsView): void; onChange(): void }) {
  const styles = useStyles();
  const api = useApi();
  const [startDate, setStartDate] = useState(view.startDate);
  const [lengthMonths, setLengthMonths] = useState(String(view.lengthMonths));
  const [platforms, setPlatforms] = useState<Platform[]>(view.platforms);
  const [registerSize, setRegisterSize] = useState(String(view.registerSize));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = (p: Platform, on: boolean) => setPlatforms((list) => (on ? PLATFORMS.filter((x) => x === p || list.includes(x)) : list.filter((x) => x !== p)));

  const save = async () => {
    setFailure(null);
    setErrors({});
    onChange();
    setBusy(true);
    try {
      const saved = await api.send<PilotSettingsView>('PUT', '/api/pilot/settings', { startDate, lengthMonths: Number(lengthMonths), platforms, registerSize: Number(registerSize) });
      onSaved(saved);
    } catch (error) {
      if (error instanceof ApiError && error.fields) setErrors(error.fields);
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p>
        The pilot runs from {formatDate(view.startDate)} to {formatDate(view.endDate)}. Links to profiles, findings and evidence must be on the platforms chosen here.
      </p>
      <div className={styles.row}>
        <FormField path="pilot.startDate" label="Start date" error={errors.startDate} required>
          <UkDateInput id={fieldId('pilot.startDate')} value={startDate} onChange={setStartDate} />
        </FormField>
        <FormField path="pilot.lengthMonths" label="Length in months" error={errors.lengthMonths} required>
          <Input className={styles.narrow} id={fieldId('pilot.lengthMonths')} type="number" min={1} max={60} value={lengthMonths} onChange={(_, d) => setLengthMonths(d.value)} />
        </FormField>
        <FormField path="pilot.registerSize" label="Access workers on the register at most" error={errors.registerSize} required>
          <Input className={styles.narrow} id={fieldId('pilot.registerSize')} type="number" min={1} max={100} value={registerSize} onChange={(_, d) => setRegisterSize(d.value)} />
        </FormField>
      </div>
      <Group legend="Platforms in scope" error={errors.platforms} errorId="pilot-platforms-error">
        <div className={styles.platforms}>
          {PLATFORMS.map((p) => (
            <Checkbox key={p} checked={platforms.includes(p)} onChange={(_, d) => toggle(p, d.checked === true)} label={`${PLATFORM_LABELS[p]} (${PLATFORM_HOSTS[p].join(', ')})`} />
          ))}
        </div>
      </Group>
      <Button appearance="primary" disabledFocusable={busy} onClick={() => void save()}>
        {busy ? 'Saving…' : 'Save pilot settings'}
      </Button>
      {failure && (
        <Notice intent="error" title="Not saved">
          {failure}
        </Notice>
      )}
    </>
  );
}
