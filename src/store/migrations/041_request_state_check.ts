/**
 * The database refuses a request in a state the protocol does not have, whatever wrote it. The
 * states are written out here, not imported: a migration that has shipped never changes.
 */
import type { Kysely, Migration } from 'kysely';
import { runStatements } from './run-sql';

const STATES = [
  'draft',
  'awaiting_team_manager',
  'awaiting_service_director',
  'authorised',
  'assigned',
  'searching',
  'on_hold',
  'with_originating_worker',
  'finalised',
  'shared',
  'closed',
  'declined',
  'refused',
  'cancelled',
  'expired',
];

export const requestStateCheck: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await runStatements(db, [
      `ALTER TABLE investigation_requests ADD CONSTRAINT investigation_requests_state_check
        CHECK (state IN (${STATES.map((s) => `'${s}'`).join(', ')}))`,
    ]);
  },
};
