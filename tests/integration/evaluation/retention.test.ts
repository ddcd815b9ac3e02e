/**
 * Retention over the API on both backends: every request carries its retain-until date and lawful
 * basis; nothing is disposed of early, under a legal hold, or by one person; a disposal removes the
 * personal data and the evidence, keeps a tombstone whose figures are unchanged, and leaves the audit
 * chain verifiable against the checkpoints published before it.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import JSZip from 'jszip';
import { sql } from 'kysely';
import { anchorCheckpoint, createCheckpointSigner, folderCheckpointStore, readPublished, verifyAuditChain, type CheckpointSigner } from '../../../src/audit';
import { DEFAULT_LAWFUL_BASIS } from '../../../src/domain/retention';
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { seedWorkflows, SEEDED_PERSONAL_DATA, type SeedClock, type Seeded } from './seed';

describe.each(BACKENDS)('retention on %s', (backend) => {
  let api: ApiHarness;
  let seeded: Seeded;
  let folder: string;
  let signer: CheckpointSigner;
  const clock: SeedClock = { now: new Date('2026-06-01T09:00:00Z') };
  const at = (iso: string) => {
    clock.now = new Date(iso);
  };
  beforeAll(async () => {
    api = await startApi(backend, { clock: { now: () => clock.now } });
    seeded = await seedWorkflows(api, clock);
    folder = mkdtempSync(path.join(tmpdir(), 'smc-retention-checkpoints-'));
    signer = createCheckpointSigner(generateKeyPairSync('ed25519').privateKey);
  }, 240_000);
  afterAll(async () => {
    await api.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const retention = (id: string, token: string) => api.call('GET', `/api/retention/requests/${id}`, { token });
  const verify = async () => {
    await api.server.sequencer.runOnce();
    return verifyAuditChain(api.server.store.db, { published: await readPublished(folderCheckpointStore(folder)), publicKeys: [signer.publicKey] });
  };

  test('each request shows its lawful basis, rule and retain-until date, counted from closure', async () => {
    const t = seeded.tokens;
    const awaiting = await api.call('GET', `/api/requests/${seeded.ids.shared}`, { token: t['amelia.hart'] });
    // Shared, but not closed until the documents are on the case record: nothing is dated yet.
    expect(awaiting.body.retention).toMatchObject({ retainUntil: null, rule: 'Kept for 6 years from closure (completed and shared), then reviewed for disposal.' });
    // Files the record documents the share asked for (the outbox dates its messages by the database's
    // own clock, so the test clock moves past it to drain); the originating worker then places them.
    at(new Date(Date.now() + 60_000).toISOString());
    await api.server.dispatcher.drainOnce();
    at('2026-06-03T20:00:00Z');
    const filed = await api.call('GET', `/api/requests/${seeded.ids.shared}`, { token: t['amelia.hart'] });
    const placed = await api.call('POST', `/api/requests/${seeded.ids.shared}/actions/record-placement`, { token: t['amelia.hart'], body: { version: filed.body.version } });
    expect([placed.status, placed.body.state ?? placed.body.error]).toEqual([200, 'closed']);
    const shared = await api.call('GET', `/api/requests/${seeded.ids.shared}`, { token: t['amelia.hart'] });
    expect(shared.body.retention).toEqual({
      lawfulBasis: DEFAULT_LAWFUL_BASIS,
      rule: 'Kept for 6 years from closure (completed and shared), then reviewed for disposal.',
      retainUntil: '2032-06-03',
    });
    const open = await api.call('GET', `/api/requests/${seeded.ids.open}`, { token: t['amelia.hart'] });
    expect(open.body.retention).toMatchObject({ retainUntil: null, rule: expect.stringContaining('Kept while the request is open') });
    const declined = await retention(seeded.ids.declined, t['grace.lee']);
    expect(declined.body.retention).toMatchObject({ retainUntil: '2028-06-08', status: 'kept' });
    expect((await retention(seeded.ids.declined, t['amelia.hart'])).status).toBe(403);
  });

  test('nothing is disposed of early', async () => {
    const t = seeded.tokens;
    at('2028-06-07T12:00:00Z');
    const early = await api.call('POST', `/api/retention/requests/${seeded.ids.declined}/proposal`, { token: t['grace.lee'], body: {} });
    expect(early.status).toBe(409);
    expect(early.body.error?.message).toContain('must be kept until 2028-06-08');
    const review = await api.call('GET', '/api/retention/review', { token: t['sarah.mitchell'] });
    expect((review.body.due as { request: { id: string } }[]).map((i) => i.request.id)).not.toContain(seeded.ids.declined);
    expect((await api.call('POST', `/api/retention/requests/${seeded.ids.declined}/disposal`, { token: t['sarah.mitchell'] })).status).toBe(409);
    expect((await retention(seeded.ids.declined, t['grace.lee'])).body.retention).toMatchObject({ status: 'kept', disposal: null });
  });

  test('a legal hold suspends the schedule until it is lifted', async () => {
    const t = seeded.tokens;
    at('2028-06-09T12:00:00Z');
    const review = await api.call('GET', '/api/retention/review', { token: t['grace.lee'] });
    expect((review.body.due as { request: { id: string } }[]).map((i) => i.request.id)).toContain(seeded.ids.declined);
    expect((await api.call('POST', `/api/retention/requests/${seeded.ids.declined}/proposal`, { token: t['grace.lee'], body: {} })).status).toBe(200);
    const held = await api.call('PUT', `/api/retention/requests/${seeded.ids.declined}/hold`, { token: t['sarah.mitchell'], body: { hold: true, reason: 'Complaint to the Ombudsman' } });
    expect(held.status).toBe(200);
    expect(held.body.retention).toMatchObject({ status: 'on_hold', proposal: null, legalHold: { by: 'sarah.mitchell', reason: 'Complaint to the Ombudsman' } });
    expect((await api.call('POST', `/api/retention/requests/${seeded.ids.declined}/proposal`, { token: t['grace.lee'], body: {} })).status).toBe(409);
    expect((await api.call('POST', `/api/retention/requests/${seeded.ids.declined}/disposal`, { token: t['sarah.mitchell'] })).status).toBe(409);
    const onHold = await api.call('GET', '/api/retention/review', { token: t['grace.lee'] });
    expect((onHold.body.onHold as { request: { id: string } }[]).map((i) => i.request.id)).toEqual([seeded.ids.declined]);
    const bad = await api.call('PUT', `/api/retention/requests/${seeded.ids.declined}/hold`, { token: t['grace.lee'], body: { hold: false, reason: '' } });
    expect(Object.keys(bad.body.error?.fields ?? {})).toEqual(['reason']);
    const lifted = await api.call('PUT', `/api/retention/requests/${seeded.ids.declined}/hold`, { token: t['grace.lee'], body: { hold: false, reason: 'Complaint closed' } });
    expect(lifted.body.retention).toMatchObject({ status: 'due', legalHold: null });
  });

  test('disposal takes two people: a service manager proposes, a different service director confirms', async () => {
    const t = seeded.tokens;
    at('2028-06-10T12:00:00Z');
    const id = seeded.ids.refused;
    expect((await api.call('POST', `/api/retention/requests/${id}/disposal`, { token: t['sarah.mitchell'] })).body.error?.message).toContain('propose the disposal first');
    expect((await api.call('POST', `/api/retention/requests/${id}/proposal`, { token: t['sarah.mitchell'], body: {} })).status).toBe(403);
    expect((await api.call('POST', `/api/retention/requests/${id}/proposal`, { token: t['grace.lee'], body: { note: 'Due' } })).status).toBe(200);
    // The proposer may not confirm, even holding the director's role as well.
    expect((await api.call('POST', `/api/retention/requests/${id}/disposal`, { token: t['grace.lee'] })).status).toBe(403);
    const grace = await api.server.store.read.directory.get('grace.lee');
    if (!grace) throw new Error('grace.lee is seeded');
    // The server caches the directory; it is refreshed after each change here.
    const refresh = () => (api.server.deps.directory as { invalidate?: () => void }).invalidate?.();
    await api.server.store.people.upsert({ ...grace, roles: ['service_manager', 'service_director'] });
    refresh();
    const same = await api.call('POST', `/api/retention/requests/${id}/disposal`, { token: await api.token('grace.lee') });
    expect(same.status).toBe(403);
    expect(same.body.error?.rule).toBe('two_person_disposal');
    await api.server.store.people.upsert(grace);
    refresh();
    expect((await retention(id, t['sarah.mitchell'])).body.retention).toMatchObject({ status: 'proposed', disposal: null });
    const refusals = await api.server.store.db.selectFrom('audit_entries').select(['action', 'actor_id', 'reason']).where('request_id', '=', id).where('action', 'like', 'refused:%').orderBy('position').execute();
    expect(refusals.map((r) => r.actor_id)).toEqual(['sarah.mitchell', 'grace.lee']);
  });

  test('disposal removes the personal data and evidence, keeps the figures, and the audit chain still verifies', async () => {
    const t = seeded.tokens;
    const id = seeded.ids.shared;
    await api.server.dispatcher.drainOnce();
    at('2032-06-04T09:00:00Z');
    const evidence = await api.server.store.db.selectFrom('evidence_items').select('storage_key').where('request_id', '=', id).execute();
    const documents = await api.server.store.db.selectFrom('record_documents').select('storage_key').where('request_id', '=', id).execute();
    expect(evidence.length).toBe(1);
    expect(documents.length).toBeGreaterThan(0);
    for (const { storage_key } of documents) {
      const docx = await JSZip.loadAsync(await buffer(await api.server.deps.evidence.get(storage_key)));
      const words = ((await docx.file('word/document.xml')?.async('string')) ?? '').replace(/<[^>]+>/g, '');
      expect(words).toContain('Lawful basisUK GDPR Article 6(1)(e)');
      expect(words).toContain('Kept for 6 years from closure (completed and shared)');
      // Filed at sharing, before the documents were placed on the case record and the request closed.
      expect(words).toContain('Kept untilNot yet set: counted from closure');
    }
    const period = '/api/evaluation?from=2026-06-01&to=2026-07-31';
    const before = await api.call('GET', period, { token: t['sarah.mitchell'] });
    await api.server.sequencer.runOnce();
    await anchorCheckpoint(api.server.store.db, signer, folderCheckpointStore(folder), clock.now);

    expect((await api.call('POST', `/api/retention/requests/${id}/proposal`, { token: t['grace.lee'], body: {} })).status).toBe(200);
    await api.server.sequencer.runOnce();
    const done = await api.call('POST', `/api/retention/requests/${id}/disposal`, { token: t['sarah.mitchell'] });
    expect(done.status).toBe(200);
    expect(done.body.retention).toMatchObject({ status: 'disposed', disposal: { proposedBy: 'grace.lee', confirmedBy: 'sarah.mitchell' } });
    expect(done.body.filesToRemove).toBe(0);
    // Its messages are gone; one is owed: every card posted about it replaced by a disposal notice.
    const owed = await api.server.store.db.selectFrom('outbox').select(['kind', 'recipient_id']).where('request_id', '=', id).execute();
    expect(owed).toEqual([{ kind: 'request_disposed', recipient_id: null }]);

    const after = await api.call('GET', period, { token: t['sarah.mitchell'] });
    expect(after.body).toEqual(before.body);

    for (const { storage_key } of [...evidence, ...documents]) await expect(api.server.deps.evidence.get(storage_key)).rejects.toThrow();
    expect((await api.call('GET', `/api/requests/${id}`, { token: t['amelia.hart'] })).status).toBe(404);
    const row = await api.server.store.db.selectFrom('investigation_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const entries = await api.server.store.db.selectFrom('audit_entries').selectAll().where('request_id', '=', id).execute();
    const kept = JSON.stringify({ row, entries });
    for (const personal of [...SEEDED_PERSONAL_DATA, 'jane.doe', 'Acacia', 'Safety plan', 'was open about it', 'CM-']) expect(kept).not.toContain(personal);
    expect(row.reference).toMatch(/^SMC-2026-/);
    expect(entries.length).toBeGreaterThan(10);

    const verification = await verify();
    expect(verification).toMatchObject({ ok: true, unlinked: 0, anchors: 1 });

    const found = await api.call('POST', '/api/disclosures', { token: t['grace.lee'], body: { name: 'Jane Doe' } });
    expect((found.body.requests as { id: string }[]).map((r) => r.id)).not.toContain(id);
    expect((await api.call('POST', `/api/retention/requests/${id}/disposal`, { token: t['sarah.mitchell'] })).status).toBe(409);
  });

  test('disposing of a declined request takes its reason out of the figures, and still counts it', async () => {
    const t = seeded.tokens;
    const id = seeded.ids.declined;
    at('2032-06-05T09:00:00Z');
    const period = '/api/evaluation?from=2026-06-01&to=2026-07-31';
    type Figures = { outcomes: { notProceeding: { outcome: string; requests: number; reasons: { reason: string | null }[] }[] } };
    const declined = (body: unknown) => (body as Figures).outcomes.notProceeding.find((n) => n.outcome === 'declined');
    const before = declined((await api.call('GET', period, { token: t['sarah.mitchell'] })).body);
    expect(before?.reasons.map((r) => r.reason)).toContain('Not yet discussed in supervision');

    expect((await api.call('POST', `/api/retention/requests/${id}/proposal`, { token: t['grace.lee'], body: {} })).status).toBe(200);
    await api.server.sequencer.runOnce();
    expect((await api.call('POST', `/api/retention/requests/${id}/disposal`, { token: t['sarah.mitchell'] })).status).toBe(200);

    const after = declined((await api.call('GET', period, { token: t['sarah.mitchell'] })).body);
    expect(after?.requests).toBe(before?.requests);
    expect(after?.reasons.map((r) => r.reason)).not.toContain('Not yet discussed in supervision');
    const row = await api.server.store.db.selectFrom('investigation_requests').select('last_reason').where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('supervision');
  });

  test('an entry cleared without a disposal naming it fails verification', async () => {
    const db = api.server.store.db;
    await sql`ALTER TABLE audit_entries DISABLE TRIGGER USER`.execute(db);
    try {
      const victim = await db.selectFrom('audit_entries').select(['id', 'seq', 'body_hash']).where('request_id', '=', seeded.ids.july).where('seq', 'is not', null).orderBy('seq').executeTakeFirstOrThrow();
      await db.updateTable('audit_entries').set({ reason: null, detail: null, redacted_at: clock.now.toISOString() }).where('id', '=', victim.id).execute();
      const verification = await verify();
      expect(verification.ok).toBe(false);
      expect(verification.firstBad?.seq).toBe(victim.seq);
    } finally {
      await sql`ALTER TABLE audit_entries ENABLE TRIGGER USER`.execute(db);
    }
  });
});
