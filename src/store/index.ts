/**
 * The PostgreSQL store: the `Store` port over a PostgreSQL server (DATABASE_URL) or embedded PGlite
 * (DATA_DIR). Every unit of work is one database transaction.
 */
import type { Kysely } from 'kysely';
import type { Store, UnitOfWork } from '../app/ports';
import { createAuditLog } from '../audit/log';
import { migrate, openDatabase, type DatabaseOptions } from './database';
import { createDeputyRepository } from './repositories/deputies';
import { createDisclosureRepository } from './repositories/disclosures';
import { createEvaluationReadModel } from './repositories/evaluation';
import { createEvidenceRepository } from './repositories/evidence';
import { createRecordDocumentRepository } from './repositories/documents';
import { createContentLinkRepository } from './repositories/content-links';
import { createOutbox, createOutboxQueue } from './repositories/outbox';
import { createDirectory, createPeopleAdmin } from './repositories/people';
import { createRequestRepository } from './repositories/requests';
import { createRetentionRepository } from './repositories/retention';
import { createDirectorySyncLog } from './repositories/directory-sync';
import { createSettingsRepository } from './repositories/settings';
import { createPilotSettingsRepository, createSurveyRepository } from './repositories/surveys';
import { createSearchSessionRepository } from './repositories/search-sessions';
import type { Database } from './schema';

export { migrate, openDatabase, POOL_IDLE_TIMEOUT_MS, type DatabaseOptions } from './database';
export { createPendingEvidenceQueue } from './repositories/pending-evidence';
export { createConversationStore } from './repositories/conversations';
export { createEvaluationProjector, projectPendingEvaluation } from './repositories/evaluation';
export { createOperations, type Operations, type OperationsSummary, type FailedNotification } from './repositories/operations';
export type { Database } from './schema';

export type StoreOptions = DatabaseOptions;

/** The sequencer and the outbox's queue each hold at most one connection at a time. */
const BACKGROUND_POOL_SIZE = 2;

export type SqlStore = Store & {
  db: Kysely<Database>;
  /**
   * The database for the work behind the requests: the audit sequencer and its checkpoints, the
   * evaluation's projector, and the outbox's queue (`outboxQueue`). On a server it has a small pool
   * of its own, so that while requests queue for every connection of `db`, entries are still linked
   * within a second of their commit and notifications still claimed. On PGlite, one session, it is
   * `db`.
   */
  background: Kysely<Database>;
};

/**
 * Opens the database, brings its schema up to date and returns the store. On PGlite, transactions
 * queue one behind another; inside transaction work use only the unit of work it is given (using
 * `read` or starting another transaction there fails at once rather than waiting forever).
 */
export async function createStore(options: StoreOptions): Promise<SqlStore> {
  const { db, insideTransaction } = await openDatabase(options);
  try {
    await migrate(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }

  // Connects only when first used.
  const background = options.databaseUrl ? (await openDatabase({ ...options, poolSize: BACKGROUND_POOL_SIZE })).db : db;

  const unitOfWork = (executor: Kysely<Database>): UnitOfWork => ({
    requests: createRequestRepository(executor),
    searchSessions: createSearchSessionRepository(executor),
    evidence: createEvidenceRepository(executor),
    documents: createRecordDocumentRepository(executor),
    contentLinks: createContentLinkRepository(executor),
    audit: createAuditLog(executor),
    outbox: createOutbox(executor),
    directory: createDirectory(executor),
    people: createPeopleAdmin(executor),
    directorySync: createDirectorySyncLog(executor),
    settings: createSettingsRepository(executor),
    surveys: createSurveyRepository(executor),
    pilotSettings: createPilotSettingsRepository(executor),
    disclosures: createDisclosureRepository(executor),
    retention: createRetentionRepository(executor),
    deputies: createDeputyRepository(executor),
  });

  return {
    db,
    transaction: (work) => db.transaction().execute((trx) => insideTransaction(() => work(unitOfWork(trx)))),
    read: unitOfWork(db),
    evaluation: createEvaluationReadModel(db),
    background,
    outboxQueue: createOutboxQueue(background),
    people: createPeopleAdmin(db),
    close: async () => {
      await Promise.all([db.destroy(), background === db ? undefined : background.destroy()]);
    },
  };
}
