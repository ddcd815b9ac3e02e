/**
 * The Investigation Request form's working copy: every input as text, turned into the API body
 * the zod schemas check — the draft schema for saving as you go, the full one for submitting.
 */
import { draftRequestSchema, fieldErrors, investigationRequestSchema, type ConcernCategory, type InvestigationRequestInput, type SubjectKind } from '../../src/domain/forms';
import type { ApiRequest } from './types';

export interface ChildDraft {
  key: string;
  name: string;
  dateOfBirth: string;
}

export interface SubjectDraft {
  key: string;
  id?: string;
  kind: SubjectKind | '';
  name: string;
  otherNames: string;
  dateOfBirth: string;
  area: string;
  relationshipToChild: string;
  profileUrl: string;
  description: string;
}

export interface RequestDraft {
  caseReference: string;
  team: string;
  children: ChildDraft[];
  concernCategories: ConcernCategory[];
  concernOther: string;
  concernDetails: string;
  justification: string;
  subjects: SubjectDraft[];
  periodFrom: string;
  periodTo: string;
  mode: 'one_off' | 'monitoring';
  monitoringJustification: string;
  monitoringFrequency: string;
  monitoringEndDate: string;
  urgency: 'routine' | 'urgent';
  neededBy: string;
  linkedFromRequestId: string;
}

let counter = 0;
export function newKey(): string {
  counter += 1;
  return `k${Date.now().toString(36)}${counter}`;
}

export function emptyChild(): ChildDraft {
  return { key: newKey(), name: '', dateOfBirth: '' };
}

export function emptySubject(kind: SubjectKind | '' = ''): SubjectDraft {
  return { key: newKey(), kind, name: '', otherNames: '', dateOfBirth: '', area: '', relationshipToChild: '', profileUrl: '', description: '' };
}

export function emptyDraft(): RequestDraft {
  return {
    caseReference: '',
    team: '',
    children: [emptyChild()],
    concernCategories: [],
    concernOther: '',
    concernDetails: '',
    justification: '',
    subjects: [emptySubject()],
    periodFrom: '',
    periodTo: '',
    mode: 'one_off',
    monitoringJustification: '',
    monitoringFrequency: '',
    monitoringEndDate: '',
    urgency: 'routine',
    neededBy: '',
    linkedFromRequestId: '',
  };
}

const opt = (v: string): string | undefined => (v.trim() ? v.trim() : undefined);

/** The body for POST/PUT /api/requests. Blank optional answers are left out. */
export function toInput(d: RequestDraft): InvestigationRequestInput {
  return {
    caseReference: d.caseReference,
    team: opt(d.team),
    children: d.children.map((c) => ({ name: c.name, dateOfBirth: opt(c.dateOfBirth) })),
    concernCategories: d.concernCategories,
    concernOther: d.concernCategories.includes('other') ? opt(d.concernOther) : undefined,
    concernDetails: d.concernDetails,
    justification: d.justification,
    subjects: d.subjects.map((s) => ({
      ...(s.id ? { id: s.id } : {}),
      // An empty kind is sent as-is so the schema names the missing choice.
      kind: s.kind as SubjectKind,
      name: s.kind === 'unknown_associate' ? undefined : opt(s.name),
      otherNames: opt(s.otherNames),
      dateOfBirth: opt(s.dateOfBirth),
      area: opt(s.area),
      relationshipToChild: opt(s.relationshipToChild),
      profileUrl: opt(s.profileUrl),
      description: opt(s.description),
    })),
    period: { from: d.periodFrom, to: d.periodTo },
    monitoring:
      d.mode === 'monitoring'
        ? { justification: d.monitoringJustification, frequency: d.monitoringFrequency as 'weekly', endDate: d.monitoringEndDate }
        : null,
    urgency: d.urgency,
    neededBy: d.neededBy,
    linkedFromRequestId: opt(d.linkedFromRequestId),
  };
}

/** Field path (as the API names it, e.g. `subjects.1.name`) → message. Empty when valid. */
export function validateDraft(d: RequestDraft): Record<string, string> {
  const result = investigationRequestSchema.safeParse(toInput(d));
  return result.success ? {} : fieldErrors(result.error);
}

/** Removes the answer at a dotted path (as the API names fields) from a body being saved. */
function removeAt(body: unknown, path: string[]): void {
  const [head, ...rest] = path;
  if (head === undefined || typeof body !== 'object' || body === null) return;
  if (rest.length > 0) return removeAt((body as Record<string, unknown>)[head], rest);
  if (Array.isArray(body)) body.splice(Number(head), 1);
  else delete (body as Record<string, unknown>)[head];
}

/**
 * What autosave sends: every answer a draft may hold. An answer still being typed (half a date, a
 * link without its https://) is left out until it is complete, so saving never fails on it; `held`
 * names what was left out. `body` is null when nothing could be sent.
 */
export function draftSaveBody(d: RequestDraft): { body: InvestigationRequestInput | null; held: string[] } {
  const body = toInput(d);
  const first = draftRequestSchema.safeParse(body);
  if (first.success) return { body, held: [] };
  const held = Object.keys(fieldErrors(first.error));
  // Deepest first, so removing an item of a list does not shift a later path.
  for (const path of [...held].sort().reverse()) removeAt(body, path.split('.'));
  return { body: draftRequestSchema.safeParse(body).success ? body : null, held };
}

export function fromRequest(r: ApiRequest): RequestDraft {
  return {
    caseReference: r.caseReference,
    team: r.team ?? '',
    children: r.children.length ? r.children.map((c) => ({ key: newKey(), name: c.name, dateOfBirth: c.dateOfBirth ?? '' })) : [emptyChild()],
    concernCategories: r.concernCategories,
    concernOther: r.concernOther ?? '',
    concernDetails: r.concernDetails,
    justification: r.justification,
    subjects: r.subjects.length === 0 ? [emptySubject()] : r.subjects.map((s) => ({
      key: newKey(),
      id: s.id,
      kind: s.kind ?? '',
      name: s.name ?? '',
      otherNames: s.otherNames ?? '',
      dateOfBirth: s.dateOfBirth ?? '',
      area: s.area ?? '',
      relationshipToChild: s.relationshipToChild ?? '',
      profileUrl: s.profileUrl ?? '',
      description: s.description ?? '',
    })),
    periodFrom: r.period.from,
    periodTo: r.period.to,
    mode: r.monitoring ? 'monitoring' : 'one_off',
    monitoringJustification: r.monitoring?.justification ?? '',
    monitoringFrequency: r.monitoring?.frequency ?? '',
    monitoringEndDate: r.monitoring?.endDate ?? '',
    urgency: r.urgency ?? 'routine',
    neededBy: r.neededBy,
    linkedFromRequestId: r.linkedFromRequestId ?? '',
  };
}
