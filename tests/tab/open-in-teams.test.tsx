/** @jest-environment jsdom */
/**
 * The tab opened in a plain browser: in local mode the demo sign-in; in Teams mode (no local
 * sign-in on the server) a link that opens the tab inside Teams instead.
 */
import { render, screen } from '@testing-library/react';
import { FluentProvider, teamsLightTheme } from '@fluentui/react-components';
import { SignIn } from '../../tab/src/SignIn';

const TEAMS_LINK = 'https://teams.microsoft.com/l/entity/6d2f2c9e-3d1b-4c8e-9a51-0e5a3c7b9f10/requests';

function serve(routes: Record<string, unknown>): void {
  global.fetch = jest.fn(async (input: RequestInfo | URL) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const body = routes[url];
    return { ok: body !== undefined, status: body !== undefined ? 200 : 404, json: async () => body ?? { error: { code: 'not_found', message: 'Nothing here.' } } } as Response;
  }) as typeof fetch;
}

const show = () => render(<FluentProvider theme={teamsLightTheme}><SignIn onSignedIn={jest.fn()} /></FluentProvider>);

describe('the tab outside Teams', () => {
  it('in Teams mode offers the Teams deep link, not a sign-in', async () => {
    serve({ '/api/host': { localSignIn: false, teamsTabLink: TEAMS_LINK } });
    show();
    const link = await screen.findByRole('link', { name: 'Open Social Media Checks in Teams' });
    expect(link.getAttribute('href')).toBe(TEAMS_LINK);
    expect(screen.queryByText(/local sign-in/)).toBeNull();
  });

  it('in local mode shows the demo people to sign in as', async () => {
    serve({ '/api/host': { localSignIn: true, teamsTabLink: null }, '/api/dev/users': [{ id: 'amelia.hart', displayName: 'Amelia Hart', roles: ['social_worker'] }] });
    show();
    expect(await screen.findByRole('button', { name: 'Sign in as Amelia Hart' })).toBeTruthy();
  });
});
