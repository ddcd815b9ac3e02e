/** @jest-environment jsdom */
/**
 * The requests list as people use it: it lands on "Waiting for me" with the count when work waits,
 * marks overdue items, and asks the server for the state chosen, the days raised between (typed
 * dd/mm/yyyy, as everywhere in the tab) and the words searched for.
 */
import { screen, waitFor, within } from '@testing-library/react';
import RequestsPage from '../../tab/src/pages/RequestsPage';
import type { ApiRequest, RequestPage } from '../../tab/src/types';
import { apiRequest, renderInTab, signedIn, stubApi } from './fixtures';

const waiting: ApiRequest & { overdue: boolean } = {
  ...apiRequest({ version: 2, allowedActions: [{ action: 'agree', reasonRequired: false }], waitingForMe: true }),
  overdue: true,
};

/** Answers every list with the one request and records what was asked, as query parameters. */
function setup() {
  const asked: URLSearchParams[] = [];
  const api = stubApi({
    get: async <T,>(path: string) => {
      const [route, query] = path.split('?');
      expect(route).toBe('/api/requests');
      const params = new URLSearchParams(query);
      asked.push(params);
      const page: RequestPage = { items: [waiting], nextCursor: null, counts: { waitingForMe: 1 } };
      return page as T;
    },
  });
  const { user } = renderInTab(<RequestsPage />, { api, me: signedIn('tom', 'Tom Reid', ['social_worker', 'team_manager']) });
  /** The list's latest question (not the count the page asks for first). */
  const last = () => asked.filter((p) => p.get('limit') === '200').at(-1);
  return { user, asked, last };
}

describe('the requests list', () => {
  it('lands on "Waiting for me" with its count when work waits, and marks the overdue request', async () => {
    const { last } = setup();
    const tab = await screen.findByRole('tab', { name: 'Waiting for me (1)' });
    await waitFor(() => expect(tab.getAttribute('aria-selected')).toBe('true'));
    const list = await screen.findByRole('list', { name: 'Requests' });
    expect(within(list).getByRole('link', { name: 'SMC-2026-000007' })).toBeTruthy();
    expect(within(list).getByText(/Overdue/)).toBeTruthy();
    expect(last()?.get('waiting')).toBe('true');
    // "Open" by default: every state but the closed ones, asked of the server.
    expect(last()?.get('state')?.split(',')).toEqual(['draft', 'awaiting_team_manager', 'awaiting_service_director', 'authorised', 'assigned', 'searching', 'on_hold', 'with_originating_worker', 'finalised', 'shared']);
  });

  it('says a draft was started, not raised, and tells requests on one case apart', async () => {
    const draft = { ...apiRequest({ id: 'd1', reference: 'SMC-2026-000008', state: 'draft', submittedAt: null, updatedAt: '2026-11-03T09:00:00Z', children: [{ name: 'Riley Smith' }, { name: 'Ash Smith' }], subjects: [] }), overdue: false };
    const raised = { ...apiRequest({ createdAt: '2026-10-30T10:00:00Z', subjects: [{ id: 's1', kind: 'service_user', name: 'Jordan Smith' }, { id: 's2', kind: 'family_member', name: 'Sam Jones' }] }), overdue: false };
    const api = stubApi({ get: async <T,>() => ({ items: [draft, raised], nextCursor: null, counts: { waitingForMe: 0 } }) as T });
    renderInTab(<RequestsPage view="mine" />, { api, me: signedIn('amelia', 'Amelia Hart', ['social_worker']) });
    const [first, second] = within(await screen.findByRole('list', { name: 'Requests' })).getAllByRole('listitem') as [HTMLElement, HTMLElement];
    expect(within(first).getByText(/^Draft started 01\/11\/2026, last saved 03\/11\/2026/)).toBeTruthy();
    expect(within(first).queryByText(/Raised/)).toBeNull();
    expect(within(first).getByText('About Riley Smith and 1 other child')).toBeTruthy();
    expect(within(second).getByText(/^Raised 30\/10\/2026, \d+ days ago/)).toBeTruthy();
    expect(within(second).getByText('About Riley Smith · 2 people to check')).toBeTruthy();
  });

  it('sends the state chosen, and no state for "All"', async () => {
    const { user, last } = setup();
    await screen.findByRole('list', { name: 'Requests' });
    await user.selectOptions(screen.getByLabelText('State'), 'Closed');
    await waitFor(() => expect(last()?.get('state')).toBe('closed,declined,refused,cancelled,expired'));
    await user.selectOptions(screen.getByLabelText('State'), 'Awaiting service director');
    await waitFor(() => expect(last()?.get('state')).toBe('awaiting_service_director'));
    await user.selectOptions(screen.getByLabelText('State'), 'All');
    await waitFor(() => expect(last()?.has('state')).toBe(false));
  });

  it('sends the days raised between, typed as UK dates, with the words searched for', async () => {
    const { user, last } = setup();
    await screen.findByRole('list', { name: 'Requests' });
    await user.type(screen.getByLabelText('Raised from'), '01/11/2026');
    await user.type(screen.getByLabelText('Raised to'), '30/11/2026');
    await user.type(screen.getByLabelText('Search'), 'Smith');
    await waitFor(() => expect(last()?.get('q')).toBe('Smith'));
    expect(last()?.get('raisedFrom')).toBe('2026-11-01');
    expect(last()?.get('raisedTo')).toBe('2026-11-30');
  });

  it('refuses an impossible date in the same format and asks nothing until it is put right', async () => {
    const { user, asked, last } = setup();
    await screen.findByRole('list', { name: 'Requests' });
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
    await waitFor(() => expect(last()?.get('raisedFrom')).toBe('2026-02-28'));
    expect(screen.queryByText(/as a real date/)).toBeNull();
  });
});
