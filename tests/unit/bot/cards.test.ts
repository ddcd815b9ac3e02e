/**
 * Every card the bot can send, for every state and every person, validates against the
 * Adaptive Card 1.5 schema, stays under 40 KB, and shows user text inert.
 */
import { decide, NOTIFICATION_KINDS } from '../../../src/domain/workflow';
import { buildRequestCard, type CardPurpose } from '../../../bot/cards/request-card';
import { buildHelpCard, buildNoticeCard, buildSummaryCard } from '../../../bot/cards/summary-card';
import type { AdaptiveCard } from '../../../bot/cards/render';
import { cardLines, draft, HOSTILE, NOW, PEOPLE, viewFor, walk } from '../../support/bot-fixtures';
import { compileSharedSchema } from '../../support/json-schemas';

const validate = compileSharedSchema('adaptive-card-1.5.json');

const TAB = 'https://smc.example.gov.uk/tab';
const workers = [{ id: PEOPLE.aaw1.id, displayName: PEOPLE.aaw1.displayName }, { id: PEOPLE.aaw2.id, displayName: PEOPLE.aaw2.displayName }];

function expectValid(card: AdaptiveCard): void {
  const ok = validate(card);
  if (!ok) throw new Error(`${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}\n${JSON.stringify(card).slice(0, 2000)}`);
  expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(40 * 1024);
}

/** Every string on the card that a client would treat as markdown. */
function markdownStrings(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => markdownStrings(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
    if (typeof o.title === 'string' && typeof o.value === 'string' && !('type' in o)) out.push(o.value); // FactSet facts
    Object.values(o).forEach((v) => markdownStrings(v, out));
  }
  return out;
}

/** A request whose log has been finalised and shared, seen by the director. */
async function sharedView() {
  const searching = walk(false).find((r) => r.state === 'searching');
  if (!searching) throw new Error('the walk has no searching request');
  return viewFor({ ...searching, state: 'shared', closedAt: searching.updatedAt }, PEOPLE.sd);
}

async function allCards(): Promise<{ label: string; card: AdaptiveCard }[]> {
  const cards: { label: string; card: AdaptiveCard }[] = [];
  const purposes: CardPurpose[] = [...NOTIFICATION_KINDS, 'current'];
  for (const monitoring of [false, true]) {
    for (const request of walk(monitoring)) {
      for (const viewer of Object.values(PEOPLE)) {
        const view = await viewFor(request, viewer);
        for (const purpose of purposes) {
          for (const statusOnly of purpose === 'request_updated' ? [false, true] : [false]) {
            cards.push({
              label: `${request.state}/${viewer.id}/${purpose}/${monitoring}/${statusOnly}`,
              card: buildRequestCard({ view, purpose, viewerTeamsId: `29:${viewer.id}`, accessWorkers: workers, tabUrl: TAB, notice: statusOnly ? HOSTILE : null, statusOnly }),
            });
          }
        }
      }
    }
  }
  const shared = await sharedView();
  cards.push({
    label: 'shared-with-documents',
    card: buildRequestCard({ view: shared, purpose: 'log_shared', viewerTeamsId: null, accessWorkers: [], tabUrl: TAB, documentsUrl: 'https://council.sharepoint.com/sites/smc/Evidence/CM-1/SMC-1/log.docx' }),
  });
  cards.push({ label: 'shared-no-documents', card: buildRequestCard({ view: shared, purpose: 'log_shared', viewerTeamsId: null, accessWorkers: [], tabUrl: TAB }) });
  const views = await Promise.all(walk(true).map((r) => viewFor(r, PEOPLE.sd)));
  cards.push({ label: 'summary', card: buildSummaryCard('Waiting for you', 'Nothing is waiting for you.', views, TAB) });
  cards.push({ label: 'summary-empty', card: buildSummaryCard('Your requests', 'You have no requests.', [], TAB) });
  cards.push({ label: 'help', card: buildHelpCard(TAB, false) });
  cards.push({ label: 'help-unregistered', card: buildHelpCard(TAB, true) });
  cards.push({ label: 'notice', card: buildNoticeCard('Not done', HOSTILE, TAB) });
  return cards;
}

let cache: Promise<{ label: string; card: AdaptiveCard }[]> | null = null;
const everyCard = () => (cache ??= allCards());

describe('Adaptive Cards', () => {
  it('validate against the 1.5 schema and stay under 40 KB', async () => {
    const cards = await everyCard();
    expect(cards.length).toBeGreaterThan(400);
    for (const { label, card } of cards) {
      try {
        expectValid(card);
      } catch (error) {
        throw new Error(`${label}: ${(error as Error).message}`);
      }
    }
  });

  it('never put user text where markdown is interpreted', async () => {
    for (const { card } of await everyCard()) {
      for (const text of markdownStrings(card)) {
        expect(text).not.toContain('evil.example');
        expect(text).not.toContain('<at>');
        expect(text).not.toContain('**bold**');
      }
    }
  });

  it('keep user text verbatim in TextRuns, never evaluated as a template', async () => {
    const [, submitted] = walk(false);
    if (!submitted) throw new Error('no submitted request');
    const card = buildRequestCard({ view: await viewFor(submitted, PEOPLE.tm), purpose: 'agree_request', viewerTeamsId: '29:tm', accessWorkers: [], tabUrl: TAB });
    const json = JSON.stringify(card);
    expect(json).toContain(JSON.stringify(`Claimed separation. ${HOSTILE}`).slice(1, -1));
    expect(json).not.toContain('SMC-2026-000042 # heading');
  });

  it('show the team manager the decision and its inputs, and everyone else only the status', async () => {
    const [, submitted] = walk(false);
    if (!submitted) throw new Error('no submitted request');
    const tmCard = JSON.stringify(buildRequestCard({ view: await viewFor(submitted, PEOPLE.tm), purpose: 'agree_request', viewerTeamsId: '29:tm', accessWorkers: [], tabUrl: TAB }));
    expect(tmCard).toContain('"verb":"agree"');
    // Agreeing asks for the supervision note first (DESIGN §3), in its own part of the card so that Return… and Decline… do not need it.
    expect(tmCard).toContain('{"type":"Input.Text","id":"note","label":"Supervision note","isMultiline":true,"isRequired":true');
    expect(tmCard).toContain('"verb":"decline"');
    expect(tmCard).toContain('"verb":"return"');
    expect(tmCard).toContain('"userIds":["29:tm"]');
    expect(tmCard).toContain('Unknown associate (described in the request)');
    expect(tmCard).toContain('— Service user');
    const oswCard = JSON.stringify(buildRequestCard({ view: await viewFor(submitted, PEOPLE.osw), purpose: 'status_changed', viewerTeamsId: '29:osw', accessWorkers: [], tabUrl: TAB }));
    expect(oswCard).not.toContain('"verb":"agree"');
    expect(oswCard).toContain('"userIds":[]');
  });

  it('carry no dates of birth, addresses or descriptions of people', async () => {
    for (const { card } of await everyCard()) {
      const json = JSON.stringify(card);
      expect(json).not.toContain('1990-01-01');
      expect(json).not.toContain('01/01/1990');
      expect(json).not.toContain('Secret Street');
      expect(json).not.toContain('2015-03-02');
    }
  });

  it('warn the service director about directed surveillance when monitoring is asked for', async () => {
    const agreed = walk(true)[2];
    if (!agreed) throw new Error('no agreed request');
    const json = JSON.stringify(buildRequestCard({ view: await viewFor(agreed, PEOPLE.sd), purpose: 'authorise_request', viewerTeamsId: '29:sd', accessWorkers: workers, tabUrl: TAB }));
    expect(json).toContain('directed surveillance');
    expect(json).toContain('"id":"reviewDate1"');
    expect(json).toContain('Open to the register');
    expect(json).toContain('Ben Access');
  });
});

describe('what each reader sees on a card', () => {
  it('names the reader’s own next step in the headline, and a plain status for someone with none', async () => {
    const [, submitted, agreed] = walk(false);
    if (!submitted || !agreed) throw new Error('the walk is short');
    const tm = buildRequestCard({ view: await viewFor(submitted, PEOPLE.tm), purpose: 'agree_request', viewerTeamsId: '29:tm', accessWorkers: [], tabUrl: TAB });
    expect(JSON.stringify(tm)).toContain('Your turn: agree this check in supervision');
    // A later update of the director's one card still says it is their turn.
    const sd = buildRequestCard({ view: await viewFor(agreed, PEOPLE.sd), purpose: 'request_updated', viewerTeamsId: '29:sd', accessWorkers: workers, tabUrl: TAB });
    expect(JSON.stringify(sd)).toContain('Your turn: authorise this check');
    const osw = buildRequestCard({ view: await viewFor(agreed, PEOPLE.osw), purpose: 'status_changed', viewerTeamsId: '29:osw', accessWorkers: [], tabUrl: TAB });
    expect(JSON.stringify(osw)).not.toContain('Your turn');
    expect(JSON.stringify(osw)).toContain('A social media check you are part of has moved on');
  });

  it('asks the social worker to submit "again" only a draft that was returned', async () => {
    const [unsubmitted, , , , returned] = walk(false);
    if (!unsubmitted || returned?.state !== 'draft') throw new Error('the walk has no returned draft');
    // A card posted before a draft was ever submitted can still be refreshed in the worker's chat.
    const fresh = cardLines(buildRequestCard({ view: await viewFor(unsubmitted, PEOPLE.osw), purpose: 'current', viewerTeamsId: '29:osw', accessWorkers: [], tabUrl: TAB }));
    expect(fresh[0]).toBe('Your turn: finish the request and submit it');
    const back = cardLines(buildRequestCard({ view: await viewFor(returned, PEOPLE.osw), purpose: 'status_changed', viewerTeamsId: '29:osw', accessWorkers: [], tabUrl: TAB }));
    expect(back[0]).toBe('Your turn: edit the request and submit it again');
    expect(back[2]).toBe('Returned to the social worker by Sally Director on 25/11/2026 10:00.');
  });

  it('gives the access worker the director’s use-by date beside the authorisation, until the first search', async () => {
    const [, , agreed, , , , authorised, , searching] = walk(false);
    if (!agreed || !authorised || !searching) throw new Error('the walk is short');
    const lapse = '(the authorisation lapses if no search has started by the end of that day)';
    // Open to the register with no date chosen: the service's limit, 28 days from 25/11/2026.
    const claim = cardLines(buildRequestCard({ view: await viewFor(authorised, PEOPLE.aaw2), purpose: 'claim_request', viewerTeamsId: '29:aaw2', accessWorkers: [], tabUrl: TAB }));
    expect(claim).toContain(`Use by: 23/12/2026 ${lapse}`);
    const chosen = decide('authorise', { version: 3, subjectIds: ['s1'], accessWorkerId: PEOPLE.aaw2.id, useBy: '2026-12-05' }, agreed, PEOPLE.sd, NOW, { accessWorker: PEOPLE.aaw2 }).request;
    const assigned = cardLines(buildRequestCard({ view: await viewFor(chosen, PEOPLE.aaw2), purpose: 'assigned', viewerTeamsId: '29:aaw2', accessWorkers: [], tabUrl: TAB }));
    expect(assigned).toContain(`Use by: 05/12/2026 ${lapse}`);
    expect(assigned.indexOf(`Use by: 05/12/2026 ${lapse}`)).toBe(assigned.findIndex((l) => l.startsWith('Authorised period')) + 1);
    const started = { ...searching, firstSearchStartedAt: '2026-11-25T11:00:00.000Z' };
    const later = cardLines(buildRequestCard({ view: await viewFor(started, PEOPLE.aaw1), purpose: 'request_updated', viewerTeamsId: null, accessWorkers: [], tabUrl: TAB }));
    expect(later.some((l) => l.startsWith('Use by'))).toBe(false);
    // Nor once the request has closed: the use-by can no longer lapse it.
    const cancelled = cardLines(buildRequestCard({ view: await viewFor({ ...authorised, state: 'cancelled' }, PEOPLE.osw), purpose: 'request_updated', viewerTeamsId: null, accessWorkers: [], tabUrl: TAB }));
    expect(cancelled.some((l) => l.startsWith('Use by'))).toBe(false);
  });

  it('says each outcome once: who decided and when, under the state line, without repeating it', async () => {
    const [, , , declined, , refused, authorised, claimed] = walk(false);
    if (!declined || !refused || !authorised || !claimed) throw new Error('the walk is short');
    const lines = async (request: typeof authorised, viewer: typeof PEOPLE.osw) =>
      cardLines(buildRequestCard({ view: await viewFor(request, viewer), purpose: 'request_updated', viewerTeamsId: null, accessWorkers: [], tabUrl: TAB }));
    const claim = await lines(authorised, PEOPLE.aaw2);
    expect(claim.slice(1, 3)).toEqual(['SMC-2026-000042 · Authorised — open to the register', 'Authorised by Sally Director on 25/11/2026 10:00.']);
    expect(claim.filter((l) => /open to the register/i.test(l))).toHaveLength(1);
    expect((await lines(claimed, PEOPLE.osw)).slice(1, 3)).toEqual(['SMC-2026-000042 · Assigned to an access worker', 'Authorised by Sally Director on 25/11/2026 10:00. Access worker: Ann Access.']);
    expect((await lines(declined, PEOPLE.osw)).slice(1, 3)).toEqual(['SMC-2026-000042 · Declined by team manager', 'Declined by Tom Manager on 25/11/2026 10:00.']);
    expect((await lines(refused, PEOPLE.tm)).slice(1, 3)).toEqual(['SMC-2026-000042 · Refused by service director', 'Refused by Sally Director on 25/11/2026 10:00.']);
    // The system lapses an unused authorisation: it is not a person who decided.
    const expired = { ...authorised, state: 'expired' as const, lastReason: { by: 'system', at: '2026-12-24T00:00:00.000Z', reason: 'The authorisation was not used by 23/12/2026.' } };
    expect((await lines(expired, PEOPLE.osw)).slice(1, 4)).toEqual([
      'SMC-2026-000042 · Authorisation expired',
      'Expired on 24/12/2026 00:00.',
      'Reason given: The authorisation was not used by 23/12/2026.',
    ]);
  });

  it('says the period and the next review date once', async () => {
    const [submitted, authorised] = [walk(true)[1], walk(true)[6]];
    if (!submitted || !authorised) throw new Error('the walk is short');
    const before = cardLines(buildRequestCard({ view: await viewFor(submitted, PEOPLE.tm), purpose: 'agree_request', viewerTeamsId: null, accessWorkers: [], tabUrl: TAB }));
    expect(before.filter((l) => l.includes('01/06/2026 to 01/11/2026'))).toEqual(['Period to look at: 01/06/2026 to 01/11/2026']);
    // The authorisation takes the request's period: after it, one line says which it is.
    const after = cardLines(buildRequestCard({ view: await viewFor(authorised, PEOPLE.aaw1), purpose: 'claim_request', viewerTeamsId: null, accessWorkers: [], tabUrl: TAB }));
    expect(after.filter((l) => l.includes('01/06/2026 to 01/11/2026'))).toEqual(['Authorised period: 01/06/2026 to 01/11/2026']);
    expect(after).toContain('Review dates: 20/12/2026 (next)');
  });

  it('gives the reason for a doubt once, on the doubt’s own line', async () => {
    const onHold = walk(false).find((r) => r.state === 'on_hold');
    if (!onHold) throw new Error('the walk has no request on hold');
    const lines = cardLines(buildRequestCard({ view: await viewFor(onHold, PEOPLE.sm), purpose: 'resolve_doubt', viewerTeamsId: null, accessWorkers: [], tabUrl: TAB }));
    expect(lines.filter((l) => l.includes('Boss'))).toEqual(expect.arrayContaining([`Doubt raised by the access worker (Ann Access): ${HOSTILE}`]));
    expect(lines.some((l) => l.startsWith('Reason given:'))).toBe(false);
  });

  it('shows the director the team manager’s supervision note, as inert text', async () => {
    const agreed = walk(false)[2];
    if (!agreed) throw new Error('no agreed request');
    const card = buildRequestCard({ view: await viewFor(agreed, PEOPLE.sd), purpose: 'authorise_request', viewerTeamsId: '29:sd', accessWorkers: workers, tabUrl: TAB });
    const json = JSON.stringify(card);
    expect(json).toContain('Supervision note (');
    expect(json).toContain(JSON.stringify(HOSTILE).slice(1, 40));
    for (const text of markdownStrings(card)) expect(text).not.toContain('evil.example');
  });

  it('keeps the authorised scope and the review dates on every later copy', async () => {
    const claimed = walk(true)[7];
    if (!claimed) throw new Error('no claimed request');
    for (const viewer of [PEOPLE.osw, PEOPLE.tm, PEOPLE.sd]) {
      const json = JSON.stringify(buildRequestCard({ view: await viewFor(claimed, viewer), purpose: 'request_updated', viewerTeamsId: null, accessWorkers: [], tabUrl: TAB }));
      expect(json).toContain('Authorised period');
      expect(json).toContain('Review dates');
      expect(json).toContain('20/12/2026');
      expect(json).toContain('People in the authorised scope');
    }
  });
});

test('the shared card links to the filed log and evidence', async () => {
  const cards = await allCards();
  const shared = cards.find((c) => c.label === 'shared-with-documents');
  expect(shared?.card.actions).toContainEqual({ type: 'Action.OpenUrl', title: 'Open the filed log and evidence', url: 'https://council.sharepoint.com/sites/smc/Evidence/CM-1/SMC-1/log.docx' });
  const withoutDocuments = cards.find((c) => c.label === 'shared-no-documents');
  expect(JSON.stringify(withoutDocuments?.card)).not.toContain('Open the filed log and evidence');
});

test('a one-off card says when searching closes: days from the first session, then the instant', async () => {
  const searching = walk(false).find((r) => r.state === 'searching');
  if (!searching) throw new Error('the walk has no searching request');
  const before = JSON.stringify(buildRequestCard({ view: await viewFor({ ...searching, firstSearchStartedAt: null }, PEOPLE.aaw1), purpose: 'request_updated', viewerTeamsId: null, tabUrl: TAB, accessWorkers: workers }));
  expect(before).toContain('One-off review: searching closes 7 days after the first session');
  const after = JSON.stringify(buildRequestCard({ view: await viewFor({ ...searching, firstSearchStartedAt: '2026-11-25T10:00:00.000Z' }, PEOPLE.aaw1), purpose: 'request_updated', viewerTeamsId: null, tabUrl: TAB, accessWorkers: workers }));
  expect(after).toContain('One-off review: searching closes 02/12/2026 10:00');
});

test('the team manager’s and director’s cards say who was checked before, linking to the earlier requests they may open', async () => {
  const [, submitted] = walk(false);
  if (!submitted) throw new Error('no submitted request');
  const subject = submitted.form.subjects.find((s) => s.name);
  if (!subject) throw new Error('no named person');
  const earlierChecks = [
    { subjectId: subject.id, requestId: '5f2a6c1e-0000-4000-8000-000000000001', reference: 'SMC-2026-000007', authorisedAt: '2026-03-02T10:00:00.000Z', matchedBy: 'profile_link' as const, visible: true },
    { subjectId: subject.id, requestId: '5f2a6c1e-0000-4000-8000-000000000002', reference: 'SMC-2025-000031', authorisedAt: '2025-12-15T10:00:00.000Z', matchedBy: 'name_and_date_of_birth' as const, visible: false },
  ];
  const teamsTab = 'https://teams.microsoft.com/l/entity/00000000-0000-4000-8000-0000000000aa/requests';
  for (const [viewer, purpose] of [[PEOPLE.tm, 'agree_request'], [PEOPLE.sd, 'authorise_request']] as const) {
    const view = { ...(await viewFor(submitted, viewer)), earlierChecks };
    const card = buildRequestCard({ view, purpose, viewerTeamsId: null, accessWorkers: [], tabUrl: teamsTab });
    expectValid(card);
    const json = JSON.stringify(card);
    expect(json).toContain('Checked before in the last 12 months');
    expect(json).toContain('authorised 02/03/2026 (same profile link)');
    expect(json).toContain('authorised 15/12/2025 (same name and date of birth)');
    const context = encodeURIComponent(JSON.stringify({ subEntityId: earlierChecks[0]!.requestId }));
    expect(json).toContain(JSON.stringify(`${teamsTab}?context=${context}`));
    // The earlier request the viewer may not open is named, not linked.
    expect(json).not.toContain(encodeURIComponent(JSON.stringify({ subEntityId: earlierChecks[1]!.requestId })));
  }
  const none = JSON.stringify(buildRequestCard({ view: await viewFor(submitted, PEOPLE.tm), purpose: 'agree_request', viewerTeamsId: null, accessWorkers: [], tabUrl: TAB }));
  expect(none).not.toContain('Checked before');
});

describe('missing or malformed answers on a card', () => {
  it('say "not given" for a draft’s missing dates, never "undefined"', async () => {
    const d = draft(true);
    const monitoring = { justification: 'Ongoing risk', frequency: undefined, endDate: '' };
    const unfinished = { ...d, form: { ...d.form, period: { from: '2026-12-13', to: '' }, neededBy: '', monitoring } };
    const view = await viewFor(unfinished, PEOPLE.osw);
    const lines = cardLines(buildRequestCard({ view, purpose: 'current', viewerTeamsId: null, accessWorkers: [], tabUrl: TAB }));
    expect(lines).toContain('Period to look at: 13/12/2026 to not given');
    expect(lines).toContain('Needed by: not given (urgent)');
    expect(lines).toContain('Kind of check: Monitoring (how often: not given) until not given');
    expect(lines.join('\n')).not.toMatch(/undefined|Invalid|NaN/);
    const summary = cardLines(buildSummaryCard('Your requests', 'You have no requests.', [view], TAB));
    expect(summary).toContain('Case CASE-7781 · needed by not given · The originating social worker completes and submits the request.');
  });

  it('say "not given" for a draft’s other missing answers, never a blank or "undefined"', async () => {
    const d = draft(false);
    const subjects = [{ id: 's1', kind: undefined, name: undefined }];
    const blank = { ...d, form: { ...d.form, caseReference: '', concernCategories: [], subjects } };
    const lines = cardLines(buildRequestCard({ view: await viewFor(blank, PEOPLE.osw), purpose: 'current', viewerTeamsId: null, accessWorkers: [], tabUrl: TAB }));
    expect(lines).toContain('Case: not given');
    expect(lines).toContain('Concern: not given');
    expect(lines).toContain('• Name not given — kind not given');
    expect(lines.join('\n')).not.toMatch(/undefined/);
    const summary = cardLines(buildSummaryCard('Your requests', 'You have no requests.', [await viewFor(blank, PEOPLE.osw)], TAB));
    expect(summary).toContain('Case not given · needed by 10/12/2026 · The originating social worker completes and submits the request.');
  });

  it('say "not given" for a malformed date or instant, rather than failing to build the card', async () => {
    const searching = walk(true).find((r) => r.state === 'searching');
    const authorisation = searching?.authorisation;
    const monitoring = authorisation?.scope.monitoring;
    if (!searching || !authorisation || !monitoring) throw new Error('the walk has no monitoring search');
    const broken = {
      ...searching,
      firstSearchStartedAt: 'yesterday',
      authorisation: {
        ...authorisation,
        at: 'not a time',
        scope: { ...authorisation.scope, period: { from: '2026-02-31', to: '01/11/2026' }, monitoring: { ...monitoring, nextReviewOn: '20261220' } },
      },
    };
    const lines = cardLines(buildRequestCard({ view: await viewFor(broken, PEOPLE.osw), purpose: 'request_updated', viewerTeamsId: null, accessWorkers: [], tabUrl: TAB }));
    expect(lines.find((l) => l.startsWith('Authorised by'))).toMatch(/^Authorised by Sally Director on not given\./);
    expect(lines.find((l) => l.startsWith('Authorised period'))).toBe('Authorised period: not given to not given');
    expect(lines).toContain('Review dates: 20/12/2026; next review by not given');
    expect(lines.join('\n')).not.toMatch(/undefined|Invalid|NaN/);
  });
});
