/** The signed-in shell: header, navigation and the pages, each loaded on demand. */
import { lazy, Suspense, useEffect } from 'react';
import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { useApi } from './api';
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
    <SessionContext.Provider value={{ me: me.data, hostKind, signOut }}>
      <a href="#main" className={styles.skip}>
        Skip to content
      </a>
      <header className={styles.header}>
        <span className={styles.brand}>Social Media Checks</span>
        <nav aria-label="Main" className={styles.nav}>
          <Link to="/">Requests</Link>
          <WaitingCount />
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
  );
}

/** How many requests wait for the person, in the navigation; asked again on every navigation. */
function WaitingCount() {
  const api = useApi();
  const { seq } = useRouter();
  const counts = useLoad(() => api.get<RequestPage>('/api/requests?waiting=true&limit=1'), `waiting-${seq}`);
  if (counts.status !== 'ready' || counts.data.counts.waitingForMe === 0) return null;
  const n = counts.data.counts.waitingForMe;
  return <span role="status">{n === 1 ? '1 waiting for you' : `${n} waiting for you`}</span>;
}

function Page() {
  const { path, search, seq } = useRouter();
  const route = matchRoute(path, search);
  switch (route.page) {
    case 'requests':
      return <RequestsPage />;
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
