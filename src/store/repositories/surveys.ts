import { sql, type Kysely, type Selectable } from 'kysely';
import type { PilotSettingsRepository, SurveyRepository } from '../../app/ports';
import type { Platform } from '../../domain/pilot';
import type { SurveyAnswer } from '../../domain/survey';
import type { Database, SurveyAnswersTable } from '../schema';

function toAnswer(row: Selectable<SurveyAnswersTable>): SurveyAnswer {
  return {
    id: row.id,
    personId: row.person_id,
    answeredAt: row.answered_at,
    easeOfAuthorisation: row.ease_of_authorisation,
    effectiveness: row.effectiveness,
    comments: row.comments,
  };
}

export function createSurveyRepository(db: Kysely<Database>): SurveyRepository {
  return {
    async insert(answer) {
      await db
        .insertInto('survey_answers')
        .values({
          id: answer.id,
          person_id: answer.personId,
          answered_at: answer.answeredAt,
          ease_of_authorisation: answer.easeOfAuthorisation,
          effectiveness: answer.effectiveness,
          comments: answer.comments,
        })
        .execute();
    },
    async lastAnswer(personId) {
      const row = await db.selectFrom('survey_answers').selectAll().where('person_id', '=', personId).orderBy('answered_at', 'desc').limit(1).executeTakeFirst();
      return row ? toAnswer(row) : null;
    },
    async claimAsk(personId, at, channel, notAfter) {
      // One statement, so the tab and the bot asking at the same moment cannot both win.
      const { rows } = await sql<{ person_id: string }>`
        insert into survey_asks (person_id, asked_at, channel) values (${personId}, ${at}, ${channel})
        on conflict (person_id) do update set asked_at = excluded.asked_at, channel = excluded.channel
          where survey_asks.asked_at <= ${notAfter}::timestamptz
        returning person_id`.execute(db);
      return rows.length === 1;
    },
    async answersBetween(from, to) {
      const rows = await db
        .selectFrom('survey_answers')
        .selectAll()
        .where(sql<boolean>`answered_at >= (${from}::date)::timestamp at time zone 'Europe/London'`)
        .where(sql<boolean>`answered_at < ((${to}::date + 1)::timestamp at time zone 'Europe/London')`)
        .orderBy('answered_at')
        .execute();
      return rows.map(toAnswer);
    },
  };
}

export function createPilotSettingsRepository(db: Kysely<Database>): PilotSettingsRepository {
  return {
    async get() {
      const row = await db.selectFrom('pilot_settings').selectAll().where('id', '=', 1).executeTakeFirst();
      if (!row) return null;
      return { startDate: row.start_date, lengthMonths: row.length_months, platforms: row.platforms as Platform[], registerSize: row.register_size };
    },
    async put(settings, at, by) {
      const values = {
        start_date: settings.startDate,
        length_months: settings.lengthMonths,
        platforms: settings.platforms,
        register_size: settings.registerSize,
        updated_at: at,
        updated_by: by,
      };
      await db
        .insertInto('pilot_settings')
        .values({ id: 1, ...values })
        .onConflict((oc) => oc.column('id').doUpdateSet(values))
        .execute();
    },
  };
}
