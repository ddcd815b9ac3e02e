/**
 * The process survey (answers, and when each person was last asked, so the tab and the bot ask at
 * most once a month between them) and the pilot's settings (one row).
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

export const surveysAndPilotSettings: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `CREATE TABLE survey_answers (
        id text PRIMARY KEY,
        person_id text NOT NULL,
        answered_at timestamptz NOT NULL,
        ease_of_authorisation integer NOT NULL CHECK (ease_of_authorisation BETWEEN 1 AND 5),
        effectiveness integer NOT NULL CHECK (effectiveness BETWEEN 1 AND 5),
        comments text
      )`,
      `CREATE INDEX survey_answers_person_idx ON survey_answers (person_id, answered_at DESC)`,
      `CREATE TABLE survey_asks (
        person_id text PRIMARY KEY,
        asked_at timestamptz NOT NULL,
        channel text NOT NULL CHECK (channel IN ('tab', 'bot', 'answer'))
      )`,
      `CREATE TABLE pilot_settings (
        id integer PRIMARY KEY CHECK (id = 1),
        start_date date NOT NULL,
        length_months integer NOT NULL CHECK (length_months BETWEEN 1 AND 60),
        platforms text[] NOT NULL,
        register_size integer NOT NULL CHECK (register_size BETWEEN 1 AND 100),
        updated_at timestamptz NOT NULL,
        updated_by text NOT NULL
      )`,
      `CREATE INDEX investigation_requests_submitted_idx ON investigation_requests (submitted_at) WHERE submitted_at IS NOT NULL`,
    ]);
  },
};
