/** Theme, host and sign-in around the app. */
import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { FluentProvider, teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, makeStyles, tokens, type Theme } from '@fluentui/react-components';
import { ApiContext, createApi } from './api';
import { readLocalSession, writeLocalSession, type Host, type LocalSession, type ThemeName } from './host';
import { Loading } from './components/common';
import { SignIn } from './SignIn';

const App = lazy(() => import('./App'));

const THEMES: Record<ThemeName, Theme> = { light: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

const useStyles = makeStyles({
  // Fluent copies the provider's class onto every portal (dialogs, toasts), which it lays over the
  // whole page: only what a dialog also needs goes here, and the page's own layout goes on `page`.
  provider: {
    color: tokens.colorNeutralForeground1,
    // A 200-character name with no spaces, or a long link, wraps rather than running off a phone's
    // screen and cutting off what follows it, such as the "Checked before" warning (WCAG 1.4.10).
    overflowWrap: 'anywhere',
    // A hint in an empty field (dd/mm/yyyy) must not read as a typed value. High contrast draws
    // both in the same white, so there the hint is also italic and dimmed (still above 7:1).
    '&[data-theme="contrast"] input::placeholder, &[data-theme="contrast"] textarea::placeholder': { fontStyle: 'italic', opacity: 0.7 },
    // Fluent marks a focused text box or dropdown with a thin underline only; a full outline in the
    // theme's focus colour is visible in light, dark and high contrast (WCAG 2.2: 2.4.7, 2.4.11).
    '& .fui-Input:focus-within, & .fui-Textarea:focus-within, & .fui-Select:focus-within, & .fui-Combobox:focus-within, & .fui-Dropdown:focus-within': {
      outlineWidth: tokens.strokeWidthThick,
      outlineStyle: 'solid',
      outlineColor: tokens.colorStrokeFocus2,
      outlineOffset: tokens.strokeWidthThin,
    },
  },
  // On the provider, a portal the height of the window with this opaque background hid the page
  // and took its clicks while a toast was up, and hid the request behind a dialog's backdrop.
  page: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2 },
});

/** The Teams theme around the page and, through Fluent's portals, around its dialogs and toasts. */
export function ThemedPage({ theme, children }: { theme: ThemeName; children: ReactNode }) {
  const styles = useStyles();
  return (
    <FluentProvider theme={THEMES[theme]} className={styles.provider} data-theme={theme}>
      <div className={styles.page}>{children}</div>
    </FluentProvider>
  );
}

export function Root({ host }: { host: Host }) {
  const [theme, setTheme] = useState<ThemeName>(host.theme);
  const [local, setLocal] = useState<LocalSession | null>(() => (host.kind === 'local' ? readLocalSession() : null));
  useEffect(() => host.onThemeChange(setTheme), [host]);
  const api = useMemo(() => createApi(() => host.getToken()), [host]);

  const signIn = (session: LocalSession) => {
    writeLocalSession(session);
    setLocal(session);
  };
  const signOut = () => {
    writeLocalSession(null);
    setLocal(null);
  };

  const signedIn = host.kind === 'teams' || local !== null;
  return (
    <ThemedPage theme={theme}>
      <ApiContext.Provider value={api}>
        {signedIn ? (
          <Suspense fallback={<Loading />}>
            <App key={local?.userId ?? 'teams'} hostKind={host.kind} deepLinkRequestId={host.deepLinkRequestId} signOut={signOut} />
          </Suspense>
        ) : (
          <SignIn onSignedIn={signIn} />
        )}
      </ApiContext.Provider>
    </ThemedPage>
  );
}
