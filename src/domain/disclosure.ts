/**
 * Subject access and disclosure: finding what is held about one person, by name, other names,
 * date of birth or profile link, and keeping everyone else out of what is disclosed.
 */
import { z } from 'zod';
import { safeString } from './forms';
import type { InvestigationRequest, StoredSubject } from './request';
import { normaliseDateOfBirth, normaliseName } from './repeat-checks';

export const disclosureQuerySchema = z.object({
  name: safeString({ error: 'Enter the person’s name.' }).trim().min(2, { error: 'Enter the person’s name.' }).max(200, { error: 'The name must be 200 characters or fewer.' }),
  dateOfBirth: z.iso.date({ error: 'Enter the date of birth as a real date (YYYY-MM-DD).' }).optional(),
  profileLink: z.url({ error: 'Enter a full web address starting with https://', protocol: /^https?$/ }).max(2000).optional(),
});
export type DisclosureQuery = z.output<typeof disclosureQuerySchema>;

/** What a disclosure found: the requests and, in each, the subjects who are the person. */
export interface DisclosureMatch {
  requestId: string;
  reference: string;
  subjectIds: string[];
}

export interface DisclosureRecord {
  id: string;
  requestedBy: string;
  requestedAt: string;
  query: DisclosureQuery;
  matches: DisclosureMatch[];
}

export function normaliseLink(link: string): string {
  try {
    const url = new URL(link);
    return `${url.hostname.replace(/^(www|m)\./, '')}${url.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return link.trim().toLowerCase();
  }
}

function namesOf(subject: StoredSubject): string[] {
  const others = (subject.otherNames ?? '').split(/[,;/]|\band\b/i);
  return [subject.name ?? '', ...others].map(normaliseName).filter(Boolean);
}

/**
 * Whether a subject of a request is the person asked about: the same profile link, or the same
 * name (or one of their other names) without a different date of birth.
 */
export function subjectIsPerson(subject: StoredSubject, query: DisclosureQuery): boolean {
  if (query.profileLink && subject.profileUrl && normaliseLink(subject.profileUrl) === normaliseLink(query.profileLink)) return true;
  if (!namesOf(subject).includes(normaliseName(query.name))) return false;
  // The form takes a date of birth as typed (dd/mm/yyyy, or an age): only a date that is one conflicts.
  const dob = subject.dateOfBirth ? normaliseDateOfBirth(subject.dateOfBirth) : '';
  const conflicting = query.dateOfBirth && /^\d{4}-\d{2}-\d{2}$/.test(dob) && dob !== query.dateOfBirth;
  return !conflicting;
}

/** The subjects of a request who are the person, including by a finding's profile link. */
export function matchingSubjects(request: InvestigationRequest, query: DisclosureQuery): string[] {
  const ids = new Set(request.form.subjects.filter((s) => subjectIsPerson(s, query)).map((s) => s.id));
  if (query.profileLink) {
    const link = normaliseLink(query.profileLink);
    for (const f of request.log?.findings ?? []) if (f.profileUrl && normaliseLink(f.profileUrl) === link) ids.add(f.subjectId);
  }
  return [...ids];
}

/**
 * The keys a request is found by in a disclosure search: every name each of its people goes by
 * and every profile link of theirs or of a finding. A request whose subjects match a query (see
 * matchingSubjects) always shares a key with it, so the store can narrow by index.
 */
export function disclosureKeys(request: Pick<InvestigationRequest, 'form' | 'log'>): string[] {
  const keys = new Set<string>();
  for (const subject of request.form.subjects ?? []) {
    for (const name of namesOf(subject)) keys.add(`name:${name}`);
    if (subject.profileUrl) keys.add(`link:${normaliseLink(subject.profileUrl)}`);
  }
  for (const f of request.log?.findings ?? []) if (f.profileUrl) keys.add(`link:${normaliseLink(f.profileUrl)}`);
  return [...keys];
}

/** The keys a query looks up: the name as normalised and the profile link. */
export function disclosureQueryKeys(query: DisclosureQuery): string[] {
  const name = normaliseName(query.name);
  return [...(name ? [`name:${name}`] : []), ...(query.profileLink ? [`link:${normaliseLink(query.profileLink)}`] : [])];
}

const OTHER = 'Another person (withheld)';

/**
 * The request as it may be disclosed to the person: only their own entry among the subjects and
 * findings; children and further persons are other people and are withheld.
 */
export function disclosedRequest(request: InvestigationRequest, subjectIds: readonly string[]): InvestigationRequest {
  const keep = new Set(subjectIds);
  return {
    ...request,
    form: {
      ...request.form,
      children: request.form.children.map(() => ({ name: OTHER })),
      subjects: request.form.subjects.filter((s) => keep.has(s.id)),
    },
    authorisation: request.authorisation ? { ...request.authorisation, scope: { ...request.authorisation.scope, subjectIds: request.authorisation.scope.subjectIds.filter((id) => keep.has(id)) } } : null,
    log: request.log ? { ...request.log, findings: request.log.findings.filter((f) => keep.has(f.subjectId)), furtherPersons: [] } : null,
  };
}
