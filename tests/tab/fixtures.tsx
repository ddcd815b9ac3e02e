/**
 * What the tab's jsdom tests share: a request as the API answers it, an API stand-in that fails
 * loudly on any call a test did not expect, and the providers every page renders inside.
 */
import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FluentProvider, teamsLightTheme } from '@fluentui/react-components';
import { ApiContext, type Api } from '../../tab/src/api';
import { SessionContext } from '../../tab/src/session';
import type { ApiRequest, EvidenceItem, Me } from '../../tab/src/types';

/** A request awaiting its team manager, with one child and one person to check; override the rest. */
export function apiRequest(overrides: Partial<ApiRequest> = {}): ApiRequest {
  return {
    id: 'r1',
    reference: 'SMC-2026-000007',
    state: 'awaiting_team_manager',
    version: 1,
    allowedActions: [],
    abilities: [],
    waitingForMe: false,
    caseReference: 'CMS-1',
    children: [{ name: 'Riley Smith' }],
    concernCategories: ['risky_behaviour'],
    concernDetails: 'x',
    justification: 'y',
    subjects: [{ id: 's1', kind: 'service_user', name: 'Jordan Smith' }],
    period: { from: '2026-08-01', to: '2026-11-01' },
    monitoring: null,
    neededBy: '2026-12-01',
    originatingWorkerId: 'amelia',
    teamManagerId: 'tom',
    agreement: null,
    authorisation: null,
    designatedAccessWorkerId: null,
    accessWorkerId: null,
    doubtResolvers: [],
    stateBeforeHold: null,
    doubts: [],
    caseRecordPlacement: null,
    log: null,
    feedback: null,
    lastReason: null,
    firstSearchStartedAt: null,
    linkedFromRequestId: null,
    sharedWith: [],
    createdAt: '2026-11-01T10:00:00Z',
    updatedAt: '2026-11-01T10:00:00Z',
    submittedAt: '2026-11-01T10:00:00Z',
    closedAt: null,
    stateLabel: 'Awaiting team manager',
    nextStep: 'The team manager agrees, returns or declines the request.',
    people: {},
    searchWindowClosesAt: null,
    oneOffReviewDays: 7,
    followUpOpensAt: null,
    earlierChecks: null,
    ageDays: 0,
    today: '2026-11-01',
    retention: { lawfulBasis: 'Children Act 1989', rule: 'Kept while the request is open.', retainUntil: null },
    ...overrides,
  };
}

/** The signed-in person as `GET /api/me` answers. */
export function signedIn(id: string, displayName: string, roles: Me['roles']): Me {
  return { id, displayName, roles, managerId: null, aadObjectId: `aad-${id}`, team: null, email: null };
}

/** An evidence item as the API answers it; override the rest. */
export function evidenceItem(overrides: Partial<EvidenceItem> = {}): EvidenceItem {
  return {
    id: 'e1',
    requestId: 'r1',
    subjectId: 's1',
    fileName: 'one.png',
    contentType: 'image/png',
    size: 4,
    sha256: 'ab'.repeat(32),
    webUrl: null,
    sourceUrl: 'https://www.facebook.com/jordan.smith/photos/1',
    capturedAt: '2026-11-25T10:30:00Z',
    capturedBy: 'imran',
    description: 'Photograph',
    publiclyVisible: true,
    correctsEvidenceId: null,
    correctionReason: null,
    uploadStatus: 'stored',
    createdAt: '2026-11-25T10:31:00Z',
    ...overrides,
  };
}

const unexpected = (what: string) => new Error(`${what} was not expected in this test`);

/** The calls a test answers; any other call fails as the real one would, by rejecting (or throwing, for an upload). */
export function stubApi(parts: Partial<Api>): Api {
  return {
    get: async () => {
      throw unexpected('GET');
    },
    send: async () => {
      throw unexpected('A write');
    },
    upload: () => {
      throw unexpected('An upload');
    },
    blob: async () => new Blob(),
    ...parts,
  };
}

/** Renders inside the tab's providers, signed in as `me` when given; returns a user-event session. */
export function renderInTab(ui: ReactElement, options: { api: Api; me?: Me }) {
  const user = userEvent.setup();
  const content = options.me ? <SessionContext.Provider value={{ me: options.me, hostKind: 'local', signOut: () => undefined }}>{ui}</SessionContext.Provider> : ui;
  const rendered = render(
    <FluentProvider theme={teamsLightTheme}>
      <ApiContext.Provider value={options.api}>{content}</ApiContext.Provider>
    </FluentProvider>,
  );
  return { user, ...rendered };
}

/** jsdom has no ResizeObserver, which Fluent's message bar (an error state) uses to reflow. */
export function stubResizeObserver(): void {
  window.ResizeObserver ??= class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
}
