/**
 * Loads the shared JSON schemas (Adaptive Card 1.5 is draft-06, Teams manifests declare
 * draft-04) into Ajv 8. Neither uses a keyword whose meaning changed after draft-04 (no boolean
 * exclusiveMinimum/Maximum), so the one difference that matters — the schema id keyword `id`,
 * renamed `$id` in draft-06 — is mapped at the root and the schemas compile as written otherwise.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';

/** Official schemas copied into the repository so a clone alone can validate offline. */
export const SHARED_SCHEMAS = path.resolve(__dirname, '../schemas');

export function compileSharedSchema(relative: string): ValidateFunction {
  const raw = JSON.parse(readFileSync(path.join(SHARED_SCHEMAS, relative), 'utf8')) as Record<string, unknown>;
  const { id, $schema: _declared, ...rest } = raw;
  const schema = { ...rest, ...(typeof id === 'string' ? { $id: id } : {}) };
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft06);
  addFormats(ajv);
  return ajv.compile(schema);
}
