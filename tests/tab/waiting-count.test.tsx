/** @jest-environment jsdom */
/**
 * The header's "N waiting for you": a link to that list, asked again after each change the person
 * makes (it stayed at the old count after agreeing until the next navigation) and on focus.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import App from '../../tab/src/App';
import type { RequestPage } from '../../tab/src/types';
import { apiRequest, renderInTab, signedIn, stubApi, stubResizeObserver } from './fixtures';

const request = apiRequest({ allowedActions: [{ action: 'agree', reasonRequired: false }], waitingForMe: true });

function setup(path: string) {
  stubResizeObserver();
  // jsdom has no scrolling; the router scrolls to the top on each navigation.
  window.scrollTo = () => undefined;
  window.history.replaceState(null, '', path);
  const state = { waiting: 1 };
  const page = (): RequestPage => ({ items: state.waiting > 0 ? [{ ...request, overdue: false }] : [], nextCursor: null, counts: { waitingForMe: state.waiting } });
  const api = stubApi({
    get: async <T,>(p: string): Promise<T> => {
      if (p === '/api/me') return signedIn('tom', 'Tom Reid', ['team_manager']) as T;
      if (p.startsWith('/api/requests?')) return page() as T;
      if (p === '/api/requests/r1') return request as T;
      if (p === '/api/surveys/ask') return { ask: false } as T;
      return [] as T;
    },
    send: async <T,>(_m: string, p: string): Promise<T> => {
      if (p === '/api/surveys/ask') return { ask: false } as T;
      state.waiting = 0;
      return { ...request, version: 2, allowedActions: [], waitingForMe: false, state: 'awaiting_service_director' } as T;
    },
  });
  const rendered = renderInTab(<App hostKind="local" deepLinkRequestId={null} signOut={() => undefined} />, { api });
  return { ...rendered, state };
}

afterEach(() => window.history.replaceState(null, '', '/'));

describe('the count of what waits for the person', () => {
  it('links to the list of what waits for them', async () => {
    const { user } = setup('/admin-nowhere');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    const link = await within(nav).findByRole('link', { name: '1 waiting for you' });
    expect(link.getAttribute('href')).toBe('/?view=waiting');
    await user.click(link);
    const tab = await screen.findByRole('tab', { name: 'Waiting for me (1)' });
    expect(tab.getAttribute('aria-selected')).toBe('true');
  });

  it('is asked again after the person acts, without navigating', async () => {
    const { user } = setup('/requests/r1');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    await within(nav).findByRole('link', { name: '1 waiting for you' });
    await user.click(await screen.findByRole('button', { name: 'Agree' }));
    // Found whether or not jsdom has run Fluent's opening motion yet (with two suites at once on two
    // cores it may not have, and the dialog is then outside the accessibility tree jsdom computes).
    const dialog = await screen.findByRole('dialog', { hidden: true });
    await user.type(within(dialog).getByLabelText(/Supervision note/), 'Discussed on 01/11/2026.');
    await user.click(within(dialog).getByRole('button', { name: 'Agree' }));
    await waitFor(() => expect(within(nav).queryByText(/waiting for you/)).toBeNull());
    expect(window.location.pathname).toBe('/requests/r1');
  });

  it('is asked again when the window regains focus', async () => {
    const { state } = setup('/admin-nowhere');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    await within(nav).findByRole('link', { name: '1 waiting for you' });
    state.waiting = 3;
    act(() => {
      window.dispatchEvent(new Event('focus'));
    });
    expect(await within(nav).findByRole('link', { name: '3 waiting for you' })).toBeTruthy();
  });
});
