import type { Kysely, Selectable } from 'kysely';
import type { DeputyRepository, Deputyship } from '../../app/ports';
import type { Database, TeamManagerDeputiesTable } from '../schema';

export function toDeputyship(row: Selectable<TeamManagerDeputiesTable>): Deputyship {
  return {
    id: row.id,
    teamManagerId: row.team_manager_id,
    deputyId: row.deputy_id,
    from: row.from_date,
    to: row.to_date,
    createdAt: row.created_at,
    endedAt: row.ended_at,
  };
}

export function createDeputyRepository(db: Kysely<Database>): DeputyRepository {
  const live = (today: string) =>
    db.selectFrom('team_manager_deputies').selectAll().where('ended_at', 'is', null).where('to_date', '>=', today).orderBy('from_date').orderBy('id');
  return {
    async insert(d) {
      await db
        .insertInto('team_manager_deputies')
        .values({ id: d.id, team_manager_id: d.teamManagerId, deputy_id: d.deputyId, from_date: d.from, to_date: d.to, created_at: d.createdAt, ended_at: d.endedAt })
        .execute();
    },
    async end(id, at) {
      await db.updateTable('team_manager_deputies').set({ ended_at: at }).where('id', '=', id).where('ended_at', 'is', null).execute();
    },
    async currentAndComing(teamManagerId, today) {
      return (await live(today).where('team_manager_id', '=', teamManagerId).execute()).map(toDeputyship);
    },
    async inForceFor(deputyId, today) {
      return (await live(today).where('deputy_id', '=', deputyId).where('from_date', '<=', today).execute()).map(toDeputyship);
    },
    async allInForce(today) {
      return (await live(today).where('from_date', '<=', today).execute()).map(toDeputyship);
    },
    async inForceOf(teamManagerId, today) {
      return (await live(today).where('team_manager_id', '=', teamManagerId).where('from_date', '<=', today).execute()).map(toDeputyship);
    },
  };
}
