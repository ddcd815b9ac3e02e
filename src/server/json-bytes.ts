/**
 * JSON answers as UTF-8 bytes, exactly as `Buffer.from(JSON.stringify(answer))` would write them,
 * at a fraction of the cost for the answers that dominate: lists of requests.
 *
 * A list of fifty requests is about 100,000 characters, and its text has a dash or a curly quote
 * in every item. Once one character beyond Latin-1 appears, JSON.stringify's answer is a string of
 * two-byte parts, which must be joined into one flat string of about 200 KB before it can be
 * encoded: too large for V8's ordinary heap, so each answer allocated (and the collector then
 * freed) a large object, and that join took about ten times as long as the stringify itself.
 * Written here container by container, down to the items of the top level's arrays, each
 * stringified alone: every string stays small enough to join where it is made.
 */

/** Where answers are written, grown to the largest so far up to SCRATCH_MAX, then copied out. */
let scratch = Buffer.allocUnsafe(64 * 1024);
let at = 0;
const SCRATCH_MAX = 4 * 1024 * 1024;
/**
 * Containers this close to the top are written member by member; deeper ones with one
 * JSON.stringify (the items of a list, a timeline's entries).
 */
const SPLIT_DEPTH = 2;

const [COMMA, COLON, OPEN_BRACKET, CLOSE_BRACKET, OPEN_BRACE, CLOSE_BRACE] = [0x2c, 0x3a, 0x5b, 0x5d, 0x7b, 0x7d];

/** Thrown when an answer outgrows SCRATCH_MAX: it is then encoded the usual way. */
const TOO_LARGE = Symbol('too large');

export function jsonBytes(answer: unknown): Buffer {
  const value = resolved(answer, '');
  if (omitted(value)) throw new TypeError('An answer must be a JSON value.');
  at = 0;
  try {
    writeValue(value, 0);
  } catch (error) {
    if (error !== TOO_LARGE) throw error;
    return Buffer.from(JSON.stringify(answer));
  }
  return Buffer.from(scratch.subarray(0, at));
}

/** What JSON.stringify leaves out of an object, and writes as null in an array. */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** A value as JSON.stringify sees it under `key`: what its toJSON (a Date's) answers, called once. */
function resolved(value: unknown, key: string): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'bigint')) return value;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  return typeof toJSON === 'function' ? (toJSON as (key: string) => unknown).call(value, key) : value;
}

/**
 * Only plain arrays and objects are written member by member: a class instance or a boxed value
 * is left to JSON.stringify, which knows what to make of it.
 */
function splittable(value: object): boolean {
  if (Array.isArray(value)) return true;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Writes a value already resolved (see `resolved`). Below the split, JSON.stringify does the
 * rest, resolving what lies inside with the keys it lies under, as it would have anyway.
 */
function writeValue(value: unknown, depth: number): void {
  if (depth >= SPLIT_DEPTH || value === null || typeof value !== 'object' || !splittable(value)) {
    writeText(JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    writeByte(OPEN_BRACKET);
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) writeByte(COMMA);
      const item = resolved(value[i], String(i));
      if (omitted(item)) writeText('null');
      else writeValue(item, depth + 1);
    }
    writeByte(CLOSE_BRACKET);
    return;
  }
  writeByte(OPEN_BRACE);
  let first = true;
  const members = value as Record<string, unknown>;
  for (const key of Object.keys(members)) {
    const member = resolved(members[key], key);
    if (omitted(member)) continue;
    if (!first) writeByte(COMMA);
    first = false;
    writeText(JSON.stringify(key));
    writeByte(COLON);
    writeValue(member, depth + 1);
  }
  writeByte(CLOSE_BRACE);
}

function writeByte(byte: number): void {
  room(1);
  scratch[at] = byte;
  at += 1;
}

function writeText(text: string): void {
  // At most 3 bytes of UTF-8 per UTF-16 unit (a surrogate pair is 4 bytes for 2 units).
  room(text.length * 3);
  at += scratch.write(text, at);
}

/** Makes room for `bytes` more, keeping what is written; TOO_LARGE beyond SCRATCH_MAX. */
function room(bytes: number): void {
  const needed = at + bytes;
  if (needed <= scratch.length) return;
  if (needed > SCRATCH_MAX) throw TOO_LARGE;
  const grown = Buffer.allocUnsafe(Math.min(SCRATCH_MAX, Math.max(needed, scratch.length * 2)));
  scratch.copy(grown, 0, 0, at);
  scratch = grown;
}
