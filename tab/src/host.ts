/**
 * Where the tab runs. Inside Teams it initialises teams-js, takes the SSO token for each
 * API call and follows the Teams theme; in a plain browser (local mode) a seeded person is
 * chosen on the sign-in screen and their token is kept in memory only: never in sessionStorage
 * or localStorage, where any script or window of our origin could read it. Reloading signs out.
 */
export type ThemeName = 'light' | 'dark' | 'contrast';

export interface LocalSession {
  userId: string;
  displayName: string;
  token: string;
}

export interface Host {
  kind: 'teams' | 'local';
  theme: ThemeName;
  /** A request id from a Teams deep link (subEntityId), opened on start. */
  deepLinkRequestId: string | null;
  getToken(): Promise<string>;
  onThemeChange(listener: (theme: ThemeName) => void): void;
}

let localSession: LocalSession | null = null;

export function readLocalSession(): LocalSession | null {
  return localSession;
}

export function writeLocalSession(session: LocalSession | null): void {
  localSession = session;
}

export function themeFromTeams(theme: string | undefined): ThemeName {
  if (theme === 'dark') return 'dark';
  if (theme === 'contrast') return 'contrast';
  return 'light';
}

/** `?theme=dark|contrast` lets local mode (and the e2e tests) show the Teams themes. */
export function themeFromQuery(search: string): ThemeName {
  const value = new URLSearchParams(search).get('theme');
  return value === 'dark' || value === 'contrast' ? value : 'light';
}

/** Teams hosts the tab in an iframe (web, desktop) or a webview with a native bridge (mobile). */
export function looksLikeTeams(win: Window): boolean {
  if (new URLSearchParams(win.location.search).has('inTeams')) return true;
  const bridged = 'nativeInterface' in win;
  let framed = false;
  try {
    framed = win.self !== win.top;
  } catch {
    framed = true;
  }
  return framed || bridged;
}

export function createLocalHost(search: string): Host {
  return {
    kind: 'local',
    theme: themeFromQuery(search),
    deepLinkRequestId: null,
    getToken: async () => {
      const session = readLocalSession();
      if (!session) throw new Error('Not signed in.');
      return session.token;
    },
    onThemeChange: () => undefined,
  };
}

/** Initialises teams-js; rejects if the page is not really inside Teams. */
export async function createTeamsHost(timeoutMs = 6000): Promise<Host> {
  // Loaded only inside Teams so the browser's first page stays small.
  const { app, authentication } = await import('@microsoft/teams-js');
  await Promise.race([
    app.initialize(),
    new Promise((_, reject) => setTimeout(() => reject(new Error('Teams did not answer.')), timeoutMs)),
  ]);
  const context = await app.getContext();
  app.notifySuccess();
  return {
    kind: 'teams',
    theme: themeFromTeams(context.app.theme),
    deepLinkRequestId: context.page.subPageId || null,
    // teams-js caches the token and renews it near expiry, so asking each time is cheap.
    getToken: () => authentication.getAuthToken(),
    onThemeChange: (listener) => app.registerOnThemeChangeHandler((theme) => listener(themeFromTeams(theme))),
  };
}

export async function detectHost(win: Window): Promise<Host> {
  if (looksLikeTeams(win)) {
    try {
      return await createTeamsHost();
    } catch {
      // Framed by something that is not Teams (e.g. a preview page): behave as a browser.
    }
  }
  return createLocalHost(win.location.search);
}
