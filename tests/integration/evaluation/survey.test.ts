/** The process survey: answered at most once a month, and asked at most once a month by the tab and the bot together. */
import { askSurveysByBot } from '../../../src/app/surveys/ask-surveys-by-bot';
import { BACKENDS } from '../../support/databases';
import { startApi, type ApiHarness } from '../../support/api-server';
import { seedWorkflows, type SeedClock, type Seeded } from './seed';

describe.each(BACKENDS)('process survey on %s', (backend) => {
  let api: ApiHarness;
  let seeded: Seeded;
  const clock: SeedClock = { now: new Date('2026-06-01T09:00:00Z') };
  beforeAll(async () => {
    api = await startApi(backend, { clock: { now: () => clock.now } });
    seeded = await seedWorkflows(api, clock);
  }, 240_000);
  afterAll(async () => api.close());

  test('any user answers once a month; ratings are checked', async () => {
    const t = seeded.tokens;
    clock.now = new Date('2026-06-20T10:00:00Z');
    const bad = await api.call('POST', '/api/surveys', { token: t['nina.shaw'], body: { easeOfAuthorisation: 6, effectiveness: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.fields).toEqual({ easeOfAuthorisation: 'Choose a rating from 1 to 5.', effectiveness: 'Choose a rating from 1 to 5.' });
    const first = await api.call('POST', '/api/surveys', { token: t['nina.shaw'], body: { easeOfAuthorisation: 4, effectiveness: 5, comments: 'Quick' } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ personId: 'nina.shaw', easeOfAuthorisation: 4, effectiveness: 5, comments: 'Quick' });
    clock.now = new Date('2026-07-19T10:00:00Z');
    const again = await api.call('POST', '/api/surveys', { token: t['nina.shaw'], body: { easeOfAuthorisation: 2, effectiveness: 2 } });
    expect(again.status).toBe(409);
    expect(again.body.error?.message).toBe('You answered the survey on 20/06/2026: you can answer again from 20/07/2026.');
    clock.now = new Date('2026-07-20T10:00:00Z');
    expect((await api.call('POST', '/api/surveys', { token: t['nina.shaw'], body: { easeOfAuthorisation: 2, effectiveness: 3 } })).status).toBe(201);
    const figures = await api.call('GET', '/api/evaluation?from=2026-06-01&to=2026-07-31', { token: t['grace.lee'] });
    expect(figures.body.survey).toEqual({ answers: 2, medianEase: 3, medianEffectiveness: 4, ease: [0, 1, 0, 1, 0], effectiveness: [0, 0, 1, 0, 1] });
  });

  test('the tab and the bot between them ask each person at most once a month', async () => {
    const t = seeded.tokens;
    clock.now = new Date('2026-06-10T09:00:00Z'); // a week after the shared request
    expect((await api.call('POST', '/api/surveys/ask', { token: t['amelia.hart'] })).body).toEqual({ ask: true });
    expect((await api.call('POST', '/api/surveys/ask', { token: t['amelia.hart'] })).body).toEqual({ ask: false });
    // The bot asks the others who took part in the shared request, not Amelia whom the tab just asked.
    expect(await askSurveysByBot(api.server.deps)).toBe(3);
    const prompts = (await api.server.deps.store.read.outbox.listForRequest(seeded.ids.shared)).filter((m) => m.kind === 'survey_prompt');
    expect(prompts.map((m) => m.recipientId).sort()).toEqual(['hannah.cole', 'sarah.mitchell', 'tom.reid']);
    expect(await askSurveysByBot(api.server.deps)).toBe(0);
    expect((await api.call('POST', '/api/surveys/ask', { token: t['tom.reid'] })).body).toEqual({ ask: false });
    clock.now = new Date('2026-07-10T09:00:00Z');
    expect((await api.call('POST', '/api/surveys/ask', { token: t['tom.reid'] })).body).toEqual({ ask: true });
    expect((await api.call('POST', '/api/surveys/ask', { token: t['amelia.hart'] })).body).toEqual({ ask: true });
  });
});
