import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Directory, PeopleAdmin } from '../../app/ports';
import type { Person, Role } from '../../domain/roles';
import type { Database, PeopleTable } from '../schema';

export function toPerson(row: Selectable<PeopleTable>): Person {
  return {
    id: row.id,
    displayName: row.display_name,
    email: row.email,
    aadObjectId: row.aad_object_id,
    roles: row.roles as Role[],
    managerId: row.manager_id,
    team: row.team,
    accessWorkerTrainedOn: row.access_worker_trained_on,
    accessWorkerAuthorisedUntil: row.access_worker_authorised_until,
    active: row.active,
  };
}

/** The directory as the register in the database holds it. */
export function createDirectory(db: Kysely<Database>): Directory {
  return {
    async get(id) {
      const row = await db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toPerson(row) : null;
    },
    async byAadObjectId(aadObjectId) {
      const row = await db.selectFrom('people').selectAll().where('aad_object_id', '=', aadObjectId).executeTakeFirst();
      return row ? toPerson(row) : null;
    },
    /** Active people only: those who have left must not be asked to act. */
    async withRole(role) {
      const rows = await db
        .selectFrom('people')
        .selectAll()
        .where('active', '=', true)
        .where(sql<boolean>`${role} = ANY(roles)`)
        .orderBy('display_name')
        .orderBy('id')
        .execute();
      return rows.map(toPerson);
    },
    async all() {
      const rows = await db.selectFrom('people').selectAll().orderBy('display_name').orderBy('id').execute();
      return rows.map(toPerson);
    },
  };
}

export function createPeopleAdmin(db: Kysely<Database>): PeopleAdmin {
  /** Inserts the person, or on a clash of id writes `update` (columns of `values`) over the row. */
  async function insertOrUpdate(id: string, values: Omit<Insertable<PeopleTable>, 'id'>, update: Partial<Omit<Insertable<PeopleTable>, 'id'>>): Promise<void> {
    // ON CONFLICT (id) handles only the id: an insert racing another of the same person (two
    // instances seeding at once) would break the Entra object id's unique key instead. DO NOTHING
    // waits on every unique key, and the update then finds the row, or raises the real conflict.
    const inserted = await db
      .insertInto('people')
      .values({ id, ...values })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (inserted.numInsertedOrUpdatedRows === 1n) return;
    await db
      .insertInto('people')
      .values({ id, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(update))
      .execute();
  }

  const directoryColumns = (person: Person) => ({
    display_name: person.displayName,
    email: person.email ?? null,
    aad_object_id: person.aadObjectId,
    roles: person.roles,
    manager_id: person.managerId ?? null,
    active: person.active,
  });

  return {
    async upsert(person) {
      const row = {
        ...directoryColumns(person),
        team: person.team ?? null,
        access_worker_trained_on: person.accessWorkerTrainedOn ?? null,
        access_worker_authorised_until: person.accessWorkerAuthorisedUntil ?? null,
      };
      await insertOrUpdate(person.id, row, row);
    },

    async applyDirectory(person) {
      const owned = directoryColumns(person);
      await insertOrUpdate(person.id, { ...owned, team: person.team ?? null, access_worker_trained_on: person.accessWorkerTrainedOn ?? null, access_worker_authorised_until: person.accessWorkerAuthorisedUntil ?? null }, owned);
    },

    async getForUpdate(id) {
      const row = await db.selectFrom('people').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      return row ? toPerson(row) : null;
    },

    async setRegisterDates(id, dates) {
      await db.updateTable('people').set({ access_worker_trained_on: dates.trainedOn, access_worker_authorised_until: dates.authorisedUntil }).where('id', '=', id).execute();
    },
  };
}
