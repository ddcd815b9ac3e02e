/**
 * Requests taken through the protocol over the API at controlled times, so the pilot's figures can
 * be checked against values worked out by hand. Every subject's name, date of birth and address is
 * listed in SEEDED_PERSONAL_DATA so the exports can be checked for leaks.
 */
import { expireDueRequests } from '../../../src/app/requests/expire-due';
import type { ApiHarness } from '../../support/api-server';
import { PNG_BYTES, requestBody, uploadEvidence } from '../api/helpers';
import { withSupervisionNote } from '../../support/action-body';

export interface SeedClock {
  now: Date;
}

export const PEOPLE = ['amelia.hart', 'ben.okafor', 'tom.reid', 'sarah.mitchell', 'grace.lee', 'hannah.cole', 'imran.malik', 'nina.shaw'] as const;
type Who = (typeof PEOPLE)[number];

const subject = (name: string, dateOfBirth: string, area: string) => ({ kind: 'service_user', name, dateOfBirth, area, relationshipToChild: 'Mother', profileUrl: `https://www.facebook.com/${name.toLowerCase().replace(' ', '.')}` });

export const JANE = subject('Jane Doe', '1990-01-01', '12 Acacia Avenue, Wakefield');
export const MARK = subject('Mark Stone', '1985-05-05', '3 Mill Lane, Pontefract');
export const LUCY = subject('Lucy Fenwick', '1979-09-09', 'Flat 2, Castle Road, Normanton');
export const SEEDED_PERSONAL_DATA = [JANE, MARK, LUCY].flatMap((s) => [s.name, s.dateOfBirth, s.area]).concat(['Child A', '2015-04-01']);

export interface Seeded {
  tokens: Record<Who, string>;
  ids: Record<'shared' | 'withdrawn' | 'declined' | 'refused' | 'lapsed' | 'open' | 'cancelled' | 'july', string>;
}

export async function seedWorkflows(api: ApiHarness, clock: SeedClock): Promise<Seeded> {
  const t = await api.tokens(...PEOPLE);
  const at = (iso: string) => {
    clock.now = new Date(iso);
  };
  const create = async (subjects: unknown[], when: string) => {
    at(when);
    const created = await api.call('POST', '/api/requests', { token: t['amelia.hart'], body: requestBody({ subjects }) });
    if (created.status !== 201) throw new Error(JSON.stringify(created.body));
    return created.body.id as string;
  };
  const act = async (who: Who, id: string, action: string, when: string, body: Record<string, unknown> = {}) => {
    at(when);
    const current = await api.call('GET', `/api/requests/${id}`, { token: t[who] });
    const response = await api.call('POST', `/api/requests/${id}/actions/${action}`, { token: t[who], body: { version: current.body.version, ...withSupervisionNote(action, body) } });
    if (response.status !== 200) throw new Error(`${action}: ${JSON.stringify(response.body)}`);
    return response.body;
  };

  // Shared: 2 h to agree, 24 h to authorise, 3 h to claim, 1 h to search, 4 h to finalise, 30 min to share; 45 minutes searched.
  const shared = await create([JANE, MARK], '2026-06-02T08:00:00Z');
  await act('amelia.hart', shared, 'submit', '2026-06-02T09:00:00Z');
  await act('tom.reid', shared, 'agree', '2026-06-02T11:00:00Z');
  await act('sarah.mitchell', shared, 'authorise', '2026-06-03T11:00:00Z');
  await act('hannah.cole', shared, 'claim', '2026-06-03T14:00:00Z');
  await act('hannah.cole', shared, 'confirm-legitimacy', '2026-06-03T14:05:00Z');
  at('2026-06-03T14:10:00Z');
  const session = await api.call('POST', `/api/requests/${shared}/search-sessions`, { token: t['hannah.cole'], body: { corporateAccount: true } });
  const view = await api.call('GET', `/api/requests/${shared}`, { token: t['hannah.cole'] });
  const [jane, mark] = (view.body.subjects ?? []).map((s) => s.id);
  // Captured, and recorded, twenty minutes into the session (a capture time ahead of the clock is refused).
  at('2026-06-03T14:30:00Z');
  const evidence = await uploadEvidence(api, t['hannah.cole'], shared, { subjectId: jane, capturedAt: '2026-06-03T14:20:00Z' }, PNG_BYTES, 'jane.png');
  if (evidence.status !== 201) throw new Error(`evidence: ${JSON.stringify(evidence.body)}`);
  at('2026-06-03T14:55:00Z');
  await api.call('POST', `/api/requests/${shared}/search-sessions/${session.body.id as string}/end`, { token: t['hannah.cole'] });
  await api.call('PUT', `/api/requests/${shared}/log`, {
    token: t['hannah.cole'],
    body: {
      findings: [
        { subjectId: jane, visibility: 'public', profileUrl: JANE.profileUrl, summary: 'Jane Doe pictured with the named adult at 12 Acacia Avenue' },
        { subjectId: mark, visibility: 'not_found', summary: 'No profile found' },
      ],
    },
  });
  await act('hannah.cole', shared, 'complete-log', '2026-06-03T15:00:00Z');
  at('2026-06-03T16:00:00Z');
  await api.call('PUT', `/api/requests/${shared}/log`, {
    token: t['amelia.hart'],
    body: { assessment: { summary: 'Confirms Jane Doe still sees him', usefulPieces: 3, uniquePieces: 2, contribution: 'considerable', actionsTaken: 'Safety plan reviewed' } },
  });
  await act('amelia.hart', shared, 'finalise', '2026-06-03T19:00:00Z');
  await act('amelia.hart', shared, 'share', '2026-06-03T19:30:00Z');
  at('2026-06-05T09:00:00Z');
  // The feedback form, given later, counts in the evaluation over the log's assessment (3, 2, considerable).
  await api.call('PUT', `/api/requests/${shared}/feedback`, { token: t['amelia.hart'], body: { timesUsed: 1, usefulPieces: 4, uniquePieces: 3, contribution: 'significant', comments: 'Jane Doe was open about it' } });

  const withdrawn = await create([JANE], '2026-06-04T09:00:00Z');
  await act('amelia.hart', withdrawn, 'submit', '2026-06-04T09:30:00Z');
  await act('amelia.hart', withdrawn, 'withdraw', '2026-06-04T12:00:00Z', { reason: 'Family moved out of the area' });

  const declined = await create([MARK], '2026-06-08T09:00:00Z');
  await act('amelia.hart', declined, 'submit', '2026-06-08T09:00:00Z');
  await act('tom.reid', declined, 'decline', '2026-06-08T13:00:00Z', { reason: 'Not yet discussed in supervision' });

  const refused = await create([LUCY], '2026-06-09T09:00:00Z');
  await act('amelia.hart', refused, 'submit', '2026-06-09T09:00:00Z');
  await act('tom.reid', refused, 'agree', '2026-06-09T10:00:00Z');
  await act('sarah.mitchell', refused, 'refuse', '2026-06-09T16:00:00Z', { reason: 'Try the school first' });

  const cancelled = await create([LUCY], '2026-06-10T09:00:00Z');
  await act('amelia.hart', cancelled, 'submit', '2026-06-10T09:00:00Z');
  await act('tom.reid', cancelled, 'agree', '2026-06-10T10:00:00Z');
  await act('sarah.mitchell', cancelled, 'cancel', '2026-06-10T11:00:00Z', { reason: 'Court hearing moved' });

  // Authorised, never searched: lapses 28 days later.
  const lapsed = await create([MARK], '2026-06-11T09:00:00Z');
  await act('amelia.hart', lapsed, 'submit', '2026-06-11T09:00:00Z');
  await act('tom.reid', lapsed, 'agree', '2026-06-11T10:00:00Z');
  await act('sarah.mitchell', lapsed, 'authorise', '2026-06-11T12:00:00Z');
  at('2026-07-10T09:00:00Z');
  await expireDueRequests(api.server.deps);

  const open = await create([JANE], '2026-06-12T09:00:00Z');
  await act('amelia.hart', open, 'submit', '2026-06-12T09:00:00Z');
  await act('tom.reid', open, 'agree', '2026-06-12T15:00:00Z');

  const july = await create([LUCY], '2026-07-01T09:00:00Z');
  await act('amelia.hart', july, 'submit', '2026-07-01T09:00:00Z');

  at('2026-07-15T09:00:00Z');
  return { tokens: t, ids: { shared, withdrawn, declined, refused, lapsed, open, cancelled, july } };
}
