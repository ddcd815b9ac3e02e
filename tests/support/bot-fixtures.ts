/**
 * People and requests for the bot tests, walked through the real workflow engine so every
 * card is built from a view the API would give.
 */
import { DEFAULT_PROTOCOL_SETTINGS } from '../../src/domain/protocol';
import { toView, type RequestView } from '../../src/app/requests/view';
import type { Directory } from '../../src/app/ports';
import { newDraft, type InvestigationRequest } from '../../src/domain/request';
import type { Person } from '../../src/domain/roles';
import { decide } from '../../src/domain/workflow';

/** User text that must stay inert on every card. */
export const HOSTILE = '**bold** _it_ [click](https://evil.example) <b>html</b> <at>Boss</at> ${reference} # heading';

const person = (id: string, displayName: string, roles: Person['roles'], extra: Partial<Person> = {}): Person => ({
  id,
  displayName,
  aadObjectId: `aad-${id}`,
  roles,
  active: true,
  ...extra,
});

export const PEOPLE = {
  osw: person('p-osw', 'Olivia Worker', ['social_worker'], { managerId: 'p-tm' }),
  tm: person('p-tm', 'Tom Manager', ['team_manager']),
  sd: person('p-sd', 'Sally Director', ['service_director']),
  sm: person('p-sm', 'Sam Service', ['service_manager']),
  aaw1: person('p-aaw1', 'Ann Access', ['access_worker'], { accessWorkerTrainedOn: '2026-01-05' }),
  aaw2: person('p-aaw2', 'Ben Access', ['access_worker'], { accessWorkerTrainedOn: '2026-01-05' }),
};

export const directory: Directory = {
  get: async (id) => Object.values(PEOPLE).find((p) => p.id === id) ?? null,
  byAadObjectId: async (aad) => Object.values(PEOPLE).find((p) => p.aadObjectId === aad) ?? null,
  withRole: async (role) => Object.values(PEOPLE).filter((p) => p.roles.includes(role)),
  all: async () => Object.values(PEOPLE),
};

export const NOW = new Date('2026-11-25T10:00:00Z');

const NO_DETAILS = { name: undefined, otherNames: undefined, dateOfBirth: undefined, area: undefined, relationshipToChild: undefined, profileUrl: undefined, description: undefined };

export function draft(monitoring: boolean, hostile = HOSTILE): InvestigationRequest {
  return newDraft({
    id: '0b6f0d5e-4f4e-4c1a-9b7e-5b8b3a1c2d3e',
    reference: 'SMC-2026-000042',
    form: {
      caseReference: 'CASE-7781',
      team: 'Assessment',
      children: [{ name: 'Child A', dateOfBirth: '2015-03-02' }],
      concernCategories: ['misleading_information', 'other'],
      concernOther: hostile,
      concernDetails: `Claimed separation. ${hostile}`,
      justification: `Triangulates the account. ${hostile}`,
      subjects: [
        { ...NO_DETAILS, id: 's1', kind: 'service_user', name: `Mum ${hostile}`, dateOfBirth: '1990-01-01', area: '1 Secret Street' },
        { ...NO_DETAILS, id: 's2', kind: 'unknown_associate', description: `Tall man, 1 Secret Street ${hostile}` },
      ],
      period: { from: '2026-06-01', to: '2026-11-01' },
      monitoring: monitoring ? { justification: `Ongoing risk ${hostile}`, frequency: 'weekly', endDate: '2027-02-01' } : null,
      urgency: 'urgent',
      neededBy: '2026-12-10',
      linkedFromRequestId: undefined,
    },
    originatingWorkerId: PEOPLE.osw.id,
    linkedFromRequestId: null,
    at: NOW.toISOString(),
  });
}

/** Every state a card can show, reached through the engine. */
export function walk(monitoring: boolean): InvestigationRequest[] {
  const d = draft(monitoring);
  const submitted = decide('submit', { version: 1 }, d, PEOPLE.osw, NOW, { teamManager: PEOPLE.tm }).request;
  const agreed = decide('agree', { version: 2, note: HOSTILE }, submitted, PEOPLE.tm, NOW).request;
  const declined = decide('decline', { version: 2, reason: HOSTILE }, submitted, PEOPLE.tm, NOW).request;
  const returned = decide('return', { version: 3, reason: HOSTILE }, agreed, PEOPLE.sd, NOW).request;
  const refused = decide('refuse', { version: 3, reason: HOSTILE }, agreed, PEOPLE.sd, NOW).request;
  const authorised = decide(
    'authorise',
    { version: 3, conditions: HOSTILE, accessWorkerId: undefined, subjectIds: ['s1'], ...(monitoring ? { reviewDates: ['2026-12-20'] } : {}) },
    agreed,
    PEOPLE.sd,
    NOW,
  ).request;
  const claimed = decide('claim', { version: 4 }, authorised, PEOPLE.aaw1, NOW).request;
  const searching = decide('confirm-legitimacy', { version: 5 }, claimed, PEOPLE.aaw1, NOW).request;
  const onHold = decide('raise-doubt', { version: 6, reason: HOSTILE }, searching, PEOPLE.aaw1, NOW).request;
  return [d, submitted, agreed, declined, returned, refused, authorised, claimed, searching, onHold];
}

export function viewFor(request: InvestigationRequest, viewer: Person): Promise<RequestView> {
  return toView(request, viewer, NOW, directory, DEFAULT_PROTOCOL_SETTINGS);
}

/**
 * The lines a reader sees on a card, in order: each TextBlock, each RichTextBlock's runs joined,
 * each input's label and each button's title — for tests that assert what is shown.
 */
export function cardLines(card: unknown): string[] {
  const lines: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'TextBlock') lines.push(String(o.text));
    if (o.type === 'RichTextBlock') lines.push((o.inlines as { text: string }[]).map((i) => i.text).join(''));
    if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.label === 'string') lines.push(o.label);
    if (typeof o.type === 'string' && o.type.startsWith('Action.') && typeof o.title === 'string') lines.push(o.title);
    // refresh is Teams' own and never shown; everything else is read in order.
    for (const [key, value] of Object.entries(o)) if (key !== 'refresh') visit(value);
  };
  visit(card);
  return lines;
}
