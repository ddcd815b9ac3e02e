/**
 * The Investigation Request (Appendix 1) and the Investigation Log (Appendix 2) as Word
 * documents, written on finalise and filed beside the evidence, ready for the case record.
 */
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { EvidenceItem, SearchSession } from '../app/ports';
import { formatDate, formatDateTime } from '../domain/dates';
import { CONCERN_LABELS, SUBJECT_KIND_LABELS } from '../domain/forms';
import { subjectLabel, type InvestigationRequest } from '../domain/request';
import { STATE_LABELS } from '../domain/states';
import { DEFAULT_RETENTION_SETTINGS, retainUntil, retentionRule, type RetentionSettings } from '../domain/retention';

export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export interface RecordDocumentsInput {
  request: InvestigationRequest;
  evidence: EvidenceItem[];
  searchSessions: SearchSession[];
  /** Display names by person id; ids are shown where a name is missing. */
  people: Record<string, string>;
  generatedAt: Date;
  /** The lawful basis and retention schedule in force; the defaults when absent. */
  retention?: RetentionSettings;
}

export interface RecordDocument {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** What a store needs to file a record document beside the request's evidence. */
export interface RecordDocumentPutInput extends RecordDocument {
  requestId: string;
  requestReference: string;
  caseReference: string;
}

const VISIBILITY_LABELS = { public: 'Public', restricted: 'Restricted (not viewed further)', not_found: 'Not found' } as const;
const CONTRIBUTION_LABELS = { little: 'Little', some: 'Some', considerable: 'Considerable', significant: 'Significant' } as const;

export type RecordDocumentKind = 'investigation_request' | 'investigation_log';

/**
 * The documents asked for, named by the request reference so they sort beside its evidence; a
 * later version carries its number so the earlier file is kept beside it.
 */
export async function recordDocuments(input: RecordDocumentsInput, filing: { kinds: RecordDocumentKind[]; version: number } = { kinds: ['investigation_request', 'investigation_log'], version: 1 }): Promise<(RecordDocument & { kind: RecordDocumentKind })[]> {
  const ref = input.request.reference;
  const suffix = filing.version > 1 ? `-v${filing.version}` : '';
  const make = {
    investigation_request: async () => ({ fileName: `${ref}-investigation-request${suffix}.docx`, content: await investigationRequestDocx(input) }),
    investigation_log: async () => ({ fileName: `${ref}-investigation-log${suffix}.docx`, content: await investigationLogDocx(input) }),
  };
  return Promise.all(filing.kinds.map(async (kind) => ({ kind, contentType: DOCX_CONTENT_TYPE, ...(await make[kind]()) })));
}

export async function investigationRequestDocx(input: RecordDocumentsInput): Promise<Buffer> {
  const { request: r } = input;
  const f = r.form;
  const name = personName(input);
  const scope = r.authorisation?.scope;
  const body: (Paragraph | Table)[] = [
    title(`Investigation Request ${r.reference}`),
    note(`Social Media Checks — Appendix 1. Generated ${formatDateTime(input.generatedAt.toISOString())}. Status: ${STATE_LABELS[r.state]}.`),
    heading('Case'),
    facts([
      ['Case reference', f.caseReference],
      ['Team', f.team ?? '—'],
      ['Originating social worker', name(r.originatingWorkerId)],
      ['Team manager', r.teamManagerId ? name(r.teamManagerId) : '—'],
      ['Children', f.children.map((c) => (c.dateOfBirth ? `${c.name} (born ${formatDate(c.dateOfBirth)})` : c.name)).join('; ')],
    ]),
    heading('Concern'),
    facts([
      ['Categories', f.concernCategories.map((c) => (c === 'other' && f.concernOther ? `${CONCERN_LABELS.other}: ${f.concernOther}` : CONCERN_LABELS[c])).join('; ')],
      ['The concern', f.concernDetails],
      ['Why a check is needed and proportionate', f.justification],
    ]),
    heading('People to be checked'),
    grid(
      ['Kind', 'Name or description', 'Other names', 'Date of birth or age', 'Area', 'Relationship to the child', 'Known profile'],
      f.subjects.map((s) => [s.kind ? SUBJECT_KIND_LABELS[s.kind] : '—', subjectLabel(s), s.otherNames ?? '', s.dateOfBirth ?? '', s.area ?? '', s.relationshipToChild ?? '', s.profileUrl ?? '']),
    ),
    heading('Period and kind of check'),
    facts([
      ['Period to be looked at', `${formatDate(f.period.from)} to ${formatDate(f.period.to)}`],
      ['Kind', f.monitoring ? 'Monitoring' : 'One-off review'],
      ...(f.monitoring
        ? ([
            ['Why monitoring is needed', f.monitoring.justification],
            ['Frequency', f.monitoring.frequency ?? '—'],
            ['Monitoring ends', formatDate(f.monitoring.endDate)],
          ] as [string, string][])
        : []),
      ['Urgency', f.urgency === 'urgent' ? 'Urgent' : 'Routine'],
      ['Needed by', formatDate(f.neededBy)],
    ]),
    heading('Decisions'),
    facts([
      ['Submitted', r.submittedAt ? formatDateTime(r.submittedAt) : '—'],
      ['Team manager agreement', r.agreement ? `${name(r.agreement.by)}, ${formatDateTime(r.agreement.at)}` : '—'],
      ['Supervision note', r.agreement?.note ?? '—'],
      ['Service director authorisation', r.authorisation ? `${name(r.authorisation.by)}, ${formatDateTime(r.authorisation.at)}` : '—'],
      ['People in scope', scope ? f.subjects.filter((s) => scope.subjectIds.includes(s.id)).map(subjectLabel).join('; ') : '—'],
      ['Authorised period', scope ? `${formatDate(scope.period.from)} to ${formatDate(scope.period.to)}` : '—'],
      ['Conditions', scope?.conditions ?? '—'],
      ['Review dates', scope?.monitoring ? scope.monitoring.reviewDates.map(formatDate).join(', ') || '—' : 'Not applicable (one-off)'],
      ['Authorisation to be used by', scope ? formatDate(scope.useBy) : '—'],
    ]),
  ];
  return pack(`Investigation Request ${r.reference}`, [...body, ...retentionSection(input)]);
}

export async function investigationLogDocx(input: RecordDocumentsInput): Promise<Buffer> {
  const { request: r } = input;
  const log = r.log;
  const name = personName(input);
  const subjects = new Map(r.form.subjects.map((s) => [s.id, subjectLabel(s)]));
  const sessions = [...input.searchSessions].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const totalSeconds = sessions.reduce((sum, s) => sum + (s.durationSeconds ?? 0), 0);
  const body: (Paragraph | Table)[] = [
    title(`Investigation Log ${r.reference}`),
    note(`Social Media Checks — Appendix 2. Generated ${formatDateTime(input.generatedAt.toISOString())}. Status: ${STATE_LABELS[r.state]}.`),
    facts([
      ['Case reference', r.form.caseReference],
      ['Authorised access worker', r.accessWorkerId ? name(r.accessWorkerId) : '—'],
      ['Originating social worker', name(r.originatingWorkerId)],
      ['Legitimacy of the log-on', r.firstSearchStartedAt || sessions.length ? 'Confirmed by the access worker before searching' : '—'],
    ]),
    heading('Search sessions'),
    grid(
      ['Started', 'Ended', 'Time taken', 'People searched', 'Corporate account'],
      sessions.map((s) => [
        formatDateTime(s.startedAt),
        s.endedAt ? formatDateTime(s.endedAt) : 'Not ended',
        s.durationSeconds === null ? '—' : duration(s.durationSeconds),
        s.subjectIds.length > 0 ? s.subjectIds.map((id) => subjects.get(id) ?? id).join('; ') : 'Not recorded',
        s.corporateAccount ? 'Confirmed by the access worker' : 'Not confirmed',
      ]),
    ),
    note(`Total time searching: ${duration(totalSeconds)}.`),
    heading('Findings'),
    grid(
      ['Person', 'Profile', 'Link', 'What was seen'],
      (log?.findings ?? []).map((fi) => [subjects.get(fi.subjectId) ?? fi.subjectId, VISIBILITY_LABELS[fi.visibility], fi.profileUrl ?? '', fi.summary]),
    ),
    heading('Evidence'),
    grid(
      ['File', 'About', 'Source link', 'Captured', 'Description', 'Publicly visible', 'SHA-256', 'SharePoint link'],
      input.evidence.map((e) => [
        e.correctsEvidenceId ? `${e.fileName} (corrects ${e.correctsEvidenceId}: ${e.correctionReason ?? ''})` : e.fileName,
        subjects.get(e.subjectId) ?? e.subjectId,
        e.sourceUrl,
        `${formatDateTime(e.capturedAt)} by ${name(e.capturedBy)}`,
        e.description,
        e.publiclyVisible ? 'Attested' : 'Not attested',
        e.sha256,
        e.webUrl ?? (e.uploadStatus === 'upload_pending' ? 'Upload pending' : 'Held by the server'),
      ]),
    ),
    heading('Further persons identified'),
    ...((log?.furtherPersons ?? []).length ? (log?.furtherPersons ?? []).map((p) => bullet(p.description)) : [text('None.')]),
    heading('Access worker comments'),
    text(log?.accessWorkerComments ?? 'None.'),
    heading('Assessment by the originating social worker'),
    log?.assessment
      ? facts([
          ['What the information adds', log.assessment.summary],
          ['Useful pieces of information', String(log.assessment.usefulPieces)],
          ['Pieces not otherwise available', String(log.assessment.uniquePieces)],
          ['Contribution', CONTRIBUTION_LABELS[log.assessment.contribution]],
          ['Actions taken', log.assessment.actionsTaken],
        ])
      : text('Not yet assessed.'),
    heading('Doubts and disagreement'),
    ...(r.doubts.length
      ? r.doubts.map((d) =>
          facts([
            [`Raised by the ${d.raisedAs === 'access_worker' ? 'access worker' : 'originating social worker'}`, `${name(d.raisedBy)}, ${formatDateTime(d.raisedAt)}: ${d.reason}`],
            ['Service manager’s view', d.serviceManagerView ? `${name(d.serviceManagerView.by)}, ${formatDateTime(d.serviceManagerView.at)}: ${d.serviceManagerView.note}` : 'Not recorded'],
            ['Service director’s decision', d.resolution ? `${d.resolution.outcome === 'resume' ? 'Resume' : 'Cancel'} — ${name(d.resolution.by)}, ${formatDateTime(d.resolution.at)}: ${d.resolution.note}` : 'Not decided'],
          ]),
        )
      : [text('None raised.')]),
    heading('Shared with'),
    ...(r.sharedWith.length ? r.sharedWith.map((s) => bullet(`${name(s.personId)}, ${formatDateTime(s.at)}`)) : [text('Not yet shared.')]),
  ];
  return pack(`Investigation Log ${r.reference}`, [...body, ...retentionSection(input)]);
}

/** Why the council holds the record and how long it keeps it, as on the request's page. */
function retentionSection(input: RecordDocumentsInput): (Paragraph | Table)[] {
  const settings = input.retention ?? DEFAULT_RETENTION_SETTINGS;
  const until = retainUntil(input.request, settings.schedule);
  return [
    heading('Lawful basis and retention'),
    facts([
      ['Lawful basis', settings.lawfulBasis],
      ['Retention rule', retentionRule(input.request.state, settings.schedule)],
      ['Kept until', until ? formatDate(until) : 'Not yet set: counted from closure'],
    ]),
  ];
}

function personName(input: RecordDocumentsInput): (id: string) => string {
  return (id) => input.people[id] ?? id;
}

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h ? `${h} h ${m} min` : m ? `${m} min ${s} s` : `${s} s`;
}

const title = (value: string): Paragraph => new Paragraph({ text: value, heading: HeadingLevel.TITLE });
const heading = (value: string): Paragraph => new Paragraph({ text: value, heading: HeadingLevel.HEADING_1 });
const text = (value: string): Paragraph => new Paragraph({ text: value });
const bullet = (value: string): Paragraph => new Paragraph({ text: value, bullet: { level: 0 } });
const note = (value: string): Paragraph => new Paragraph({ children: [new TextRun({ text: value, italics: true })] });

const cell = (value: string, bold = false): TableCell =>
  new TableCell({ children: value.split('\n').map((line) => new Paragraph({ children: [new TextRun({ text: line, bold })] })) });

/** Label–value pairs as a two-column table. */
function facts(rows: [string, string][]): Table {
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: rows.map(([label, value]) => new TableRow({ children: [cell(label, true), cell(value)] })) });
}

function grid(headers: string[], rows: string[][]): Table | Paragraph {
  if (!rows.length) return text('None recorded.');
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [new TableRow({ tableHeader: true, children: headers.map((h) => cell(h, true)) }), ...rows.map((row) => new TableRow({ children: row.map((v) => cell(v)) }))],
  });
}

async function pack(documentTitle: string, children: (Paragraph | Table)[]): Promise<Buffer> {
  const doc = new Document({
    title: documentTitle,
    creator: 'Social Media Checks',
    description: 'OFFICIAL-SENSITIVE: part of the formal record of a children’s social care case.',
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}
