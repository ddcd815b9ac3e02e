/** @jest-environment jsdom */
/**
 * The requests list as people use it: it lands on "Waiting for me" with the count when work waits,
 * marks overdue items, and asks the server for the state chosen, the days raised between (typed
 * dd/mm/yyyy, as everywhere in the tab) and the words searched for.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FluentProvider, teamsLightTheme } from '@fluentui/react-components';
import { ApiContext, type Api } from '../../tab/src/api';
import RequestsPage from '../../tab/src/pages/RequestsPage';
import { SessionContext } from '../../tab/src/session';
import type { ApiRequest, RequestPage } from '../../tab/src/types';

const waiting: ApiRequest & { overdue: boolean } = {
  id: 'r1',
  reference: 'SMC-2026-000007',
  state: 'awaiting_team_manager',
  version: 2,
  allowedActions: [{ action: 'agree', reasonRequired: false }],
  abilities: [],
  waitingForMe: true,
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
  overdue: true,
};

/** Answers every list with the one request and records what was asked, as query parameters. */
function setup() {
  const asked: URLSearchParams[] = [];
  const api: Api = {
    get: async <T,>(path: string) => {
      const [route, query] = path.split('?');
      expect(route).toBe('/api/requests');
      const params = new URLSearchParams(query);
      asked.push(params);
      const page: RequestPage = { items: [waiting], nextCursor: null, counts: { waitingForMe: 1 } };
      return page as T;
    },
    send: async () => {
      throw new Error('not used');
    },
    upload: () => {
      throw new Error('not used');
    },
    blob: async () => new Blob(),
  };
  const user = userEvent.setup();
  render(
    <FluentProvider theme={teamsLightTheme}>
      <ApiContext.Provider value={api}>
        <SessionContext.Provider value={{ me: { id: 'tom', displayName: 'Tom Reid', roles: ['social_worker', 'team_manager'] }, hostKind: 'local', signOut: () => undefined }}>
          <RequestsPage />
        </SessionContext.Provider>
      </ApiContext.Provider>
    </FluentProvider>,
  );
  /** The list's latest question (not the count the page asks for first). */
  const last = () => asked.filter((p) => p.get('limit') === '200').at(-1);
  return { user, asked, last };
}

describe('the requests list', () => {
  it('lands on "Waiting for me" with its count when work waits, and marks the overdue request', async () => {
    const { last } = setup();
    const tab = await screen.findByRole('tab', { name: 'Waiting for me (1)' }, { timeout: 5000 });
    await waitFor(() => expect(tab.getAttribute('aria-selected')).toBe('true'));
    const list = await screen.findByRole('list', { name: 'Requests' }, { timeout: 5000 });
    expect(within(list).getByRole('link', { name: 'SMC-2026-000007' })).toBeTruthy();
    expect(within(list).getByText(/Overdue/)).toBeTruthy();
    expect(last()?.get('waiting')).toBe('true');
    // "Open" by default: every state but the closed ones, asked of the server.
    expect(last()?.get('state')?.split(',')).toEqual(['draft', 'awaiting_team_manager', 'awaiting_service_director', 'authorised', 'assigned', 'searching', 'on_hold', 'with_originating_worker', 'finalised', 'shared']);
  });

  it('sends the state chosen, and no state for "All"', async () => {
    const { user, last } = setup();
    await screen.findByRole('list', { name: 'Requests' }, { timeout: 5000 });
    await user.selectOptions(screen.getByLabelText('State'), 'Closed');
    await waitFor(() => expect(last()?.get('state')).toBe('closed,declined,refused,cancelled,expired'));
    await user.selectOptions(screen.getByLabelText('State'), 'Awaiting service director');
    await waitFor(() => expect(last()?.get('state')).toBe('awaiting_service_director'));
    await user.selectOptions(screen.getByLabelText('State'), 'All');
    await waitFor(() => expect(last()?.has('state')).toBe(false));
  });

  it('sends the days raised between, typed as UK dates, with the words searched for', async () => {
    const { user, last } = setup();
    await screen.findByRole('list', { name: 'Requests' }, { timeout: 5000 });
    await user.type(screen.getByLabelText('Raised from'), '01/11/2026');
    await user.type(screen.getByLabelText('Raised to'), '30/11/2026');
    await user.type(screen.getByLabelText('Search'), 'Smith');
    await waitFor(() => expect(last()?.get('q')).toBe('Smith'), { timeout: 5000 });
    expect(last()?.get('raisedFrom')).toBe('2026-11-01');
    expect(last()?.get('raisedTo')).toBe('2026-11-30');
  });

  it('refuses an impossible date in the same format and asks nothing until it is put right', async () => {
    const { user, asked, last } = setup();
    await screen.findByRole('list', { name: 'Requests' }, { timeout: 5000 });
    const before = asked.length;
    const from = screen.getByLabelText('Raised from');
    await user.type(from, '31/02/2026');
    await user.tab();
    expect(await screen.findByText('Enter the first day raised as a real date, day/month/year, for example 14/03/2026.')).toBeTruthy();
    expect(from.getAttribute('aria-invalid')).toBe('true');
    expect(asked.length).toBe(before);

    await user.clear(from);
    await user.type(from, '28/02/2026');
    await user.tab();
    // Shown back as typed in the UK, and sent as the day it names.
    expect((from as HTMLInputElement).value).toBe('28/02/2026');
    await waitFor(() => expect(last()?.get('raisedFrom')).toBe('2026-02-28'), { timeout: 5000 });
    expect(screen.queryByText(/as a real date/)).toBeNull();
  });
});
