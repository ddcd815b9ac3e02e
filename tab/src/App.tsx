/** The signed-in shell: header, navigation and the pages, each loaded on demand. */
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { ApiContext, useApi, type Api } from './api';
import { Link, matchRoute, Router, useRouter } from './router';
import { SessionContext } from './session';
import type { Me, RequestPage } from './types';
import { EmptyState, ErrorState, Loading, PageHeading, useLoad } from './components/common';
import { AppToaster } from './components/toast';

const RequestsPage = lazy(() => import('./pages/RequestsPage'));
const RequestFormPage = lazy(() => import('./pages/RequestFormPage'));
const RequestPage = lazy(() => import('./pages/RequestPage'));
const WorkspacePage = lazy(() => import('./pages/WorkspacePage'));
const AssessPage = lazy(() => import('./pages/AssessPage'));
const FeedbackPage = lazy(() => import('./pages/FeedbackPage'));
const AdminPage = lazy(() => import('./pages/AdminPage'));
const EvaluationPage = lazy(() => import('./pages/EvaluationPage'));
const DeputyPage = lazy(() => import('./pages/DeputyPage'));
const RetentionPage = lazy(() => import('./pages/RetentionPage'));

const useStyles = makeStyles({
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  brand: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  nav: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL, alignItems: 'center' },
  who: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', color: tokens.colorNeutralForeground2 },
  main: { maxWidth: '1040px', margin: '0 auto', padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`, boxSizing: 'border-box' },
  skip: {
    position: 'absolute',
    left: '-10000px',
    ':focus': { left: tokens.spacingHorizontalS, top: tokens.spacingVerticalS, zIndex: 10, padding: tokens.spacingVerticalS, backgroundColor: tokens.colorNeutralBackground1 },
  },
});

interface AppProps {
  hostKind: 'teams' | 'local';
  deepLinkRequestId: string | null;
  signOut(): void;
}

export default function App(props: AppProps) {
  return (
    <Router>
      <Shell {...props} />
    </Router>
  );
}

function Shell({ hostKind, deepLinkRequestId, signOut }: AppProps) {
  const styles = useStyles();
  const api = useApi();
  // Every change a person makes (an action, a saved log, a retry) goes through `send`: counting
  // them lets the header ask again what waits for them, whichever page made the change.
  const [writes, setWrites] = useState(0);
  const counted = useMemo<Api>(
    () => ({
      ...api,
      send: async <T,>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) => {
        const answer = await api.send<T>(method, path, body);
        setWrites((n) => n + 1);
        return answer;
      },
    }),
    [api],
  );
  const me = useLoad(() => api.get<Me>('/api/me'), 'me');
  const { navigate } = useRouter();

  useEffect(() => {
    if (deepLinkRequestId) navigate(`/requests/${encodeURIComponent(deepLinkRequestId)}`);
  }, [deepLinkRequestId, navigate]);

  if (me.status === 'loading') return <Loading label="Signing you in…" />;
  if (me.status === 'error') {
    return (
      <main className={styles.main}>
        <ErrorState error={me.error} title="You could not be signed in" onRetry={me.reload} />
        {hostKind === 'local' && <Button onClick={signOut}>Choose another person</Button>}
      </main>
    );
  }
  return (
    <ApiContext.Provider value={counted}>
      <SessionContext.Provider value={{ me: me.data, hostKind, signOut }}>
        <a href="#main" className={styles.skip}>
          Skip to content
        </a>
        <header className={styles.header}>
          <span className={styles.brand}>Social Media Checks</span>
          <nav aria-label="Main" className={styles.nav}>
            <Link to="/">Requests</Link>
            <WaitingCount writes={writes} />
            {me.data.roles.includes('social_worker') && <Link to="/new">New request</Link>}
            {me.data.roles.includes('team_manager') && <Link to="/deputy">Deputy</Link>}
            {me.data.roles.includes('administrator') && <Link to="/admin">Administration</Link>}
            {(me.data.roles.includes('service_manager') || me.data.roles.includes('service_director')) && <Link to="/evaluation">Pilot evaluation</Link>}
            {(me.data.roles.includes('service_manager') || me.data.roles.includes('service_director')) && <Link to="/retention">Retention</Link>}
          </nav>
          <div className={styles.who}>
            <span>{me.data.displayName}</span>
            {hostKind === 'local' && (
              <Button size="small" onClick={signOut}>
                Switch person
              </Button>
            )}
          </div>
        </header>
        <AppToaster />
        <main id="main" className={styles.main}>
          <Suspense fallback={<Loading />}>
            <Page />
          </Suspense>
        </main>
      </SessionContext.Provider>
    </ApiContext.Provider>
  );
}

/** Asked again this often while the tab is open, for steps others take (a request sent to this person). */
const WAITING_REFRESH_MS = 60_000;

/**
 * How many requests wait for the person, linking to that list; asked again on every navigation,
 * after every change they make, when the window regains focus, and every minute.
 */
function WaitingCount({ writes }: { writes: number }) {
  const api = useApi();
  const { seq } = useRouter();
  const counts = useLoad(() => api.get<RequestPage>('/api/requests?waiting=true&limit=1'), `waiting-${seq}-${writes}`);
  const { reload } = counts;
  useEffect(() => {
    window.addEventListener('focus', reload);
    const timer = window.setInterval(reload, WAITING_REFRESH_MS);
    return () => {
      window.removeEventListener('focus', reload);
      window.clearInterval(timer);
    };
  }, [reload]);
  const n = counts.status === 'ready' ? counts.data.counts.waitingForMe : 0;
  // The live region stays in place so a change of count, to none included, is announced.
  return <span role="status">{n > 0 && <Link to="/?view=waiting">{n === 1 ? '1 waiting for you' : `${n} waiting for you`}</Link>}</span>;
}

function Page() {
  const { path, search, seq } = useRouter();
  const route = matchRoute(path, search);
  switch (route.page) {
    case 'requests':
      // Keyed by the navigation: the header's "waiting for you" opens that tab even from this page.
      return <RequestsPage key={`requests-${seq}`} view={route.view} />;
    case 'new':
      // A saved draft rewrites the address without a navigation; "New request" must still start afresh.
      return <RequestFormPage key={`new-${seq}`} linkedFrom={route.linkedFrom} describe={route.describe} />;
    case 'edit':
      return <RequestFormPage key={route.id} id={route.id} />;
    case 'request':
      return <RequestPage key={route.id} id={route.id} />;
    case 'workspace':
      return <WorkspacePage key={route.id} id={route.id} />;
    case 'assess':
      return <AssessPage key={route.id} id={route.id} />;
    case 'feedback':
      return <FeedbackPage key={route.id} id={route.id} />;
    case 'admin':
      return <AdminPage />;
    case 'evaluation':
      return <EvaluationPage />;
    case 'deputy':
      return <DeputyPage />;
    case 'retention':
      return <RetentionPage />;
    case 'not-found':
      return (
        <>
          <PageHeading>Page not found</PageHeading>
          <EmptyState title="There is nothing at this address.">
            <Link to="/">Go to your requests</Link>
          </EmptyState>
        </>
      );
  }
}
