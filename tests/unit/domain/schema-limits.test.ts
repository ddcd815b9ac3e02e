/**
 * Issue 13, item 1, for every schema at once: each text field a route or card takes carries the
 * character rule (or a format that excludes the characters it refuses) and each list a maximum.
 * The tests beside it (text-safety.test.ts) show the rule's effect on each form; this one finds a
 * schema that forgot it, as the disclosure's name, the evaluation's team and the pilot's platforms had.
 */
import type { z } from 'zod';
import { actionBodySchemas, isSafeText } from '../../../src/domain/forms';
import { API_ROUTES } from '../../../src/server/api-contract';

interface Problem {
  where: string;
  problem: string;
}

type Internals = { _zod: { def: Record<string, unknown> & { type: string; checks?: { _zod: { def: { check: string; fn?: unknown } } }[] } } };

const def = (schema: unknown) => (schema as Internals)._zod.def;
const checks = (schema: unknown) => (def(schema).checks ?? []).map((c) => c._zod.def);

/** Walks a schema's tree, naming each text field and list that breaks the rules. */
function problems(schema: unknown, where: string, seen = new Set<unknown>()): Problem[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const d = def(schema);
  const walk = (inner: unknown, at = where) => problems(inner, at, seen);
  switch (d.type) {
    case 'string': {
      const all = checks(schema);
      // A format (a date, a URL, a UUID) admits none of the characters the rule refuses.
      const safe = d.format !== undefined || all.some((c) => c.check === 'custom' && c.fn === isSafeText) || all.some((c) => c.check === 'string_format');
      return safe ? [] : [{ where, problem: 'text without the character rule' }];
    }
    case 'array': {
      const bounded = checks(schema).some((c) => c.check === 'max_length' || c.check === 'length_equals');
      return [...(bounded ? [] : [{ where, problem: 'list without a maximum' }]), ...walk(d.element, `${where}[]`)];
    }
    case 'object':
      return [
        ...Object.entries(d.shape as Record<string, unknown>).flatMap(([key, inner]) => walk(inner, `${where}.${key}`)),
        ...(d.catchall ? walk(d.catchall, `${where}.*`) : []),
      ];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return walk(d.innerType);
    case 'pipe':
      return [...walk(d.in), ...walk(d.out)];
    case 'union':
      return (d.options as unknown[]).flatMap((option) => walk(option));
    case 'intersection':
      return [...walk(d.left), ...walk(d.right)];
    case 'record':
      return [...walk(d.keyType, `${where}{key}`), ...walk(d.valueType, `${where}{}`)];
    case 'tuple':
      return [...(d.items as unknown[]).flatMap((item, i) => walk(item, `${where}[${i}]`)), ...(d.rest ? [{ where, problem: 'tuple without a maximum' }] : [])];
    default:
      // Numbers, booleans, enums, literals, dates, transforms: nothing a person types as free text.
      return [];
  }
}

const inputs: [string, unknown][] = [
  ...API_ROUTES.flatMap((route) =>
    (['params', 'query', 'body', 'multipart'] as const)
      // The bot's activity is the Bot Connector's protocol; what the cards take from it is in actionBodySchemas.
      .filter((part) => route[part] !== undefined && !(part === 'body' && route.foreignBody))
      .map((part): [string, unknown] => [`${route.method} ${route.path} ${part}`, route[part]]),
  ),
  ...Object.entries(actionBodySchemas).map(([action, schema]): [string, z.ZodType] => [`card or API action ${action}`, schema]),
];

test('the walk sees every route that takes input', () => {
  expect(inputs.length).toBeGreaterThan(40);
});

/** The evidence upload's file part is its bytes, described in the contract as a string for OpenAPI. */
const FILE_PART = '.file';

test.each(inputs)('%s: every text field has the character rule and every list a maximum', (where, schema) => {
  expect(problems(schema, '').filter((p) => !(where.endsWith(' multipart') && p.where === FILE_PART))).toEqual([]);
});
