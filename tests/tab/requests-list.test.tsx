/** @jest-environment jsdom */
/**
 * The Requests page asks the server for each tab and state filter ("Shared with me", open, closed,
 * one state), so a match older than the first page is still listed and "Show more" pages through
 * only what matches; it never filters a loaded page itself.
 */
import { screen, waitFor } from '@testing-library/react';
import type { Api } from '../../tab/src/api';
import RequestsPage from '../../tab/src/pages/RequestsPage';
import type { RequestPage } from '../../tab/src/types';
import { CLOSED_STATES, REQUEST_STATES, type RequestState } from '../../src/domain/states';
import { apiRequest, renderInTab, signedIn, stubApi } from './fixtures';

const OPEN = REQUEST_STATES.filter((s) => !CLOSED_STATES.includes(s));

function listed(id: string, state: RequestState): RequestPage['items'][number] {
  return { ...apiRequest({ id, reference: `SMC-2026-${id}`, state, caseReference: `CM-${id}`, originatingWorkerId: 'amelia.hart', teamManagerId: 'tom.reid' }), overdue: false };
}

/** Answers each list query by what it asks for, the way the server does, and records every path asked. */
function fakeApi(paths: string[]): Api {
  const all = [listed('000001', 'searching'), listed('000002', 'shared'), listed('000003', 'declined')];
  const sharedWithMe = new Set(['000002', '000003']);
  return stubApi({
    get: async <T,>(path: string): Promise<T> => {
      paths.push(path);
      const query = new URLSearchParams(path.split('?')[1]);
      const states = query.get('state')?.split(',');
      const items = all.filter((r) => (!states || states.includes(r.state)) && (query.get('shared') !== 'true' || sharedWithMe.has(r.id)));
      // The first page of "Shared with me" holds one, so the second comes only through its cursor.
      const cursor = query.get('cursor');
      const pageOne = query.get('shared') === 'true' && !cursor ? items.slice(0, 1) : cursor ? items.slice(1) : items;
      const page: RequestPage = { items: pageOne, nextCursor: query.get('shared') === 'true' && !cursor ? 'next' : null, counts: { waitingForMe: 0 } };
      return page as T;
    },
  });
}

function show(paths: string[]) {
  return renderInTab(<RequestsPage />, { api: fakeApi(paths), me: signedIn('tom.reid', 'Tom Reid', ['team_manager']) }).user;
}

// Read straight from the list: role queries over Fluent's tree are slow in jsdom.
const references = () => [...document.querySelectorAll('ul[aria-label="Requests"] a')].map((l) => l.textContent);
const lastList = (paths: string[]) => new URLSearchParams(paths.filter((p) => !p.includes('limit=1&') && !p.endsWith('limit=1')).at(-1)?.split('?')[1]);

describe('the Requests page', () => {
  it('asks for the open states by default, and for the closed ones or one state when chosen', async () => {
    const paths: string[] = [];
    const user = show(paths);
    await waitFor(() => expect(references()).toEqual(['SMC-2026-000001', 'SMC-2026-000002']));
    expect(lastList(paths).get('state')).toBe(OPEN.join(','));

    await user.selectOptions(screen.getByLabelText('State'), 'closed');
    await waitFor(() => expect(references()).toEqual(['SMC-2026-000003']));
    expect(lastList(paths).get('state')).toBe(CLOSED_STATES.join(','));

    await user.selectOptions(screen.getByLabelText('State'), 'shared');
    await waitFor(() => expect(references()).toEqual(['SMC-2026-000002']));
    expect(lastList(paths).get('state')).toBe('shared');

    await user.selectOptions(screen.getByLabelText('State'), 'all');
    await waitFor(() => expect(references()).toHaveLength(3));
    expect(lastList(paths).has('state')).toBe(false);
  });

  it('"Shared with me" asks the server, whatever the state filter, and pages on through the server', async () => {
    const paths: string[] = [];
    const user = show(paths);
    await waitFor(() => expect(references()).toHaveLength(2));
    await user.click(screen.getAllByText('Shared with me')[0]!);
    await waitFor(() => expect(references()).toEqual(['SMC-2026-000002']));
    const asked = lastList(paths);
    expect(asked.get('shared')).toBe('true');
    expect(asked.has('state')).toBe(false);

    await user.click(screen.getByText('Show more'));
    await waitFor(() => expect(references()).toEqual(['SMC-2026-000002', 'SMC-2026-000003']));
    expect(lastList(paths).get('cursor')).toBe('next');
    expect(screen.queryByText('Show more')).toBeNull();
  });
});
