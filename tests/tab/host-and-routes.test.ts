/** @jest-environment jsdom */
/** Host detection, theme choice, the local session and the tab's addresses. */
import { createLocalHost, looksLikeTeams, readLocalSession, themeFromQuery, themeFromTeams, writeLocalSession } from '../../tab/src/host';
import { matchRoute } from '../../tab/src/router';

describe('host', () => {
  afterEach(() => writeLocalSession(null));

  it('treats a top-level browser page as local mode', () => {
    expect(looksLikeTeams(window)).toBe(false);
  });

  it('maps the Teams themes and the local ?theme= override', () => {
    expect(themeFromTeams('default')).toBe('light');
    expect(themeFromTeams('dark')).toBe('dark');
    expect(themeFromTeams('contrast')).toBe('contrast');
    expect(themeFromQuery('?theme=dark')).toBe('dark');
    expect(themeFromQuery('?theme=contrast')).toBe('contrast');
    expect(themeFromQuery('?theme=purple')).toBe('light');
    expect(themeFromQuery('')).toBe('light');
  });

  it('keeps the chosen person in memory only (never in web storage), and needs one to call the API', async () => {
    const host = createLocalHost('');
    await expect(host.getToken()).rejects.toThrow('Not signed in.');
    writeLocalSession({ userId: 'amelia.hart', displayName: 'Amelia Hart', token: 't0k' });
    expect(readLocalSession()).toEqual({ userId: 'amelia.hart', displayName: 'Amelia Hart', token: 't0k' });
    await expect(host.getToken()).resolves.toBe('t0k');
    expect(sessionStorage.length).toBe(0);
    expect(localStorage.length).toBe(0);
    writeLocalSession(null);
    expect(readLocalSession()).toBeNull();
  });
});

describe('routes', () => {
  it.each([
    ['/', '', { page: 'requests', view: null }],
    ['/', '?view=waiting', { page: 'requests', view: 'waiting' }],
    ['/', '?view=other', { page: 'requests', view: null }],
    ['/new', '?linkedFrom=r1&describe=Woman%20tagged', { page: 'new', linkedFrom: 'r1', describe: 'Woman tagged' }],
    ['/requests/r1', '', { page: 'request', id: 'r1' }],
    ['/requests/r1/edit', '', { page: 'edit', id: 'r1' }],
    ['/requests/r1/workspace', '', { page: 'workspace', id: 'r1' }],
    ['/requests/r1/assess', '', { page: 'assess', id: 'r1' }],
    ['/requests/r1/feedback', '', { page: 'feedback', id: 'r1' }],
    ['/requests/r1/other', '', { page: 'not-found' }],
    ['/nowhere', '', { page: 'not-found' }],
  ])('%s%s', (path, search, route) => {
    expect(matchRoute(path, search)).toEqual(route);
  });
});
