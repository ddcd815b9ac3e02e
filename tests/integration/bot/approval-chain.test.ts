/**
 * The approval chain driven through cards alone, over real HTTP: activities posted to
 * /api/messages as Teams sends them, the bot's outgoing calls received by a local Bot Connector
 * stand-in. Also: duplicate and stale invokes, concurrent approvers, the wrong person.
 */
import type { SqlStore } from '../../../src/store';
import { STORE_BACKENDS } from '../../support/databases';
import { compileSharedSchema } from '../../support/json-schemas';
import { conversationOf, executeData, startBotHarness, verbs, type BotHarness, type CardJson } from './harness';
import { londonDate } from '../../../src/domain/dates';

const validateCard = compileSharedSchema('adaptive-card-1.5.json');

function expectValidCard(card: CardJson | null | undefined): void {
  if (!validateCard(card)) throw new Error(JSON.stringify(validateCard.errors?.slice(0, 3)));
  expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(40 * 1024);
}

/** Every TextBlock text and fact value: the strings Teams would read as markdown. */
function markdownTexts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => markdownTexts(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
    Object.values(o).forEach((v) => markdownTexts(v, out));
  }
  return out;
}


async function installEveryone(h: BotHarness): Promise<void> {
  for (const person of Object.values(h.people)) await h.install(person);
}

/** Entries for actions taken; refusals are audited too, but change nothing. */
async function auditCount(store: SqlStore, requestId: string): Promise<number> {
  return (await store.read.audit.listForRequest(requestId)).filter((e) => !e.action.startsWith('refused:')).length;
}

describe.each(STORE_BACKENDS)('the bot over HTTP (%s)', (_backend, openStore) => {
  let store: SqlStore;
  let h: BotHarness;

  beforeEach(async () => {
    store = await openStore();
    h = await startBotHarness(store);
  });
  afterEach(async () => {
    await h.close();
    await store.close();
  });
  it('stores each person’s conversation on install and answers with help', async () => {
    await h.install(h.people.tm);
    const reference = await h.bot.conversations.find(h.people.tm.aadObjectId);
    expect(reference).toMatchObject({ conversationId: conversationOf(h.people.tm), teamsUserId: `29:${h.people.tm.aadObjectId}`, serviceUrl: h.connector.url });
    const [welcome] = h.connector.calls;
    expect(welcome).toMatchObject({ method: 'POST', conversationId: conversationOf(h.people.tm) });
    expect(JSON.stringify(welcome?.activity)).toContain('waiting for me');
  });

  it('walks a request from submission to claim through cards alone, updating every copy', async () => {
    await installEveryone(h);
    const request = await h.submittedRequest();
    await h.dispatcher.drainOnce();

    // The team manager's card: inputs and buttons for them; valid, small, user text inert.
    const tmCard = h.latestCard(h.people.tm, request.id);
    expectValidCard(tmCard);
    expect(verbs(tmCard).sort()).toEqual(['agree', 'decline', 'return']);
    expect((tmCard?.refresh as { userIds: string[] }).userIds).toEqual([`29:${h.people.tm.aadObjectId}`]);
    for (const text of markdownTexts(tmCard)) expect(text).not.toMatch(/evil\.example|<at>|\*\*bold/);
    expect(JSON.stringify(tmCard)).not.toContain('Hidden Road');
    expect(JSON.stringify(tmCard)).not.toContain('1991');

    const agreed = await h.invoke(h.people.tm, 'agree', executeData(tmCard, 'agree', { note: 'Discussed in supervision.' }));
    expect(agreed).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expectValidCard(agreed.value);
    expect(JSON.stringify(agreed.value)).toContain('Agreed by Tom Reid');
    expect(verbs(agreed.value)).toEqual([]);

    await h.dispatcher.drainOnce();
    // The team manager's posted copy was updated in place (PUT) to show the outcome.
    const tmUpdates = h.connector.calls.filter((c) => c.method === 'PUT' && c.conversationId === conversationOf(h.people.tm));
    expect(tmUpdates.length).toBeGreaterThan(0);
    expect(JSON.stringify(tmUpdates.at(-1)?.activity)).toContain('Agreed by Tom Reid');

    const sdCard = h.latestCard(h.people.sd, request.id);
    expectValidCard(sdCard);
    expect(verbs(sdCard).sort()).toEqual(['authorise', 'refuse', 'return']);
    // The other service director sees the request too, but Robert Hale holds no conversation: a failed notification, shown in the tab.
    const authorised = await h.invoke(h.people.sd, 'authorise', executeData(sdCard, 'authorise', { subjectIds: '', accessWorkerId: 'register', conditions: 'Look at public posts only.' }));
    // Unticking everyone is refused by the same rule as the API, and nothing changes.
    expect(JSON.stringify(authorised.value)).toContain('Choose at least one person in scope');
    const subjectId = (await store.read.requests.get(request.id))?.form.subjects[0]?.id ?? '';
    // The director's own use-by date, from the card's date input (YYYY-MM-DD), at most the service's limit.
    const useBy = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const authorisedOk = await h.invoke(h.people.sd, 'authorise', executeData(sdCard, 'authorise', { subjectIds: subjectId, accessWorkerId: 'register', conditions: 'Look at public posts only.', useBy }));
    expect(JSON.stringify(authorisedOk.value)).toContain('Authorised by Sarah Mitchell');
    expect(londonDate(new Date((await store.read.requests.get(request.id))?.authorisation?.scope.useBy ?? ''))).toBe(useBy);

    await h.dispatcher.drainOnce();
    const claimCard1 = h.latestCard(h.people.aaw1, request.id);
    const claimCard2 = h.latestCard(h.people.aaw2, request.id);
    expect(verbs(claimCard1)).toEqual(['claim']);
    expect(verbs(claimCard2)).toEqual(['claim']);

    // Two access workers claim at once: exactly one wins, the other is told, with the current card.
    const before = await auditCount(store, request.id);
    const [r1, r2] = await Promise.all([h.invoke(h.people.aaw1, 'claim', executeData(claimCard1, 'claim')), h.invoke(h.people.aaw2, 'claim', executeData(claimCard2, 'claim'))]);
    const texts = [JSON.stringify(r1.value), JSON.stringify(r2.value)];
    expect(texts.filter((t) => t.includes('nothing was changed') || t.includes('Not done')).length).toBe(1);
    expect(await auditCount(store, request.id)).toBe(before + 1);
    const after = await store.read.requests.get(request.id);
    expect(after?.state).toBe('assigned');
    const winner = after?.accessWorkerId === h.people.aaw1.id ? h.people.aaw1 : h.people.aaw2;
    const loser = winner === h.people.aaw1 ? h.people.aaw2 : h.people.aaw1;

    await h.dispatcher.drainOnce();
    // The loser's copy now shows who took it, and no button.
    const loserCopy = h.latestCard(loser, request.id);
    expect(verbs(loserCopy)).toEqual([]);
    expect(JSON.stringify(loserCopy)).toContain(`Access worker: ${winner.displayName}`);
    // Updating the loser's copy was the bot's doing: no refusal is written in their name.
    const refusals = await store.db.selectFrom('audit_entries').select(['action', 'actor_id']).where('request_id', '=', request.id).where('action', '=', 'refused:view').execute();
    expect(refusals).toEqual([]);
    // Every card that went out validates.
    for (const call of h.connector.calls) {
      for (const a of (call.activity.attachments ?? []) as { content: CardJson }[]) expectValidCard(a.content);
    }

    // One card per request per person: later steps updated it in place, and a short plain line
    // said what changed when the person's part moved on (the social worker heard of each step).
    const cardsPosted = new Map<string, number>();
    for (const call of h.connector.calls) {
      const cards = ((call.activity.attachments ?? []) as { content: CardJson }[]).filter((a) => JSON.stringify(a.content).includes(request.id));
      if (call.method === 'POST' && cards.length > 0) cardsPosted.set(call.conversationId, (cardsPosted.get(call.conversationId) ?? 0) + 1);
    }
    expect(cardsPosted.size).toBeGreaterThanOrEqual(5);
    expect([...cardsPosted.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    const reference = (await store.read.requests.get(request.id))?.reference ?? 'missing';
    const oswLines = h.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === conversationOf(h.people.osw) && typeof c.activity.text === 'string' && c.activity.text.startsWith(reference));
    expect(oswLines.length).toBeGreaterThan(0);
    expect(oswLines.every((c) => !c.activity.attachments)).toBe(true);
  });

  it('a disposed request’s cards are replaced, in every chat, by one saying only that it was disposed of', async () => {
    for (const person of [h.people.osw, h.people.tm]) await h.install(person);
    const request = await h.submittedRequest();
    await h.dispatcher.drainOnce();
    const copies = h.connector.calls.filter((c) => c.method === 'POST' && JSON.stringify(c.activity.attachments ?? []).includes(request.id));
    expect(copies.length).toBeGreaterThan(0);
    const reference = (await store.read.requests.get(request.id))?.reference ?? 'missing';
    await store.transaction((uow) => uow.outbox.add([{ requestId: request.id, recipientId: null, kind: 'request_disposed', payload: { reference, disposedAt: '2032-06-04T09:00:00.000Z' } }]));
    const before = h.connector.calls.length;
    // The outbox stamps a message with the database's clock, which may be a moment ahead of the dispatcher's.
    for (let tries = 0; tries < 50 && h.connector.calls.length - before < copies.length; tries += 1) {
      await h.dispatcher.drainOnce();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const replaced = h.connector.calls.slice(before);
    expect(replaced.map((c) => [c.method, c.conversationId, c.activityId]).sort()).toEqual(copies.map((c) => ['PUT', c.conversationId, c.activityId]).sort());
    for (const call of replaced) {
      const card = ((call.activity.attachments ?? []) as { content: CardJson }[])[0]?.content;
      expectValidCard(card as CardJson);
      const text = JSON.stringify(card);
      expect(text).toContain(`${reference}: disposed of`);
      expect(text).toContain('disposed of on 04/06/2032');
      for (const personal of ['Jane Doe', 'CASE-4411', 'Child B', 'Hidden Road', 'partner', request.id]) expect(text).not.toContain(personal);
    }
  });

  it('a repeated invoke (Teams retrying) and a stale card make no second transition', async () => {
    await installEveryone(h);
    const request = await h.submittedRequest();
    await h.dispatcher.drainOnce();
    const data = executeData(h.latestCard(h.people.tm, request.id), 'agree');
    await h.invoke(h.people.tm, 'agree', data);
    const audited = await auditCount(store, request.id);
    const retry = await h.invoke(h.people.tm, 'agree', data);
    expect(retry.statusCode).toBe(200);
    expect(JSON.stringify(retry.value)).toContain('nothing was changed');
    expect(JSON.stringify(retry.value)).toContain('Agreed by Tom Reid');
    const stale = await h.invoke(h.people.tm, 'decline', { ...data, reasonDecline: 'Too late' });
    expect(JSON.stringify(stale.value)).toContain('nothing was changed');
    expect(await auditCount(store, request.id)).toBe(audited);
    expect((await store.read.requests.get(request.id))?.state).toBe('awaiting_service_director');
  });

  it('the wrong person gets a card message saying why, not an error, and nothing changes', async () => {
    await installEveryone(h);
    const request = await h.submittedRequest();
    await h.dispatcher.drainOnce();
    const data = executeData(h.latestCard(h.people.tm, request.id), 'agree');
    const reply = await h.invoke(h.people.aaw1, 'agree', data);
    expect(reply.statusCode).toBe(200);
    expect(reply.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(reply.value)).toMatch(/Not found|Not done/);
    const osw = await h.invoke(h.people.osw, 'agree', data);
    expect(JSON.stringify(osw.value)).toContain('Not done');
    expect(verbs(osw.value)).toEqual([]);
    expect((await store.read.requests.get(request.id))?.state).toBe('awaiting_team_manager');
  });

  it('answers the chat commands with summary cards', async () => {
    await installEveryone(h);
    await h.submittedRequest();
    await h.post(h.activityFrom(h.people.tm, 'message', { text: 'waiting for me' }));
    await h.post(h.activityFrom(h.people.osw, 'message', { text: 'My requests' }));
    await h.post(h.activityFrom(h.people.sm, 'message', { text: 'hello' }));
    const last = (person: typeof h.people.tm) => h.connector.calls.filter((c) => c.conversationId === conversationOf(person)).at(-1)?.activity;
    expect(JSON.stringify(last(h.people.tm))).toContain('Waiting for you');
    expect(JSON.stringify(last(h.people.tm))).toContain('SMC-');
    expect(JSON.stringify(last(h.people.osw))).toContain('Your requests');
    expect(JSON.stringify(last(h.people.sm))).toContain('waiting for me');
  });

  it('never lists requests in a team channel', async () => {
    await h.submittedRequest();
    const inChannel = h.activityFrom(h.people.tm, 'message', {
      text: '<at>Social Media Checks</at> waiting for me',
      conversation: { conversationType: 'channel', tenantId: 'tenant-1', id: '19:channel@thread.tacv2', isGroup: true },
    });
    expect((await h.post(inChannel)).status).toBe(200);
    const reply = h.connector.calls.filter((c) => c.conversationId === '19:channel@thread.tacv2').at(-1)?.activity;
    expect(JSON.stringify(reply)).not.toContain('SMC-');
    expect(JSON.stringify(reply)).toContain('waiting for me');
    expect(await h.bot.conversations.find(h.people.tm.aadObjectId)).toBeNull();
  });

  it('refuses activities that are not activities, and unauthenticated ones from a non-loopback service URL', async () => {
    expect((await h.post({ hello: 'world' })).status).toBe(400);
    const forged = h.activityFrom(h.people.tm, 'message', { text: 'help', serviceUrl: 'https://attacker.example/' });
    expect((await h.post(forged)).status).toBe(401);
  });

  it('records a person who has not installed the app as a failed notification, and sends their cards on install', async () => {
    await h.install(h.people.osw);
    const request = await h.submittedRequest();
    await h.dispatcher.drainOnce();
    const messages = await store.read.outbox.listForRequest(request.id);
    const forTm = messages.find((m) => m.recipientId === h.people.tm.id && m.kind === 'agree_request');
    expect(forTm).toMatchObject({ status: 'failed' });
    expect(forTm?.lastError).toContain('has not installed');
    await h.install(h.people.tm);
    expect(verbs(h.latestCard(h.people.tm, request.id))).toContain('agree');
    // The request then says the card reached them, rather than asking someone to chase or retry it.
    const settled = (await store.read.outbox.listForRequest(request.id)).find((m) => m.id === forTm?.id);
    expect(settled).toMatchObject({ status: 'sent', lastError: 'Delivered when they installed the app: its current card was posted then.' });
  });
});
