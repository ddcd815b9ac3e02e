/**
 * Evidence upload: drag and drop or choose several files; each is checked before sending,
 * described and attested, then sent with its own progress bar and a cancel button.
 */
import { useRef, useState, type DragEvent } from 'react';
import { Button, Checkbox, Input, ProgressBar, Select, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { evidenceMetadataSchema, fieldErrors } from '../../../src/domain/forms';
import { ApiError, errorMessage, useApi, type Upload } from '../api';
import { ACCEPT_ATTRIBUTE, fileProblem } from '../evidenceRules';
import { formatBytes } from '../format';
import type { ApiSubject, EvidenceItem } from '../types';
import { FormField, fieldId } from './form';
import { Notice } from './common';
import { subjectName } from './details';
import { UkDateInput } from './UkDateInput';
import { fromLondonWallClock, londonWallClock } from '../../../src/domain/dates';

const useStyles = makeStyles({
  drop: {
    border: `${tokens.strokeWidthThick} dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingVerticalL,
    textAlign: 'center',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  dropActive: { border: `${tokens.strokeWidthThick} dashed ${tokens.colorBrandStroke1}`, backgroundColor: tokens.colorBrandBackground2 },
  hidden: { display: 'none' },
  item: {
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingVerticalM,
    marginTop: tokens.spacingVerticalM,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  name: { fontWeight: tokens.fontWeightSemibold, overflowWrap: 'anywhere', margin: `0 0 ${tokens.spacingVerticalS}` },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center', marginTop: tokens.spacingVerticalS },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(220px, 100%), 1fr))', columnGap: tokens.spacingHorizontalM, alignItems: 'start', '& > *': { minWidth: 0 } },
});

type Status = 'ready' | 'rejected' | 'uploading' | 'done' | 'failed' | 'cancelled';

interface Pending {
  key: string;
  file: File;
  problem: string | null;
  subjectId: string;
  sourceUrl: string;
  /** When the capture was made, on London's clock: the date (YYYY-MM-DD once complete) and HH:MM. */
  capturedOn: string;
  capturedTime: string;
  description: string;
  publiclyVisible: boolean;
  status: Status;
  progress: number;
  errors: Record<string, string>;
  message: string | null;
}


let sequence = 0;

interface Props {
  requestId: string;
  subjects: ApiSubject[];
  onUploaded(item: EvidenceItem): void;
  /** Why evidence cannot be added yet (no search session): the form stays disabled and says so. */
  blockedBecause?: string;
}

export function EvidenceUpload({ requestId, subjects, onUploaded, blockedBecause }: Props) {
  const styles = useStyles();
  const api = useApi();
  const input = useRef<HTMLInputElement>(null);
  const uploads = useRef(new Map<string, Upload<EvidenceItem>>());
  const sections = useRef(new Map<string, HTMLElement>());
  const chooseButton = useRef<HTMLButtonElement>(null);
  /**
   * When an upload ends its Cancel button goes; if it had focus, focus moves to the file's own
   * section (which then says how it went) rather than to the top of the page.
   */
  const keepFocus = (key: string) => {
    const before = document.activeElement;
    window.setTimeout(() => {
      if (before && before !== document.body && before.isConnected) return;
      sections.current.get(key)?.focus();
    }, 0);
  };
  const [items, setItems] = useState<Pending[]>([]);
  const [over, setOver] = useState(false);
  const [announce, setAnnounce] = useState('');

  const patch = (key: string, change: Partial<Pending>) => setItems((all) => all.map((i) => (i.key === key ? { ...i, ...change } : i)));

  const add = (files: FileList | File[]) => {
    if (blockedBecause) return;
    // London's clock, not the device's: the record shows UK time, whatever the laptop is set to.
    const now = londonWallClock(new Date());
    const added = Array.from(files).map((file): Pending => {
      const problem = fileProblem(file);
      sequence += 1;
      return {
        key: `e${sequence}`,
        file,
        problem,
        subjectId: subjects.length === 1 ? (subjects[0]?.id ?? '') : '',
        sourceUrl: '',
        capturedOn: now.date,
        capturedTime: now.time,
        description: '',
        publiclyVisible: false,
        status: problem ? 'rejected' : 'ready',
        progress: 0,
        errors: {},
        message: problem,
      };
    });
    setItems((all) => [...all, ...added]);
    const rejected = added.filter((a) => a.problem).length;
    setAnnounce(`${added.length} file${added.length === 1 ? '' : 's'} added${rejected ? `, ${rejected} cannot be sent` : ''}. Describe each one, then upload it.`);
  };

  const send = (item: Pending) => {
    const captured = fromLondonWallClock(item.capturedOn, item.capturedTime);
    if (!captured) {
      patch(item.key, {
        errors: { capturedAt: 'Give the date as dd/mm/yyyy and the time as hh:mm, UK time (a time the clocks skipped is not one).' },
        message: 'Some answers need attention before this file can be sent.',
      });
      return;
    }
    const metadata = {
      subjectId: item.subjectId,
      sourceUrl: item.sourceUrl,
      capturedAt: captured.toISOString(),
      description: item.description,
      publiclyVisible: item.publiclyVisible,
    };
    const check = evidenceMetadataSchema.safeParse(metadata);
    if (!check.success) {
      patch(item.key, { errors: fieldErrors(check.error), message: 'Some answers need attention before this file can be sent.' });
      return;
    }
    patch(item.key, { status: 'uploading', progress: 0, errors: {}, message: null });
    setAnnounce(`Uploading ${item.file.name}.`);
    const upload = api.upload<EvidenceItem>(`/api/requests/${encodeURIComponent(requestId)}/evidence`, metadata, item.file, (fraction) =>
      patch(item.key, { progress: fraction }),
    );
    uploads.current.set(item.key, upload);
    upload.done.then(
      (saved) => {
        uploads.current.delete(item.key);
        patch(item.key, { status: 'done', progress: 1, message: `Uploaded. SHA-256 ${saved.sha256.slice(0, 16)}…` });
        keepFocus(item.key);
        setAnnounce(`${item.file.name} uploaded.`);
        onUploaded(saved);
      },
      (error: unknown) => {
        uploads.current.delete(item.key);
        const cancelled = error instanceof ApiError && error.code === 'aborted';
        patch(item.key, {
          status: cancelled ? 'cancelled' : 'failed',
          errors: error instanceof ApiError && error.fields ? error.fields : {},
          message: cancelled ? 'Upload cancelled.' : errorMessage(error),
        });
        keepFocus(item.key);
        setAnnounce(cancelled ? `${item.file.name}: upload cancelled.` : `${item.file.name} was not uploaded: ${errorMessage(error)}`);
      },
    );
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (e.dataTransfer.files.length) add(e.dataTransfer.files);
  };

  return (
    <div>
      {blockedBecause && <Notice intent="warning">{blockedBecause}</Notice>}
      <div
        className={`${styles.drop} ${over && !blockedBecause ? styles.dropActive : ''}`}
        aria-disabled={blockedBecause ? true : undefined}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="evidence-drop"
      >
        <p>Drag screenshots, PDFs, saved pages or videos here, or</p>
        <Button ref={chooseButton} disabled={Boolean(blockedBecause)} onClick={() => input.current?.click()}>
          Choose files
        </Button>
        <input
          ref={input}
          className={styles.hidden}
          type="file"
          multiple
          accept={ACCEPT_ATTRIBUTE}
          aria-label="Evidence files"
          disabled={Boolean(blockedBecause)}
          data-testid="evidence-input"
          onChange={(e) => {
            if (e.target.files) add(e.target.files);
            e.target.value = '';
          }}
        />
      </div>
      <div aria-live="polite" role="status">
        {announce}
      </div>
      {items.map((item) => {
        const p = (f: string) => `${item.key}.${f}`;
        const editable = item.status === 'ready' || item.status === 'failed' || item.status === 'cancelled';
        return (
          <section
            key={item.key}
            ref={(element) => {
              if (element) sections.current.set(item.key, element);
              else sections.current.delete(item.key);
            }}
            tabIndex={-1}
            className={styles.item}
            aria-label={`Evidence file ${item.file.name}`}
          >
            <p className={styles.name}>
              {item.file.name} · {formatBytes(item.file.size)}
            </p>
            {item.status === 'rejected' ? (
              <Notice intent="error">{item.problem}</Notice>
            ) : (
              <>
                {item.status !== 'done' && (
                  <>
                    <div className={styles.grid}>
                      <FormField path={p('subjectId')} label="Person" required error={item.errors.subjectId}>
                        <Select id={fieldId(p('subjectId'))} value={item.subjectId} disabled={!editable} onChange={(_, d) => patch(item.key, { subjectId: d.value })}>
                          <option value="">Choose…</option>
                          {subjects.map((s) => (
                            <option key={s.id} value={s.id}>
                              {subjectName(s, 40)}
                            </option>
                          ))}
                        </Select>
                      </FormField>
                      <FormField path={p('sourceUrl')} label="Source link" required error={item.errors.sourceUrl}>
                        <Input id={fieldId(p('sourceUrl'))} type="url" value={item.sourceUrl} disabled={!editable} onChange={(_, d) => patch(item.key, { sourceUrl: d.value })} />
                      </FormField>
                      {/* Not the browser's date-time control: its day/month order follows the browser's locale. */}
                      <FormField path={p('capturedAt')} label="Captured on" required error={item.errors.capturedAt}>
                        <UkDateInput id={fieldId(p('capturedAt'))} value={item.capturedOn} disabled={!editable} onChange={(value) => patch(item.key, { capturedOn: value })} />
                      </FormField>
                      <FormField path={p('capturedTime')} label="At (UK time)" required>
                        <Input id={fieldId(p('capturedTime'))} type="time" value={item.capturedTime} disabled={!editable} onChange={(_, d) => patch(item.key, { capturedTime: d.value })} />
                      </FormField>
                    </div>
                    <FormField path={p('description')} label="What it shows and why it is relevant" required error={item.errors.description}>
                      <Textarea
                        id={fieldId(p('description'))}
                        value={item.description}
                        disabled={!editable}
                        onChange={(_, d) => patch(item.key, { description: d.value })}
                        rows={2}
                        resize="vertical"
                      />
                    </FormField>
                    <Checkbox
                      id={fieldId(p('publiclyVisible'))}
                      checked={item.publiclyVisible}
                      disabled={!editable}
                      onChange={(_, d) => patch(item.key, { publiclyVisible: d.checked === true })}
                      label="I attest this was publicly visible without being a “friend”, and I used the corporate account"
                    />
                    {item.errors.publiclyVisible && (
                      <div role="alert">
                        <Notice intent="error">{item.errors.publiclyVisible}</Notice>
                      </div>
                    )}
                  </>
                )}
                {(item.status === 'uploading' || item.status === 'done') && (
                  <ProgressBar
                    value={item.progress}
                    max={1}
                    thickness="large"
                    color={item.status === 'done' ? 'success' : 'brand'}
                    aria-label={`Upload progress for ${item.file.name}`}
                    aria-valuetext={`${Math.round(item.progress * 100)}%`}
                  />
                )}
                {item.message &&
                  (item.status === 'failed' ? (
                    <Notice intent="error" title="Not uploaded">
                      {item.message}
                    </Notice>
                  ) : (
                    <p>{item.message}</p>
                  ))}
                <div className={styles.row}>
                  {editable && (
                    <Button appearance="primary" onClick={() => send(item)}>
                      {item.status === 'ready' ? 'Upload' : 'Upload again'}
                    </Button>
                  )}
                  {item.status === 'uploading' && (
                    <>
                      <span>{Math.round(item.progress * 100)}%</span>
                      {/* Mounted by pressing Upload, which it replaces: focus moves to it rather than to the page. */}
                      <Button autoFocus onClick={() => uploads.current.get(item.key)?.abort()}>
                        Cancel upload
                      </Button>
                    </>
                  )}
                </div>
              </>
            )}
            {item.status !== 'uploading' && item.status !== 'done' && (
              <Button
                appearance="subtle"
                onClick={() => {
                  // The button goes with the file: focus moves to choosing files, not the top of the page.
                  chooseButton.current?.focus();
                  setItems((all) => all.filter((i) => i.key !== item.key));
                }}
              >
                Remove {item.file.name} from the list
              </Button>
            )}
          </section>
        );
      })}
    </div>
  );
}
