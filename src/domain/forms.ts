/**
 * The forms of DESIGN.md §3, defined once and used by the API, the tab and the cards.
 * Messages are UK English and written for the person filling the form.
 */
import { z } from 'zod';
import { AppError, validationError } from './errors';
import { inServiceRange, parseUkDate } from './dates';

const required = (what: string) => ({ error: `Enter ${what}.` });

/**
 * Characters no field may hold: NUL and the other C0/C1 controls except tab and newline (a carriage
 * return only as part of CRLF), unpaired UTF-16 surrogates (PostgreSQL cannot store them), and the
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which can make
 * text read differently from what it says. The left-to-right and right-to-left marks (U+200E, U+200F)
 * are allowed: they only nudge punctuation in Arabic, Hebrew or Urdu names and cannot reorder text.
 */
const UNSAFE_CHARACTERS =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\r(?!\n)|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSAFE_TEXT_MESSAGE = 'Remove control characters and text-direction overrides: they cannot be recorded.';

export function isSafeText(value: string): boolean {
  return !UNSAFE_CHARACTERS.test(value);
}

/** Deeper than any form goes (a request's subjects are three levels down): refused, not walked. */
export const MAX_INPUT_DEPTH = 16;
export const TOO_DEEP_MESSAGE = `Nested more than ${MAX_INPUT_DEPTH} levels deep: no form goes this deep.`;

/**
 * Where in a decoded input (a JSON body, a query, an address's parameters, an upload's metadata)
 * the first text breaking the character rule lies, or where it nests deeper than any form, as
 * parseForm names fields (`subjects.0.name`), keys included; null when nowhere. The edge checks
 * every input with it, so a field a schema forgot cannot reach the database.
 */
export function unsafeInput(value: unknown, path = '', depth = 0): { path: string; message: string } | null {
  if (typeof value === 'string') return isSafeText(value) ? null : { path: path || '(body)', message: UNSAFE_TEXT_MESSAGE };
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_INPUT_DEPTH) return { path: path || '(body)', message: TOO_DEEP_MESSAGE };
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (!isSafeText(key)) return { path: at, message: UNSAFE_TEXT_MESSAGE };
    const found = unsafeInput(item, at, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** Refuses an input that unsafeInput finds fault with, naming the field under `prefix`. */
export function assertSafeInput(value: unknown, prefix = ''): void {
  const found = unsafeInput(value, prefix);
  if (found !== null) throw validationError({ [found.path]: found.message });
}

/** Every string field of every form is made here, so none can forget the character rule. */
export function safeString(params?: Parameters<typeof z.string>[0]) {
  return z.string(params).refine(isSafeText, { error: UNSAFE_TEXT_MESSAGE, abort: true });
}

const text = (what: string, max = 4000) =>
  safeString(required(what))
    .trim()
    .min(1, required(what))
    .max(max, { error: `${capitalise(what)} must be ${max} characters or fewer.` });
const optionalText = (what: string, max = 500) =>
  safeString()
    .trim()
    .max(max, { error: `${capitalise(what)} must be ${max} characters or fewer.` })
    .nullable()
    .transform((v) => (v ? v : undefined))
    .optional();
/** A calendar date: YYYY-MM-DD, or dd/mm/yyyy as people in the UK write it; stored as YYYY-MM-DD. */
const isoDate = (what: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (parseUkDate(v) ?? v) : v),
    z.iso.date({ error: `Enter ${what} as a real date, day/month/year, for example 14/03/2017.` }).refine(inServiceRange, { error: `Enter ${what} between 1900 and 2999.` }),
  );
const url = safeString({ error: 'Enter a full web address starting with https://' })
  .max(2000, { error: 'The web address is too long.' })
  .pipe(z.url({ error: 'Enter a full web address starting with https://', protocol: /^https?$/ }));
/** Ids we issued (UUIDs, directory ids): short and plain. */
const id = (params?: Parameters<typeof z.string>[0]) => safeString(params).max(64);

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const CONCERN_CATEGORIES = [
  'misleading_information',
  'relationship_with_abusive_adult',
  'risky_behaviour',
  'person_posing_risk',
  'other',
] as const;
export type ConcernCategory = (typeof CONCERN_CATEGORIES)[number];
export const CONCERN_LABELS: Record<ConcernCategory, string> = {
  misleading_information: 'Information given may be misleading or untrue',
  relationship_with_abusive_adult: 'Possible relationship between a child and a known or suspected abusive adult',
  risky_behaviour: 'Known risky behaviour (drugs, drinking, …)',
  person_posing_risk: 'A person posing a risk said to be present in family relationships',
  other: 'Other',
};

export const SUBJECT_KINDS = [
  'service_user',
  'family_member',
  'known_associate',
  'suspected_associate',
  'unknown_associate',
] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];
export const SUBJECT_KIND_LABELS: Record<SubjectKind, string> = {
  service_user: 'Service user',
  family_member: 'Family member',
  known_associate: 'Known associate',
  suspected_associate: 'Suspected associate',
  unknown_associate: 'Unknown associate',
};

export const childSchema = z.object({
  name: text("the child's name", 200),
  dateOfBirth: isoDate("the child's date of birth").nullable().transform((v) => v ?? undefined).optional(),
});

const subjectKind = z.enum(SUBJECT_KINDS, { error: 'Choose what kind of person this is.' });
const subjectFields = {
  id: id().optional(),
  name: optionalText('name', 200),
  otherNames: optionalText('other names', 500),
  dateOfBirth: optionalText('date of birth or age', 40),
  area: optionalText('address or area', 500),
  relationshipToChild: optionalText('relationship to the child', 300),
  profileUrl: url.nullable().transform((v) => v ?? undefined).optional(),
  description: optionalText('description', 4000),
};

export const subjectSchema = z
  .object({ ...subjectFields, kind: subjectKind })
  .superRefine((s, ctx) => {
    if (s.kind === 'unknown_associate') {
      if (!s.description) ctx.addIssue({ code: 'custom', path: ['description'], message: 'Describe the unknown associate in as much detail as you can.' });
      if (s.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'An unknown associate has no name: describe them instead.' });
    } else if (!s.name) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'Enter the person’s name.' });
    }
  });
export type SubjectInput = z.input<typeof subjectSchema>;
export type Subject = z.output<typeof subjectSchema> & { id: string };

export const MONITORING_FREQUENCIES = ['weekly', 'fortnightly', 'monthly'] as const;

const monitoringFrequency = z.enum(MONITORING_FREQUENCIES, { error: 'Choose how often the profile would be looked at.' });
export const monitoringSchema = z.object({
  justification: text('why monitoring (rather than a one-off check) is needed'),
  frequency: monitoringFrequency,
  endDate: isoDate('the date monitoring would end'),
});
export type MonitoringRequest = z.output<typeof monitoringSchema>;

export const periodSchema = z
  .object({ from: isoDate('the start of the period'), to: isoDate('the end of the period') })
  .refine((p) => p.from <= p.to, { path: ['to'], message: 'The end of the period must be on or after its start.' });

export const URGENCIES = ['routine', 'urgent'] as const;

/** A list of choices names each at most once. */
const eachOnce = (values: readonly string[]): boolean => new Set(values).size === values.length;

export const investigationRequestSchema = z
  .object({
    caseReference: text('the case reference', 64),
    team: optionalText('team', 200),
    children: z.array(childSchema, { error: 'Add the child or children concerned.' }).min(1, { error: 'Add at least one child.' }).max(20),
    concernCategories: z
      .array(z.enum(CONCERN_CATEGORIES, { error: 'Choose a listed concern.' }), { error: 'Choose at least one concern.' })
      .min(1, { error: 'Choose at least one concern.' })
      .max(CONCERN_CATEGORIES.length, { error: 'Choose each concern once.' })
      .refine(eachOnce, { error: 'Choose each concern once.' }),
    concernOther: optionalText('the other concern', 1000),
    concernDetails: text('the concern'),
    justification: text('why a check is needed and proportionate'),
    subjects: z.array(subjectSchema, { error: 'Add at least one person to check.' }).min(1, { error: 'Add at least one person to check.' }).max(20, { error: 'A request may name at most 20 people.' }),
    period: periodSchema,
    monitoring: monitoringSchema.nullable().optional().transform((v) => v ?? null),
    urgency: z.enum(URGENCIES).optional().default('routine'),
    neededBy: isoDate('the date the information is needed by'),
    linkedFromRequestId: id().nullable().transform((v) => v ?? undefined).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.concernCategories.includes('other') && !r.concernOther) {
      ctx.addIssue({ code: 'custom', path: ['concernOther'], message: 'Describe the other concern.' });
    }
    if (r.monitoring && r.monitoring.endDate < r.period.from) {
      ctx.addIssue({ code: 'custom', path: ['monitoring', 'endDate'], message: 'Monitoring must end after the period starts.' });
    }
  });
export type InvestigationRequestInput = z.input<typeof investigationRequestSchema>;
export type InvestigationRequestForm = z.output<typeof investigationRequestSchema>;

/*
 * A draft as it is saved while being written: any answer may still be missing, but every answer
 * given is checked as the full form checks it (characters, lengths, real dates, listed choices),
 * so a draft never holds what the request could not. Missing text and dates are kept as '' and
 * missing lists as [], so a draft has the request's shape. `submit` checks the whole form.
 */
const draftText = (what: string, max: number) =>
  safeString()
    .trim()
    .max(max, { error: `${capitalise(what)} must be ${max} characters or fewer.` })
    .nullable()
    .optional()
    .transform((v) => v ?? '');
/** A real date (YYYY-MM-DD or dd/mm/yyyy), or '' while not yet given. */
const draftDate = (what: string) =>
  z.preprocess(
    (v) => (v === null || v === undefined ? '' : typeof v === 'string' ? (v.trim() === '' ? '' : (parseUkDate(v.trim()) ?? v)) : v),
    safeString({ error: `Enter ${what} as a real date, day/month/year, for example 14/03/2017.` }).refine((v) => v === '' || parseUkDate(v) === v, {
      error: `Enter ${what} as a real date, day/month/year, for example 14/03/2017.`,
    }),
  );
/** A choice not yet made may be sent as '' or null. */
const notYetChosen = (v: unknown) => (v === '' || v === null ? undefined : v);

export const draftRequestSchema = z.object({
  caseReference: draftText('the case reference', 64),
  team: optionalText('team', 200),
  children: z
    .array(z.object({ name: draftText("the child's name", 200), dateOfBirth: childSchema.shape.dateOfBirth }), { error: 'Send the children as a list.' })
    .max(20)
    .nullable()
    .optional()
    .transform((v) => v ?? []),
  concernCategories: z
    .array(z.enum(CONCERN_CATEGORIES, { error: 'Choose a listed concern.' }), { error: 'Send the concerns as a list.' })
    .max(CONCERN_CATEGORIES.length, { error: 'Choose each concern once.' })
    .refine(eachOnce, { error: 'Choose each concern once.' })
    .nullable()
    .optional()
    .transform((v) => v ?? []),
  concernOther: optionalText('the other concern', 1000),
  concernDetails: draftText('the concern', 4000),
  justification: draftText('why a check is needed and proportionate', 4000),
  subjects: z
    .array(z.object({ ...subjectFields, kind: z.preprocess(notYetChosen, subjectKind.optional()) }), { error: 'Send the people to check as a list.' })
    .max(20, { error: 'A request may name at most 20 people.' })
    .nullable()
    .optional()
    .transform((v) => v ?? []),
  period: z
    .object({ from: draftDate('the start of the period'), to: draftDate('the end of the period') })
    .nullable()
    .optional()
    .transform((v) => v ?? { from: '', to: '' })
    .refine((p) => !p.from || !p.to || p.from <= p.to, { path: ['to'], message: 'The end of the period must be on or after its start.' }),
  monitoring: z
    .object({
      justification: draftText('why monitoring (rather than a one-off check) is needed', 4000),
      frequency: z.preprocess(notYetChosen, monitoringFrequency.optional()),
      endDate: draftDate('the date monitoring would end'),
    })
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  urgency: z.enum(URGENCIES).optional().default('routine'),
  neededBy: draftDate('the date the information is needed by'),
  linkedFromRequestId: id().nullable().transform((v) => v ?? undefined).optional(),
});
export type DraftRequestInput = z.input<typeof draftRequestSchema>;
export type DraftRequestForm = z.output<typeof draftRequestSchema>;

/** Action bodies. `version` is always required so a stale screen cannot act. */
const version = z.number({ error: 'Send the version of the request you are looking at.' }).int().min(1);
const reason = text('a reason', 4000);

export const actionBodySchemas = {
  /** `teamManagerId` only when the directory's manager does not hold the team-manager role. */
  submit: z.object({ version, teamManagerId: safeString().max(64).nullable().transform((v) => v ?? undefined).optional() }),
  // DESIGN §3: "TM agreement with supervision note" — the agreement records what supervision found.
  agree: z.object({ version, note: text('the supervision note') }),
  decline: z.object({ version, reason }),
  return: z.object({ version, reason }),
  authorise: z.object({
    version,
    subjectIds: z.array(id()).min(1, { error: 'Choose at least one person in scope.' }).max(20, { error: 'A request names at most 20 people.' }).optional(),
    conditions: optionalText('conditions', 4000),
    accessWorkerId: id().nullable().transform((v) => v ?? undefined).optional(),
    reviewDates: z.array(isoDate('each review date')).max(26).optional(),
    /** DESIGN §3, the director's "expiry" date: the authorisation's use-by, at most the service's limit; the limit when not given. */
    useBy: isoDate('the use-by date').optional(),
  }),
  refuse: z.object({ version, reason }),
  claim: z.object({ version }),
  assign: z.object({ version, accessWorkerId: id({ error: 'Choose an access worker.' }).min(1, { error: 'Choose an access worker.' }) }),
  'confirm-legitimacy': z.object({ version }),
  'raise-doubt': z.object({ version, reason }),
  /** The service manager's view on the open doubt, recorded before a director resolves it. */
  'record-doubt-view': z.object({ version, reason: text('your view', 4000) }),
  'resolve-doubt': z.object({ version, outcome: z.enum(['resume', 'cancel'], { error: 'Choose resume or cancel.' }), reason }),
  'complete-log': z.object({ version }),
  finalise: z.object({ version }),
  /** `serviceManagerId` only when the directory names no service manager for the case's team. */
  share: z.object({ version, serviceManagerId: safeString().max(64).nullable().transform((v) => v ?? undefined).optional() }),
  withdraw: z.object({ version, reason }),
  /** The originating worker records that the filed documents are on the case record. */
  'record-placement': z.object({ version }),
  cancel: z.object({ version, reason }),
  'review-monitoring': z
    .object({
      version,
      decision: z.enum(['continue', 'end'], { error: 'Choose continue or end.' }),
      nextReviewOn: isoDate('the next review date').optional(),
      note: optionalText('note', 4000),
    })
    .superRefine((b, ctx) => {
      if (b.decision === 'continue' && !b.nextReviewOn) {
        ctx.addIssue({ code: 'custom', path: ['nextReviewOn'], message: 'Enter the date of the next review.' });
      }
    }),
} as const;
export type ActionBodies = { [K in keyof typeof actionBodySchemas]: z.output<(typeof actionBodySchemas)[K]> };

export const VISIBILITIES = ['public', 'restricted', 'not_found'] as const;
export const CONTRIBUTIONS = ['little', 'some', 'considerable', 'significant'] as const;
export type Contribution = (typeof CONTRIBUTIONS)[number];

export const findingSchema = z.object({
  subjectId: id({ error: 'Say which person this finding is about.' }).min(1),
  visibility: z.enum(VISIBILITIES, { error: 'Choose public, restricted or not found.' }),
  profileUrl: url.nullable().transform((v) => v ?? undefined).optional(),
  summary: text('what was seen', 8000),
});

/** A count of pieces of information, each way it can be wrong said in words (not zod's "Too small: expected number to be >=0"). */
const pieces = (missing: string) =>
  z
    .number({ error: missing })
    .int({ error: 'Enter a whole number.' })
    .min(0, { error: 'Enter 0 or more.' })
    .max(1000, { error: 'Enter 1,000 or fewer.' });

export const assessmentSchema = z.object({
  summary: text('what the information adds', 8000),
  usefulPieces: pieces('Enter how many useful pieces of information were found.'),
  uniquePieces: pieces('Enter how many pieces were not otherwise available.'),
  contribution: z.enum(CONTRIBUTIONS, { error: 'Choose how much the information contributed.' }),
  actionsTaken: text('the actions taken', 8000),
});

export const investigationLogSchema = z
  .object({
    findings: z.array(findingSchema).max(50).default([]),
    furtherPersons: z.array(z.object({ description: text('a description of the further person', 2000) })).max(20).default([]),
    accessWorkerComments: optionalText('comments', 8000),
    assessment: assessmentSchema.optional(),
  })
  .superRefine((log, ctx) => {
    const seen = new Set<string>();
    log.findings.forEach((f, i) => {
      if (seen.has(f.subjectId)) ctx.addIssue({ code: 'custom', path: ['findings', i, 'subjectId'], message: 'Record one finding per person.' });
      seen.add(f.subjectId);
      if (f.visibility === 'public' && !f.profileUrl) {
        ctx.addIssue({ code: 'custom', path: ['findings', i, 'profileUrl'], message: 'Enter the link to the public profile.' });
      }
    });
  });
export type InvestigationLog = z.output<typeof investigationLogSchema>;

export const evidenceMetadataSchema = z.object({
  subjectId: id({ error: 'Say which person this evidence is about.' }).min(1),
  sourceUrl: url,
  capturedAt: z.iso.datetime({ offset: true, error: 'Enter when it was captured, as a date and time.' }),
  description: text('what the item shows and why it is relevant', 4000),
  publiclyVisible: z.literal(true, {
    error: 'Only information visible without being a “friend” may be recorded: confirm it was publicly visible.',
  }),
  correctsEvidenceId: id().optional(),
  correctionReason: optionalText('the reason for the correction', 2000),
});
export type EvidenceMetadata = z.output<typeof evidenceMetadataSchema>;

const followUpSchema = z.object({
  longerTermUsefulness: z.enum(CONTRIBUTIONS, { error: 'Choose how useful it proved in the longer term.' }),
  comments: optionalText('comments', 4000),
});

/**
 * What the originating worker answers. Times used and time searching are not asked: they come
 * from the search sessions. Each save may answer some questions; earlier answers are kept.
 */
export const feedbackSchema = z.object({
  usefulPieces: pieces('Enter how many useful pieces of information were found.').optional(),
  uniquePieces: pieces('Enter how many pieces were not otherwise available.').optional(),
  contribution: z.enum(CONTRIBUTIONS, { error: 'Choose how much the information contributed.' }).optional(),
  comments: optionalText('comments', 4000),
  followUp: followUpSchema.optional(),
});
export type FeedbackAnswers = z.output<typeof feedbackSchema>;

/** The feedback as kept: the answers, and the system's own count of sessions and minutes searched. */
export interface Feedback {
  timesUsed: number;
  searchMinutes?: number;
  usefulPieces: number;
  uniquePieces: number;
  contribution: Contribution;
  comments?: string | undefined;
  followUp?: z.output<typeof followUpSchema>;
}


export const surveySchema = z.object({
  easeOfAuthorisation: z.number().int().min(1, { error: 'Choose a rating from 1 to 5.' }).max(5, { error: 'Choose a rating from 1 to 5.' }),
  effectiveness: z.number().int().min(1, { error: 'Choose a rating from 1 to 5.' }).max(5, { error: 'Choose a rating from 1 to 5.' }),
  comments: optionalText('comments', 4000),
});

/** Turns a zod failure into the API's `fields` map: dotted path → message. */
export function fieldErrors(error: z.ZodError, prefix = ''): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)';
    if (!(path in fields)) fields[path] = issue.message;
  }
  return fields;
}

export function parseForm<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError('validation', 'Some answers need attention.', fieldErrors(result.error, prefix));
  return result.data;
}
