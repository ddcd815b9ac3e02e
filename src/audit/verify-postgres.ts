/**
 * The walk of ./walk.ts on a PostgreSQL server, for `audit:verify`: one connection of its own in a
 * read-only repeatable-read transaction. The entries arrive as one binary COPY, in seq order:
 * each is a row of length-prefixed fields, read where it lies in the received bytes, and its
 * contents are written out as the bytes of bodyText (./hash.ts) without a string per column —
 * node-postgres would otherwise send a message, an array and a string for every column of every
 * entry, which cost several times the hashing itself.
 *
 * What is hashed is what the app shows: the same columns, text as JSON.stringify writes it, `at`
 * as the store's parser turns PostgreSQL's timestamp into ISO 8601 (UTC, milliseconds, cut not
 * rounded), `detail` as canonical JSON. Anything the byte walk does not expect (another encoding,
 * a timestamp outside the years it writes, another COPY layout) sends the whole verification back
 * to the general walk of ./walk.ts, which reads the same snapshot.
 */
import * as crypto from 'node:crypto';
import pg from 'pg';
import { DISPOSAL_ACTION } from '../domain/disposal-action';
import { canonicalJson } from './hash';
import { ChainWalk, EDITED_PROBLEM, MISSING_PROBLEM, PREVIOUS_HASH_PROBLEM, walkAuditChain, type AuditVerification, type ChainSource, type VerifyOptions } from './walk';

const unparsed: pg.CustomTypesConfig = {
  getTypeParser: (() => (value: string) => value) as unknown as typeof pg.types.getTypeParser,
};

/** The fields of each row, in this order: its place in the chain, then bodyText's members in theirs. */
const COPY_ENTRIES = `copy (select seq, prev_hash, hash, redacted_at is not null, body_hash,
  action, actor_id, actor_role, at, detail, from_state, http_request_id, id, reason, request_id, to_state
  from audit_entries where seq >= 1 order by seq) to stdout (format binary)`;
const FIELDS = 16;
const [SEQ, PREV_HASH, HASH, REDACTED, BODY_HASH, ACTION, AT, DETAIL, REQUEST_ID] = [0, 1, 2, 3, 4, 5, 8, 9, 14];
/** bodyText's members: the text before each field's value, from `action` (field 5) to `toState` (field 15). */
const MEMBERS = ['{"action":', ',"actorId":', ',"actorRole":', ',"at":', ',"detail":', ',"fromState":', ',"httpRequestId":', ',"id":', ',"reason":', ',"requestId":', ',"toState":'].map(
  (member) => Buffer.from(member, 'latin1'),
);

/** The binary COPY header (PostgreSQL docs, "Binary Format"): signature, flags, extension length. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER = SIGNATURE.length + 8;
/** Flags bit 16: each row carries an OID, which this layout does not expect. */
const WITH_OIDS = 1 << 16;

/** PostgreSQL's epoch (2000-01-01) in Unix milliseconds, and one day. */
const PG_EPOCH_MS = 946_684_800_000;
const DAY_MS = 86_400_000;
/** Timestamps within ±2^53 µs of 2000 (years 1715 to 2285) are read exactly as numbers. */
const SAFE_HIGH_WORD = 2 ** 21;

const NULL = Buffer.from('null', 'latin1');
const [QUOTE, BACKSLASH, SPACE] = [0x22, 0x5c, 0x20];

const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }).hash;
const sha256 = oneShot
  ? (data: Uint8Array): string => oneShot('sha256', data, 'hex')
  : (data: Uint8Array): string => crypto.createHash('sha256').update(data).digest('hex');

/** Whether bytes [start, start + length) of `bytes` spell `ascii`, which holds no other characters. */
function spells(bytes: Buffer, start: number, length: number, ascii: string): boolean {
  if (length !== ascii.length) return false;
  for (let i = 0; i < length; i += 1) if (bytes[start + i] !== ascii.charCodeAt(i)) return false;
  return true;
}

/** The walk reads something it does not expect: the general walk takes over. */
const UNUSUAL = Symbol('unusual');

/**
 * The COPY, as node-postgres runs a query of its own kind (a Submittable): it is handed each
 * CopyData message's bytes, and checks the entries in them as they arrive.
 */
export class EntryCopy {
  static readonly QUERY = COPY_ENTRIES;
  /** Set when the walk stops early: a bad entry, or something for the general walk. */
  verdict: AuditVerification | typeof UNUSUAL | null = null;
  /** Whether the COPY's trailer arrived: every entry was read. */
  complete = false;
  readonly finished: Promise<void>;
  private settle!: (error?: Error) => void;
  private failure: Error | null = null;
  private headerRead = false;
  /** The start of a row cut across messages (PostgreSQL sends one row per message, but need not). */
  private pending: Buffer | null = null;
  private readonly starts = new Int32Array(FIELDS);
  private readonly lengths = new Int32Array(FIELDS);
  /** Where each entry's bodyText is written: grown when an entry needs more. */
  private body = Buffer.allocUnsafe(4096);
  private day = Number.NaN;
  private dayText = Buffer.alloc(0);

  constructor(private readonly walk: ChainWalk) {
    this.finished = new Promise((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve());
    });
  }

  submit(connection: pg.Connection): void {
    connection.query(EntryCopy.QUERY);
  }

  handleCopyData(message: { chunk: Buffer }): void {
    if (this.verdict || this.complete || this.failure) return;
    try {
      this.read(message.chunk);
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
    }
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.settle(this.failure ?? undefined);
  }

  handleError(error: Error): void {
    this.settle(error);
  }

  private read(chunk: Buffer): void {
    let bytes = chunk;
    if (this.pending) {
      bytes = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    let at = 0;
    if (!this.headerRead) {
      if (bytes.length < HEADER || bytes.length < HEADER + bytes.readInt32BE(HEADER - 4)) {
        this.pending = Buffer.from(bytes);
        return;
      }
      if (!bytes.subarray(0, SIGNATURE.length).equals(SIGNATURE) || (bytes.readInt32BE(SIGNATURE.length) & WITH_OIDS) !== 0) {
        this.verdict = UNUSUAL;
        return;
      }
      at = HEADER + bytes.readInt32BE(HEADER - 4);
      this.headerRead = true;
    }
    const { starts, lengths } = this;
    rows: while (at + 2 <= bytes.length) {
      const fields = bytes.readInt16BE(at);
      if (fields === -1) {
        this.complete = true;
        return;
      }
      if (fields !== FIELDS) {
        this.verdict = UNUSUAL;
        return;
      }
      let p = at + 2;
      for (let i = 0; i < FIELDS; i += 1) {
        if (p + 4 > bytes.length) break rows;
        const length = (bytes[p]! << 24) | (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!;
        starts[i] = p + 4;
        lengths[i] = length;
        p += 4 + Math.max(length, 0);
      }
      if (p > bytes.length) break;
      const verdict = this.entry(bytes);
      if (verdict) {
        this.verdict = verdict;
        return;
      }
      at = p;
    }
    // Copied: node-postgres may reuse the memory it handed over.
    if (at < bytes.length) this.pending = Buffer.from(bytes.subarray(at));
  }

  /** Checks the row whose fields `starts` and `lengths` locate: null when it is sound. */
  private entry(bytes: Buffer): AuditVerification | typeof UNUSUAL | null {
    const { walk, starts, lengths } = this;
    if (lengths[SEQ] !== 8 || (lengths[AT] !== 8 && lengths[AT] !== -1) || lengths[REDACTED] !== 1) return UNUSUAL;
    const high = bytes.readInt32BE(starts[SEQ] ?? 0);
    if (high !== 0) return UNUSUAL;
    const seq = bytes.readUInt32BE((starts[SEQ] ?? 0) + 4);
    if (seq !== walk.nextSeq) return walk.bad(walk.nextSeq, MISSING_PROBLEM(walk.nextSeq, seq));
    if (!spells(bytes, starts[PREV_HASH] ?? 0, lengths[PREV_HASH] ?? 0, walk.prevHash)) return walk.bad(seq, PREVIOUS_HASH_PROBLEM(seq));

    const detailLength = lengths[DETAIL] ?? -1;
    const detailStart = starts[DETAIL] ?? 0;
    // jsonb's binary form: a version byte (1), then its text.
    if (detailLength === 0 || (detailLength > 0 && bytes[detailStart] !== 1)) return UNUSUAL;
    const detail: unknown = detailLength < 0 ? null : JSON.parse(bytes.toString('utf8', detailStart + 1, detailStart + detailLength));
    const requestIdLength = lengths[REQUEST_ID] ?? -1;
    const requestId = requestIdLength < 0 ? null : bytes.toString('utf8', starts[REQUEST_ID] ?? 0, (starts[REQUEST_ID] ?? 0) + requestIdLength);
    if (spells(bytes, starts[ACTION] ?? 0, lengths[ACTION] ?? 0, DISPOSAL_ACTION)) walk.vouch(detail, requestId);
    const redacted = bytes[starts[REDACTED] ?? 0] === 1;
    const bodyHashLength = lengths[BODY_HASH] ?? -1;
    const storedBodyHash = redacted && bodyHashLength >= 0 ? bytes.toString('utf8', starts[BODY_HASH] ?? 0, (starts[BODY_HASH] ?? 0) + bodyHashLength) : null;
    // A redacted entry's contents were cleared on disposal: the hash of what it held stands in for
    // them, and a later disposal entry must name it with that hash (checked at the end).
    let contentHash: string;
    if (storedBodyHash !== null) {
      contentHash = storedBodyHash;
    } else {
      const length = this.writeBody(bytes, detail);
      if (length < 0) return UNUSUAL;
      contentHash = sha256(new Uint8Array(this.body.buffer, this.body.byteOffset, length));
    }
    if (redacted) walk.redactedEntry(storedBodyHash, requestId);
    const hash = walk.linkHash(contentHash);
    const problem = spells(bytes, starts[HASH] ?? 0, lengths[HASH] ?? -1, hash) ? walk.linked(hash) : EDITED_PROBLEM;
    return problem ? walk.bad(seq, problem) : null;
  }

  /** Writes the entry's bodyText into `body`; its length, or -1 when `at` is out of reach. */
  private writeBody(bytes: Buffer, detail: unknown): number {
    const { starts, lengths } = this;
    let p = 0;
    for (let member = 0; member < MEMBERS.length; member += 1) {
      const field = ACTION + member;
      const name = MEMBERS[member] as Buffer;
      const start = starts[field] ?? 0;
      const length = lengths[field] ?? -1;
      // Room for the member's name and value, quoted, or for `at` or `null`.
      this.room(p + name.length + 32 + Math.max(length, 0));
      const body = this.body;
      for (let i = 0; i < name.length; i += 1) body[p++] = name[i] as number;
      if (length < 0) {
        for (let i = 0; i < NULL.length; i += 1) body[p++] = NULL[i] as number;
      } else if (field === AT) {
        p = this.writeAt(bytes, start, p);
        if (p < 0) return -1;
      } else if (field === DETAIL) {
        const json = canonicalJson(detail);
        this.room(p + Buffer.byteLength(json));
        p += this.body.write(json, p, 'utf8');
      } else {
        p = this.writeString(bytes, start, length, p);
      }
    }
    this.room(p + 1);
    this.body[p++] = 0x7d; // }
    return p;
  }

  /** Text as JSON.stringify writes it: as it is between quotes, unless a character must be escaped. */
  private writeString(bytes: Buffer, start: number, length: number, from: number): number {
    const body = this.body;
    let p = from;
    body[p++] = QUOTE;
    for (let i = start; i < start + length; i += 1) {
      const byte = bytes[i] as number;
      if (byte < SPACE || byte === QUOTE || byte === BACKSLASH) {
        const json = JSON.stringify(bytes.toString('utf8', start, start + length));
        this.room(from + Buffer.byteLength(json));
        return from + this.body.write(json, from, 'utf8');
      }
      body[p++] = byte;
    }
    body[p++] = QUOTE;
    return p;
  }

  /**
   * `at` as the store reads it: PostgreSQL's microseconds since 2000 cut to the millisecond, in
   * ISO 8601 UTC. -1 beyond the years whose microseconds are exact as numbers.
   */
  private writeAt(bytes: Buffer, start: number, from: number): number {
    const high = bytes.readInt32BE(start);
    if (high >= SAFE_HIGH_WORD || high < -SAFE_HIGH_WORD) return -1;
    const micros = high * 2 ** 32 + bytes.readUInt32BE(start + 4);
    const rest = micros % 1000;
    const ms = (micros - rest) / 1000 - (rest < 0 ? 1 : 0) + PG_EPOCH_MS;
    const day = Math.floor(ms / DAY_MS);
    if (day !== this.day) {
      // `2026-01-02T`, once per day of entries.
      this.dayText = Buffer.from(new Date(day * DAY_MS).toISOString().slice(0, 11), 'latin1');
      this.day = day;
    }
    let inDay = ms - day * DAY_MS;
    const milli = inDay % 1000;
    inDay = (inDay - milli) / 1000;
    const second = inDay % 60;
    inDay = (inDay - second) / 60;
    const minute = inDay % 60;
    const hour = (inDay - minute) / 60;
    const body = this.body;
    let p = from;
    body[p++] = QUOTE;
    for (let i = 0; i < this.dayText.length; i += 1) body[p++] = this.dayText[i] as number;
    p = twoDigits(body, p, hour);
    body[p++] = 0x3a; // :
    p = twoDigits(body, p, minute);
    body[p++] = 0x3a;
    p = twoDigits(body, p, second);
    body[p++] = 0x2e; // .
    body[p++] = 0x30 + Math.floor(milli / 100);
    p = twoDigits(body, p, milli % 100);
    body[p++] = 0x5a; // Z
    body[p++] = QUOTE;
    return p;
  }

  /** Makes `body` hold at least `size` bytes, keeping what it holds. */
  private room(size: number): void {
    if (size <= this.body.length) return;
    const grown = Buffer.allocUnsafe(Math.max(size, this.body.length * 2));
    this.body.copy(grown);
    this.body = grown;
  }
}

function twoDigits(body: Buffer, p: number, value: number): number {
  body[p] = 0x30 + Math.floor(value / 10);
  body[p + 1] = 0x30 + (value % 10);
  return p + 2;
}

export async function verifyAuditChainOnPostgres(client: pg.Client, options: VerifyOptions = {}): Promise<AuditVerification> {
  await client.query('begin isolation level repeatable read read only');
  try {
    const source: ChainSource = {
      rows: async (text, values) => (await client.query<unknown[]>({ text, values: [...values], rowMode: 'array', types: unparsed })).rows,
    };
    const walk = new ChainWalk();
    const early = await walk.begin(source, options);
    if (early) return early;
    const [encodings] = await source.rows(`select current_setting('server_encoding'), current_setting('client_encoding')`, []);
    if (encodings?.[0] === 'UTF8' && encodings[1] === 'UTF8') {
      const copy = client.query(new EntryCopy(walk));
      await copy.finished;
      if (copy.verdict !== UNUSUAL) {
        if (copy.verdict) return copy.verdict;
        if (!copy.complete) throw new Error('the database ended the list of audit entries early');
        return walk.finish();
      }
    }
    return await walkAuditChain(source, { batchSize: 10_000, ...options });
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
