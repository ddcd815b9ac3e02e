/** What the API answers about the pilot: its evaluation figures, its settings, and subject access searches. */
import { z } from 'zod';
import { MILESTONES, OUTCOMES, REASONS_SHOWN } from '../domain/evaluation';
import { CONTRIBUTIONS } from '../domain/forms';
import { PLATFORMS } from '../domain/pilot';

const count = z.number().int().min(0);
/** Minutes or hours, to one decimal place. */
const amount = z.number().min(0);
const share = z.number().min(0).max(1).nullable();
const byContribution = z.strictObject({ little: count, some: count, considerable: count, significant: count });
const milestone = z.enum(MILESTONES);
const distribution = { count, median: z.number().nullable(), min: z.number().nullable(), max: z.number().nullable() };
/** How many gave each rating, 1 to 5. */
const ratings = z.array(count).length(5);

/** `GET /api/evaluation`: the pilot's figures for a period and team, the process survey, and the teams to filter by. */
export const evaluationSchema = z.strictObject({
  /** London dates, inclusive. */
  period: z.strictObject({ from: z.iso.date(), to: z.iso.date() }),
  team: z.string().nullable(),
  uses: z.strictObject({
    requests: count,
    byTeam: z.array(z.strictObject({ team: z.string(), requests: count })),
    byAccessWorker: z.array(z.strictObject({ accessWorkerId: z.string(), displayName: z.string(), requests: count, searchMinutes: amount })),
  }),
  outcomes: z.strictObject({
    counts: z.strictObject({ open: count, shared: count, declined: count, refused: count, withdrawn: count, cancelled: count, lapsed: count }),
    /** For the requests that did not proceed, the reasons given, most frequent first. */
    notProceeding: z
      .array(
        z.strictObject({
          outcome: z.enum(OUTCOMES),
          requests: count,
          reasons: z.array(z.strictObject({ reason: z.string().nullable(), requests: count })).max(REASONS_SHOWN),
          otherReasons: count,
        }),
      )
      .max(OUTCOMES.length),
  }),
  time: z.strictObject({
    totalSearchMinutes: amount,
    sessions: count,
    perRequestMinutes: z.strictObject(distribution),
    buckets: z.array(z.strictObject({ label: z.string(), requests: count })).max(10),
  }),
  /** Hours between neighbouring steps, for requests that reached both. */
  turnaround: z.array(z.strictObject({ from: milestone, to: milestone, ...distribution })).length(MILESTONES.length - 1),
  value: z.strictObject({ assessed: count, usefulPieces: count, uniquePieces: count, requestsWithUniquePieces: count, contribution: byContribution }),
  followUp: z.strictObject({ due: count, given: count, outstanding: count, longerTermUsefulness: byContribution }),
  /** The three criteria of the pilot side by side. */
  criteria: z.strictObject({
    notOtherwiseAvailable: z.strictObject({ assessed: count, withUniquePieces: count, share, uniquePieces: count }),
    valueToAssessment: z.strictObject({ assessed: count, considerableOrSignificant: count, share }),
    proportionateTime: z.strictObject({ medianSearchMinutes: amount.nullable(), minutesPerUsefulPiece: amount.nullable() }),
  }),
  timeAgainstContribution: z.array(z.strictObject({ contribution: z.enum(CONTRIBUTIONS), requests: count, medianSearchMinutes: amount.nullable() })).length(CONTRIBUTIONS.length),
  byMonth: z.array(z.strictObject({ month: z.string().regex(/^\d{4}-\d{2}$/), requests: count, completed: count, searchMinutes: amount, uniquePieces: count })),
  byTeam: z.array(z.strictObject({ team: z.string(), requests: count, completed: count, searchMinutes: amount, uniquePieces: count, considerableOrSignificant: count })),
  /** The process survey's answers in the period. */
  survey: z.strictObject({ answers: count, medianEase: amount.nullable(), medianEffectiveness: amount.nullable(), ease: ratings, effectiveness: ratings }),
  /** Every team with requests in the period, whichever team was asked for. */
  teams: z.array(z.string()),
});

/** The pilot settings in force, with the day the pilot ends (`GET` and `PUT /api/pilot/settings`). */
export const pilotSettingsViewSchema = z.strictObject({
  startDate: z.iso.date(),
  lengthMonths: z.number().int().min(1),
  platforms: z.array(z.enum(PLATFORMS)).min(1).max(PLATFORMS.length),
  /** How many access workers the register may hold. */
  registerSize: z.number().int().min(1),
  /** The pilot's last day. */
  endDate: z.iso.date(),
});

/** `POST /api/disclosures`: the disclosure kept, and the requests found (their content is in the bundle). */
export const disclosureSchema = z.strictObject({
  id: z.string(),
  requestedAt: z.iso.datetime(),
  requests: z.array(z.strictObject({ id: z.string(), reference: z.string() })),
});

export type Evaluation = z.infer<typeof evaluationSchema>;
export type PilotSettingsView = z.infer<typeof pilotSettingsViewSchema>;
export type Disclosure = z.infer<typeof disclosureSchema>;
