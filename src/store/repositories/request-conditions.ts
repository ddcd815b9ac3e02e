/** Runs a domain Condition (src/domain/conditions.ts) as SQL on investigation_requests. */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Condition, PersonField, SearchField } from '../../domain/conditions';
import type { Database } from '../schema';

const COLUMNS: Record<PersonField, 'originating_worker_id' | 'team_manager_id' | 'agreement_by' | 'authorisation_by' | 'access_worker_id' | 'designated_access_worker_id'> = {
  originatingWorkerId: 'originating_worker_id',
  teamManagerId: 'team_manager_id',
  agreementBy: 'agreement_by',
  authorisationBy: 'authorisation_by',
  accessWorkerId: 'access_worker_id',
  designatedAccessWorkerId: 'designated_access_worker_id',
};

type Builder = ExpressionBuilder<Database, 'investigation_requests'>;

const SEARCH: Record<SearchField, (pattern: string) => Expression<SqlBool>> = {
  reference: (p) => sql<SqlBool>`reference ilike ${p}`,
  caseReference: (p) => sql<SqlBool>`case_reference ilike ${p}`,
  childNames: (p) => sql<SqlBool>`exists (select 1 from jsonb_array_elements(form -> 'children') c where c ->> 'name' ilike ${p})`,
  subjectNames: (p) => sql<SqlBool>`exists (select 1 from jsonb_array_elements(form -> 'subjects') s where s ->> 'name' ilike ${p} or s ->> 'otherNames' ilike ${p})`,
};

export function toSql(eb: Builder, condition: Condition): Expression<SqlBool> {
  if ('all' in condition) return condition.all.length === 0 ? sql<SqlBool>`true` : eb.and(condition.all.map((c) => toSql(eb, c)));
  if ('any' in condition) return condition.any.length === 0 ? sql<SqlBool>`false` : eb.or(condition.any.map((c) => toSql(eb, c)));
  // A comparison with a NULL column is unknown, not false: NOT must treat it as false, as the domain does.
  if ('not' in condition) return sql<SqlBool>`not coalesce(${toSql(eb, condition.not)}, false)`;
  if ('state' in condition) return condition.state.length === 0 ? sql<SqlBool>`false` : eb('state', 'in', [...condition.state]);
  if ('field' in condition) return condition.is === null ? eb(COLUMNS[condition.field], 'is', null) : eb(COLUMNS[condition.field], '=', condition.is);
  if ('resolver' in condition) {
    return sql<SqlBool>`doubt_resolvers @> ${JSON.stringify([{ personId: condition.resolver, role: condition.role }])}::jsonb`;
  }
  if ('matches' in condition) {
    // The text is matched literally: LIKE's own wildcards and escape in it are escaped.
    const pattern = `%${condition.matches.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return condition.in.length === 0 ? sql<SqlBool>`false` : eb.or(condition.in.map((field) => SEARCH[field](pattern)));
  }
  if ('created' in condition) {
    const { from, before } = condition.created;
    const bounds = [...(from ? [sql<SqlBool>`created_at >= ${from}::timestamptz`] : []), ...(before ? [sql<SqlBool>`created_at < ${before}::timestamptz`] : [])];
    return bounds.length === 0 ? sql<SqlBool>`true` : eb.and(bounds);
  }
  if ('doubtView' in condition) {
    const recorded = sql<SqlBool>`coalesce(jsonb_typeof(doubts -> -1 -> 'serviceManagerView') = 'object', false)`;
    return condition.doubtView ? recorded : sql<SqlBool>`not ${recorded}`;
  }
  if ('closed' in condition) return eb('closed_at', condition.closed ? 'is not' : 'is', null);
  // Served by the GIN index on shared_with (jsonb_path_ops supports @>).
  if ('sharedWith' in condition) return sql<SqlBool>`shared_with @> ${JSON.stringify([{ personId: condition.sharedWith }])}::jsonb`;
  return eb('submitted_at', 'is not', null);
}
