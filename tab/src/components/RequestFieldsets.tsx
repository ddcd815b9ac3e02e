/**
 * The parts of the Investigation Request form, one per section: the case, the concern, the people
 * to check, what to look at, and urgency. Each edits the draft it is given; the page owns the draft,
 * its validation and its saving.
 */
import type { Dispatch, ReactNode, SetStateAction } from 'react';
import { Button, Checkbox, Input, Radio, RadioGroup, Select, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { CONCERN_CATEGORIES, CONCERN_LABELS, MONITORING_FREQUENCIES, SUBJECT_KIND_LABELS, SUBJECT_KINDS, type SubjectKind } from '../../../src/domain/forms';
import { emptyChild, emptySubject, type ChildDraft, type RequestDraft, type SubjectDraft } from '../requestDraft';
import { Notice, SectionHeading } from './common';
import { FormField, Group, fieldId } from './form';
import { UkDateInput } from './UkDateInput';

const useStyles = makeStyles({
  row: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(220px, 100%), 1fr))', columnGap: tokens.spacingHorizontalM, alignItems: 'start', '& > *': { minWidth: 0 } },
  removeRow: { display: 'flex', justifyContent: 'flex-end' },
});

/** The answers about a person that are typed as text. */
type SubjectText = 'name' | 'otherNames' | 'dateOfBirth' | 'area' | 'relationshipToChild' | 'profileUrl' | 'description';

const FREQUENCY_LABELS: Record<(typeof MONITORING_FREQUENCIES)[number], string> = { weekly: 'Weekly', fortnightly: 'Fortnightly', monthly: 'Monthly' };

/** What every fieldset gets from the form. */
export interface DraftEditor {
  draft: RequestDraft;
  setDraft: Dispatch<SetStateAction<RequestDraft>>;
  /** The error to show beside a field: the server's, or the form's once the field is touched or submit was pressed. */
  shown(path: string): string | undefined;
  touch(path: string): void;
  /** Moves focus to this element after the next render (a row added or removed). */
  focusNext(id: string): void;
}

const update = (editor: DraftEditor, patch: Partial<RequestDraft>) => editor.setDraft((d) => ({ ...d, ...patch }));

function TextField({
  editor,
  path,
  value,
  onChange,
  multiline = false,
  type = 'text',
}: {
  editor: DraftEditor;
  path: string;
  value: string;
  onChange(value: string): void;
  multiline?: boolean;
  type?: 'text' | 'date' | 'url';
}) {
  const blur = () => editor.touch(path);
  if (multiline) return <Textarea id={fieldId(path)} value={value} onChange={(_, d) => onChange(d.value)} onBlur={blur} resize="vertical" rows={4} />;
  if (type === 'date') return <UkDateInput id={fieldId(path)} value={value} onChange={onChange} onBlur={blur} />;
  return <Input id={fieldId(path)} type={type} value={value} onChange={(_, d) => onChange(d.value)} onBlur={blur} />;
}

export function CaseFieldset({ editor, intro }: { editor: DraftEditor; intro: ReactNode }) {
  const styles = useStyles();
  const { draft, shown } = editor;
  const updateChild = (index: number, patch: Partial<ChildDraft>) =>
    editor.setDraft((d) => ({ ...d, children: d.children.map((c, i) => (i === index ? { ...c, ...patch } : c)) }));
  const addChild = () => {
    editor.focusNext(fieldId(`children.${draft.children.length}.name`));
    update(editor, { children: [...draft.children, emptyChild()] });
  };
  // The button pressed goes with its row: focus goes where removing a person sends it.
  const removeChild = (index: number) => {
    editor.focusNext('add-child');
    update(editor, { children: draft.children.filter((_, i) => i !== index) });
  };
  return (
    <>
      <SectionHeading>The case</SectionHeading>
      {intro}
      <div className={styles.row}>
        <FormField path="caseReference" label="Case reference" hint="The case management system id" required error={shown('caseReference')}>
          <TextField editor={editor} path="caseReference" value={draft.caseReference} onChange={(v) => update(editor, { caseReference: v })} />
        </FormField>
        <FormField path="team" label="Team" error={shown('team')}>
          <TextField editor={editor} path="team" value={draft.team} onChange={(v) => update(editor, { team: v })} />
        </FormField>
      </div>
      <Group legend="Child or children concerned" error={shown('children')} errorId="children-error" id={fieldId('children')}>
        {draft.children.map((child, i) => (
          <div key={child.key} className={styles.row}>
            <FormField path={`children.${i}.name`} label={`Child ${i + 1}: name`} required error={shown(`children.${i}.name`)}>
              <TextField editor={editor} path={`children.${i}.name`} value={child.name} onChange={(v) => updateChild(i, { name: v })} />
            </FormField>
            <FormField path={`children.${i}.dateOfBirth`} label={`Child ${i + 1}: date of birth`} error={shown(`children.${i}.dateOfBirth`)}>
              <TextField editor={editor} path={`children.${i}.dateOfBirth`} value={child.dateOfBirth} onChange={(v) => updateChild(i, { dateOfBirth: v })} type="date" />
            </FormField>
            {draft.children.length > 1 && (
              <div className={styles.removeRow}>
                <Button appearance="subtle" onClick={() => removeChild(i)}>
                  Remove child {i + 1}
                </Button>
              </div>
            )}
          </div>
        ))}
        <Button id="add-child" onClick={addChild}>
          Add another child
        </Button>
      </Group>
    </>
  );
}

export function ConcernFieldset({ editor }: { editor: DraftEditor }) {
  const { draft, shown } = editor;
  return (
    <>
      <SectionHeading>The concern</SectionHeading>
      <Group legend="Concern categories (choose one or more)" error={shown('concernCategories')} errorId="concerns-error" id={fieldId('concernCategories')}>
        {CONCERN_CATEGORIES.map((c) => (
          <div key={c}>
            <Checkbox
              label={CONCERN_LABELS[c]}
              checked={draft.concernCategories.includes(c)}
              onChange={(_, d) => {
                update(editor, { concernCategories: d.checked === true ? [...draft.concernCategories, c] : draft.concernCategories.filter((x) => x !== c) });
                editor.touch('concernCategories');
              }}
            />
          </div>
        ))}
        {draft.concernCategories.includes('other') && (
          <FormField path="concernOther" label="Describe the other concern" required error={shown('concernOther')}>
            <TextField editor={editor} path="concernOther" value={draft.concernOther} onChange={(v) => update(editor, { concernOther: v })} />
          </FormField>
        )}
      </Group>
      <FormField path="concernDetails" label="The concern" hint="What is worrying you, in your own words" required error={shown('concernDetails')}>
        <TextField editor={editor} path="concernDetails" value={draft.concernDetails} onChange={(v) => update(editor, { concernDetails: v })} multiline />
      </FormField>
      <FormField
        path="justification"
        label="Why a check is needed and proportionate"
        hint="What it would triangulate and what else has been tried"
        required
        error={shown('justification')}
      >
        <TextField editor={editor} path="justification" value={draft.justification} onChange={(v) => update(editor, { justification: v })} multiline />
      </FormField>
    </>
  );
}

export function SubjectsFieldset({ editor }: { editor: DraftEditor }) {
  const styles = useStyles();
  const { draft, shown } = editor;
  const updateSubject = (index: number, patch: Partial<SubjectDraft>) =>
    editor.setDraft((d) => ({ ...d, subjects: d.subjects.map((s, i) => (i === index ? { ...s, ...patch } : s)) }));
  const addSubject = () => {
    editor.focusNext(fieldId(`subjects.${draft.subjects.length}.kind`));
    update(editor, { subjects: [...draft.subjects, emptySubject()] });
  };
  const removeSubject = (index: number) => {
    editor.focusNext('add-subject');
    update(editor, { subjects: draft.subjects.filter((_, i) => i !== index) });
  };
  return (
    <>
      <SectionHeading>People to check</SectionHeading>
      {shown('subjects') && (
        <div role="alert" id={fieldId('subjects')} tabIndex={-1}>
          <Notice intent="error">{shown('subjects')}</Notice>
        </div>
      )}
      {draft.subjects.map((s, i) => {
        const unknown = s.kind === 'unknown_associate';
        const p = (f: string) => `subjects.${i}.${f}`;
        const field = (f: SubjectText, options: { multiline?: boolean; type?: 'url' } = {}) => (
          <TextField editor={editor} path={p(f)} value={s[f]} onChange={(v) => updateSubject(i, { [f]: v })} {...options} />
        );
        return (
          <Group key={s.key} legend={`Person ${i + 1}`}>
            <FormField path={p('kind')} label="Kind of person" required error={shown(p('kind'))}>
              <Select
                id={fieldId(p('kind'))}
                value={s.kind}
                onChange={(_, d) => updateSubject(i, { kind: d.value as SubjectKind | '', ...(d.value === 'unknown_associate' ? { name: '' } : {}) })}
                onBlur={() => editor.touch(p('kind'))}
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
                  {field('name')}
                </FormField>
                <FormField path={p('otherNames')} label="Other names" hint="Aliases, maiden or previous names" error={shown(p('otherNames'))}>
                  {field('otherNames')}
                </FormField>
              </div>
            )}
            <FormField path={p('description')} label={unknown ? 'Description' : 'Description (optional)'} required={unknown} error={shown(p('description'))}>
              {field('description', { multiline: true })}
            </FormField>
            <div className={styles.row}>
              <FormField path={p('dateOfBirth')} label="Date of birth or age" error={shown(p('dateOfBirth'))}>
                {field('dateOfBirth')}
              </FormField>
              <FormField path={p('area')} label="Address or area" error={shown(p('area'))}>
                {field('area')}
              </FormField>
              <FormField path={p('relationshipToChild')} label="Relationship to the child" error={shown(p('relationshipToChild'))}>
                {field('relationshipToChild')}
              </FormField>
              <FormField path={p('profileUrl')} label="Known profile link" hint="If any, starting with https://" error={shown(p('profileUrl'))}>
                {field('profileUrl', { type: 'url' })}
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
    </>
  );
}

export function ScopeFieldset({ editor }: { editor: DraftEditor }) {
  const styles = useStyles();
  const { draft, shown } = editor;
  return (
    <>
      <SectionHeading>What to look at</SectionHeading>
      <div className={styles.row}>
        <FormField path="period.from" label="Period to look at: from" required error={shown('period.from')}>
          <TextField editor={editor} path="period.from" value={draft.periodFrom} onChange={(v) => update(editor, { periodFrom: v })} type="date" />
        </FormField>
        <FormField path="period.to" label="Period to look at: to" required error={shown('period.to')}>
          <TextField editor={editor} path="period.to" value={draft.periodTo} onChange={(v) => update(editor, { periodTo: v })} type="date" />
        </FormField>
      </div>
      <Group legend="One-off review or monitoring">
        <Notice intent="warning" title="One-off by default">
          Repeated viewing of the same profile can amount to directed surveillance (Home Office Covert Surveillance and Property Interference Code of Practice, 2018, on
          online research). Ask for monitoring only when a single check cannot meet the need, and say why. Monitoring is authorised with an end date and review dates;
          if it is not reviewed it lapses.
        </Notice>
        <RadioGroup value={draft.mode} onChange={(_, d) => update(editor, { mode: d.value as RequestDraft['mode'] })} aria-label="One-off review or monitoring">
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
              <TextField
                editor={editor}
                path="monitoring.justification"
                value={draft.monitoringJustification}
                onChange={(v) => update(editor, { monitoringJustification: v })}
                multiline
              />
            </FormField>
            <div className={styles.row}>
              <FormField path="monitoring.frequency" label="How often" required error={shown('monitoring.frequency')}>
                <Select
                  id={fieldId('monitoring.frequency')}
                  value={draft.monitoringFrequency}
                  onChange={(_, d) => update(editor, { monitoringFrequency: d.value })}
                  onBlur={() => editor.touch('monitoring.frequency')}
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
                <TextField editor={editor} path="monitoring.endDate" value={draft.monitoringEndDate} onChange={(v) => update(editor, { monitoringEndDate: v })} type="date" />
              </FormField>
            </div>
          </>
        )}
      </Group>
    </>
  );
}

export function UrgencyFieldset({ editor }: { editor: DraftEditor }) {
  const styles = useStyles();
  const { draft, shown } = editor;
  return (
    <>
      <SectionHeading>Urgency</SectionHeading>
      <div className={styles.row}>
        <FormField path="urgency" label="Urgency">
          <Select id={fieldId('urgency')} value={draft.urgency} onChange={(_, d) => update(editor, { urgency: d.value as RequestDraft['urgency'] })}>
            <option value="routine">Routine</option>
            <option value="urgent">Urgent</option>
          </Select>
        </FormField>
        <FormField path="neededBy" label="Information needed by" required error={shown('neededBy')}>
          <TextField editor={editor} path="neededBy" value={draft.neededBy} onChange={(v) => update(editor, { neededBy: v })} type="date" />
        </FormField>
      </div>
    </>
  );
}
