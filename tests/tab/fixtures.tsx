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
import type { ApiRequest, Me } from '../../tab/src/types';

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
    accessWorkerId: null,
    log: null,
    feedback: null,
    lastReason: null,
    createdAt: '2026-11-01T10:00:00Z',
    updatedAt: '2026-11-01T10:00:00Z',
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
