/**
 * Local sign-in's token key lives in DATA_DIR. Instances started together on one data directory
 * (the two-instance set-up) must end with one key between them, or a token one issues is refused
 * by the other.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLocalSigningKey } from '../../../src/identity/local-tokens';

const hex = (key: Uint8Array) => Buffer.from(key).toString('hex');

describe('the local signing key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'smc-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('eight loads at once on a new directory agree on one key, the one written, and leave no drafts', async () => {
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadLocalSigningKey(dir)));
    const written = readFileSync(join(dir, 'local-signing.key'), 'utf8');
    expect(new Set(keys.map(hex))).toEqual(new Set([written]));
    expect(readdirSync(dir)).toEqual(['local-signing.key']);
  });

  test('a key already there is kept; an unreadable one is replaced', async () => {
    const first = await loadLocalSigningKey(dir);
    expect(hex(await loadLocalSigningKey(dir))).toBe(hex(first));
    writeFileSync(join(dir, 'local-signing.key'), 'not a key');
    const replaced = await loadLocalSigningKey(dir);
    expect(hex(replaced)).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(dir, 'local-signing.key'), 'utf8')).toBe(hex(replaced));
  });
});
