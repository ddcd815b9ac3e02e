/**
 * Repeated checks (issue 14, rule 3): repeated one-off checks of the same person can amount to
 * directed surveillance, so a request naming someone checked in the last 12 months says so to the
 * team manager and the service director. A person is recognised by the same profile link (written
 * the same however it was typed) or by the same name and date of birth. No I/O: the store finds
 * earlier checks by the keys made here.
 */
import { parseUkDate } from './dates';
import type { Subject } from './forms';
import type { InvestigationRequest } from './request';

/** How far back a check counts as recent. */
export const REPEAT_CHECK_MONTHS = 12;

export type RepeatMatch = 'profile_link' | 'name_and_date_of_birth';

/** An earlier authorised check of someone this request names. */
export interface EarlierCheck {
  /** The person on this request. */
  subjectId: string;
  requestId: string;
  reference: string;
  authorisedAt: string;
  matchedBy: RepeatMatch;
}

/** A key the store keeps for each person an authorisation put in scope. */
export interface SubjectKey {
  subjectId: string;
  key: string;
}

/** Hosts written several ways for the same site. */
const HOST_PREFIXES = /^(www|m|mobile|web|touch|mbasic)\./;
const HOST_ALIASES: Record<string, string> = { 'fb.com': 'facebook.com' };

/**
 * A profile link as one string whatever its form: lower case host without www/m., no trailing
 * slash, fragment or tracking parameters; Facebook's numeric `profile.php?id=` kept, since it is
 * the profile. Null when it is not a web address.
 */
export function normaliseProfileLink(link: string): string | null {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  let host = url.hostname.toLowerCase().replace(/\.$/, '');
  while (HOST_PREFIXES.test(host)) host = host.replace(HOST_PREFIXES, '');
  host = HOST_ALIASES[host] ?? host;
  const path = decodeURIComponentSafe(url.pathname).toLowerCase().replace(/\/+$/, '');
  const id = url.searchParams.get('id');
  return `${host}${path}${id ? `?id=${id}` : ''}`;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Letters Unicode does not decompose into a base letter and an accent, as they are commonly written without it. */
const UNDECOMPOSED: Record<string, string> = { ł: 'l', ø: 'o', đ: 'd', ħ: 'h', ı: 'i', ŀ: 'l', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th', ð: 'd' };

/**
 * A name as one string, in any script: accents, case, punctuation and spacing set aside, so
 * "Łukasz Żółć" is "lukasz zolc" and "محمد علي" stays Arabic letters.
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[łøđħıŀßæœþð]/gu, (letter) => UNDECOMPOSED[letter] ?? letter)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** A date of birth as YYYY-MM-DD when it is a date; other answers ("about 30") as plain text. */
export function normaliseDateOfBirth(value: string): string {
  const trimmed = value.trim();
  return parseUkDate(trimmed) ?? trimmed.toLowerCase().replace(/\s+/g, ' ');
}

/** The keys a person is recognised by: their profile link, and their name with date of birth. */
export function subjectKeys(subject: Pick<Subject, 'id' | 'name' | 'dateOfBirth' | 'profileUrl'>): SubjectKey[] {
  const keys: SubjectKey[] = [];
  const link = subject.profileUrl ? normaliseProfileLink(subject.profileUrl) : null;
  if (link) keys.push({ subjectId: subject.id, key: `profile:${link}` });
  const name = subject.name ? normaliseName(subject.name) : '';
  const born = subject.dateOfBirth ? normaliseDateOfBirth(subject.dateOfBirth) : '';
  if (name && born) keys.push({ subjectId: subject.id, key: `person:${name}|${born}` });
  return keys;
}

/** Keys of everyone the request names (before authorisation, everyone asked for). */
export function requestSubjectKeys(request: Pick<InvestigationRequest, 'form'>): SubjectKey[] {
  return request.form.subjects.flatMap(subjectKeys);
}

/** Keys of the people an authorisation put in scope: the people checked. */
export function checkedSubjectKeys(request: Pick<InvestigationRequest, 'form' | 'authorisation'>): SubjectKey[] {
  const ids = request.authorisation?.scope.subjectIds;
  if (!ids) return [];
  return request.form.subjects.filter((s) => ids.includes(s.id)).flatMap(subjectKeys);
}

/** The start of the window in which an earlier check counts: the same instant 12 calendar months ago. */
export function repeatWindowStart(now: Date): Date {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() - REPEAT_CHECK_MONTHS;
  // The 29th–31st of a shorter month falls back to that month's last day.
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(now.getUTCDate(), lastDay), now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds()));
}

/** A stored key that matched, with the earlier request it belongs to. */
export interface CheckedSubjectMatch {
  requestId: string;
  reference: string;
  key: string;
  authorisedAt: string;
}

/**
 * The earlier checks of the people this request names: one per person and earlier request, the
 * profile link preferred as the reason, newest first.
 */
export function earlierChecks(request: Pick<InvestigationRequest, 'id' | 'form'>, matches: CheckedSubjectMatch[]): EarlierCheck[] {
  const bySubject = new Map<string, SubjectKey[]>();
  for (const k of requestSubjectKeys(request)) bySubject.set(k.key, [...(bySubject.get(k.key) ?? []), k]);
  const found = new Map<string, EarlierCheck>();
  for (const match of matches) {
    if (match.requestId === request.id) continue;
    const matchedBy: RepeatMatch = match.key.startsWith('profile:') ? 'profile_link' : 'name_and_date_of_birth';
    for (const { subjectId } of bySubject.get(match.key) ?? []) {
      const id = `${subjectId}|${match.requestId}`;
      const seen = found.get(id);
      if (!seen || (seen.matchedBy !== 'profile_link' && matchedBy === 'profile_link')) {
        found.set(id, { subjectId, requestId: match.requestId, reference: match.reference, authorisedAt: match.authorisedAt, matchedBy });
      }
    }
  }
  return [...found.values()].sort((a, b) => b.authorisedAt.localeCompare(a.authorisedAt) || a.reference.localeCompare(b.reference));
}

export const REPEAT_MATCH_LABELS: Record<RepeatMatch, string> = {
  profile_link: 'same profile link',
  name_and_date_of_birth: 'same name and date of birth',
};
