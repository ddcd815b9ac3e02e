/**
 * Issue 13, item 1: a NUL, an unpaired surrogate, a control character or a bidirectional override
 * in any text field of any form is a 400 naming that field, and every list has a maximum.
 */
import type { z } from 'zod';
import { AppError } from '../../../src/domain/errors';
import {
  actionBodySchemas,
  evidenceMetadataSchema,
  feedbackSchema,
  investigationLogSchema,
  investigationRequestSchema,
  parseForm,
  surveySchema,
  UNSAFE_TEXT_MESSAGE,
} from '../../../src/domain/forms';

const SUBJECT = '11111111-1111-4111-8111-111111111111';

/** One valid body per form, with every optional text field filled so each is exercised. */
const VALID: [string, z.ZodType, Record<string, unknown>][] = [
  [
    'investigation request',
    investigationRequestSchema,
    {
      caseReference: 'CM-1',
      team: 'North',
      children: [{ name: 'Child A', dateOfBirth: '2015-04-01' }],
      concernCategories: ['other'],
      concernOther: 'Something else',
      concernDetails: 'Details',
      justification: 'Because',
      subjects: [
        { id: SUBJECT, kind: 'service_user', name: 'Jane', otherNames: 'J', dateOfBirth: '40', area: 'Leeds', relationshipToChild: 'Mother', profileUrl: 'https://www.facebook.com/jane', description: 'Tall' },
      ],
      period: { from: '2026-01-01', to: '2026-02-01' },
      monitoring: { justification: 'Ongoing', frequency: 'weekly', endDate: '2026-03-01' },
      neededBy: '2026-04-01',
      linkedFromRequestId: SUBJECT,
    },
  ],
  ['agree', actionBodySchemas.agree, { version: 1, note: 'Fine' }],
  ['decline', actionBodySchemas.decline, { version: 1, reason: 'No' }],
  ['authorise', actionBodySchemas.authorise, { version: 1, subjectIds: [SUBJECT], conditions: 'Only photos', accessWorkerId: 'imran.malik' }],
  ['assign', actionBodySchemas.assign, { version: 1, accessWorkerId: 'imran.malik' }],
  ['resolve-doubt', actionBodySchemas['resolve-doubt'], { version: 1, outcome: 'resume', reason: 'Checked' }],
  ['review-monitoring', actionBodySchemas['review-monitoring'], { version: 1, decision: 'end', note: 'Done' }],
  [
    'investigation log',
    investigationLogSchema,
    {
      findings: [{ subjectId: SUBJECT, visibility: 'public', profileUrl: 'https://www.facebook.com/jane', summary: 'Seen' }],
      furtherPersons: [{ description: 'A man' }],
      accessWorkerComments: 'None',
      assessment: { summary: 'Useful', usefulPieces: 1, uniquePieces: 1, contribution: 'some', actionsTaken: 'Visit' },
    },
  ],
  [
    'evidence metadata',
    evidenceMetadataSchema,
    { subjectId: SUBJECT, sourceUrl: 'https://www.facebook.com/jane/photos/1', capturedAt: '2026-01-01T10:00:00Z', description: 'Photo', publiclyVisible: true, correctsEvidenceId: SUBJECT, correctionReason: 'Wrong file' },
  ],
  ['feedback', feedbackSchema, { timesUsed: 1, usefulPieces: 1, uniquePieces: 1, contribution: 'some', comments: 'Good', followUp: { longerTermUsefulness: 'some', comments: 'Still good' } }],
  ['survey', surveySchema, { easeOfAuthorisation: 3, effectiveness: 3, comments: 'Fine' }],
];

/** Every string in a body, with its dotted path. */
function stringPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [prefix];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...prefix, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...prefix, k]));
  return [];
}

function withValue(body: unknown, path: (string | number)[], replace: (old: string) => string): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  node[last] = replace(node[last] as string);
  return copy;
}

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const UNSAFE: [string, string][] = [
  ['NUL', '\u0000'],
  ['an unpaired high surrogate', '\ud800'],
  ['an unpaired low surrogate', '\udc00'],
  ['a bell', '\u0007'],
  ['an escape', '\u001b'],
  ['a lone carriage return', '\r'],
  ['DEL', '\u007f'],
  ['a C1 control', '\u0085'],
  ['a right-to-left override', '\u202e'],
  ['a left-to-right embedding', '\u202a'],
  ['a first-strong isolate', '\u2068'],
  ['a pop directional isolate', '\u2069'],
];

describe.each(VALID)('the %s form', (_name, schema, body) => {
  test('accepts the valid body', () => {
    expect(() => parseForm(schema, body)).not.toThrow();
  });

  const paths = stringPaths(body).filter((p) => !/^\d{4}-\d\d-\d\d/.test(String(p.reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], body))));
  test.each(UNSAFE)('refuses %s in every text field, naming the field', (_what, character) => {
    for (const path of paths) {
      const error = refusal(() => parseForm(schema, withValue(body, path, (old) => `${old.slice(0, 1)}${character}${old.slice(1)}`)));
      expect(error.code).toBe('validation');
      expect(Object.keys(error.fields ?? {})).toEqual([path.join('.')]);
    }
  });
});

test('the message for a refused character says what to do', () => {
  const error = refusal(() => parseForm(actionBodySchemas.decline, { version: 1, reason: 'abc\u0000' }));
  expect(error.fields).toEqual({ reason: UNSAFE_TEXT_MESSAGE });
});

test('tab, newline, CRLF, emoji (a surrogate pair) and right-to-left marks are kept', () => {
  const reason = 'Line one\r\n\tLine two 👍 \u200fمرحبا\u200e';
  expect(parseForm(actionBodySchemas.decline, { version: 1, reason }).reason).toBe(reason);
});

test('every list has a maximum: 50,000 repeated concerns are refused', () => {
  const [, schema, body] = VALID[0] as (typeof VALID)[number];
  const error = refusal(() => parseForm(schema, { ...body, concernCategories: Array<string>(50_000).fill('other') }));
  expect(Object.keys(error.fields ?? {})).toEqual(['concernCategories']);
  const ids = refusal(() => parseForm(actionBodySchemas.authorise, { version: 1, subjectIds: Array<string>(21).fill(SUBJECT) }));
  expect(Object.keys(ids.fields ?? {})).toEqual(['subjectIds']);
});
