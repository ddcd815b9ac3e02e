/** @jest-environment jsdom */
/** Inside Teams: teams-js is initialised, the SSO token is asked for on every call, the theme and deep link follow Teams. */
import { createTeamsHost, detectHost } from '../../tab/src/host';
import { createApi } from '../../tab/src/api';

const themeHandlers: ((theme: string) => void)[] = [];
const getAuthToken = jest.fn(async () => 'sso-token');
const initialize = jest.fn(async () => undefined);

jest.mock('@microsoft/teams-js', () => ({
  app: {
    initialize: () => initialize(),
    getContext: async () => ({ app: { theme: 'dark' }, page: { subPageId: 'req-42' } }),
    notifySuccess: () => undefined,
    registerOnThemeChangeHandler: (handler: (theme: string) => void) => themeHandlers.push(handler),
  },
  authentication: { getAuthToken: () => getAuthToken() },
}));

describe('Teams host', () => {
  beforeEach(() => {
    getAuthToken.mockClear();
    initialize.mockReset();
    initialize.mockResolvedValue(undefined);
  });

  it('takes the theme and the deep-linked request from the Teams context', async () => {
    const host = await createTeamsHost();
    expect(host.kind).toBe('teams');
    expect(host.theme).toBe('dark');
    expect(host.deepLinkRequestId).toBe('req-42');
  });

  it('follows theme changes', async () => {
    const host = await createTeamsHost();
    const seen: string[] = [];
    host.onThemeChange((t) => seen.push(t));
    themeHandlers.at(-1)?.('contrast');
    themeHandlers.at(-1)?.('default');
    expect(seen).toEqual(['contrast', 'light']);
  });

  it('sends the SSO token with every API call', async () => {
    const host = await createTeamsHost();
    // jsdom has no Response: a minimal stand-in with what the client reads.
    const fetchMock = jest.fn(async () => ({ ok: true, status: 200, text: async () => '{"ok":true}' }));
    global.fetch = fetchMock as unknown as typeof fetch;
    const api = createApi(() => host.getToken());
    await api.get('/api/me');
    await api.send('POST', '/api/requests/r1/actions/agree', { version: 2 });
    expect(getAuthToken).toHaveBeenCalledTimes(2);
    const calls = fetchMock.mock.calls as unknown as [string, RequestInit][];
    for (const [, init] of calls) expect((init.headers as Record<string, string>).authorization).toBe('Bearer sso-token');
  });

  it('falls back to local mode when a framing page is not Teams', async () => {
    initialize.mockImplementation(() => new Promise(() => undefined));
    const framed = { location: { search: '?inTeams' }, self: 1, top: 2 } as unknown as Window;
    jest.useFakeTimers();
    const pending = detectHost(framed);
    await jest.advanceTimersByTimeAsync(7000);
    jest.useRealTimers();
    expect((await pending).kind).toBe('local');
  });
});
