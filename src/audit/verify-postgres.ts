/**
 * The walk of ./walk.ts on a PostgreSQL server, for `audit:verify`: one connection of its own in a
 * read-only repeatable-read transaction, rows read as arrays of unparsed text (node-postgres would
 * otherwise build an object and run a type parser for every column of every entry).
 */
import pg from 'pg';
import { walkAuditChain, type AuditVerification, type VerifyOptions } from './walk';

const unparsed: pg.CustomTypesConfig = {
  getTypeParser: (() => (value: string) => value) as unknown as typeof pg.types.getTypeParser,
};

export async function verifyAuditChainOnPostgres(client: pg.Client, options: VerifyOptions = {}): Promise<AuditVerification> {
  await client.query('begin isolation level repeatable read read only');
  try {
    return await walkAuditChain(
      {
        rows: async (text, values) => (await client.query<unknown[]>({ text, values: [...values], rowMode: 'array', types: unparsed })).rows,
      },
      { batchSize: 10_000, ...options },
    );
  } finally {
    await client.query('commit');
  }
}

/** A client for verifyAuditChainOnPostgres, connected. */
export async function connectForVerify(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'audit:verify' });
  await client.connect();
  return client;
}
