/**
 * The process survey: any user rates the ease and the effectiveness of the authorisation process.
 * Each person is asked at most once a month, by the tab or the bot, and answers at most once a month.
 */
import { z } from 'zod';
import { median } from './evaluation';
import { surveySchema } from './forms';

export type SurveyInput = z.output<typeof surveySchema>;

export interface SurveyAnswer {
  id: string;
  personId: string;
  answeredAt: string;
  easeOfAuthorisation: number;
  effectiveness: number;
  comments: string | null;
}

export type SurveyChannel = 'tab' | 'bot' | 'answer';

/** The same time `months` calendar months later (the 31st falls back to the month's last day). */
export function addMonths(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

export const oneMonthBefore = (at: Date): Date => addMonths(at, -1);

/** Whether a person last asked (or answering) at `last` may be asked again at `now`. */
export function mayAskAgain(last: string | null, now: Date): boolean {
  return last === null || new Date(last) <= oneMonthBefore(now);
}

export interface SurveyFigures {
  answers: number;
  medianEase: number | null;
  medianEffectiveness: number | null;
  /** How many gave each rating, 1 to 5. */
  ease: number[];
  effectiveness: number[];
}

export function surveyFigures(answers: readonly SurveyAnswer[]): SurveyFigures {
  const spread = (pick: (a: SurveyAnswer) => number) => [1, 2, 3, 4, 5].map((n) => answers.filter((a) => pick(a) === n).length);
  return {
    answers: answers.length,
    medianEase: median(answers.map((a) => a.easeOfAuthorisation)),
    medianEffectiveness: median(answers.map((a) => a.effectiveness)),
    ease: spread((a) => a.easeOfAuthorisation),
    effectiveness: spread((a) => a.effectiveness),
  };
}
