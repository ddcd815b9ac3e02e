/** A small history-API router: the server falls back to index.html for any non-API path. */
import { createContext, useCallback, useContext, useEffect, useState, type MouseEvent, type ReactNode } from 'react';
import { Link as FluentLink } from '@fluentui/react-components';

interface Location {
  path: string;
  search: string;
  /** Counts navigations, so following a link to the page already shown starts it afresh. */
  seq: number;
}

interface RouterValue extends Location {
  navigate(to: string): void;
}

const RouterContext = createContext<RouterValue>({ path: '/', search: '', seq: 0, navigate: () => undefined });

function current(seq: number): Location {
  return { path: window.location.pathname, search: window.location.search, seq };
}

/** Keeps the `?theme=` override across navigation so local theme checks stay in one theme. */
function withPersistentQuery(to: string): string {
  const theme = new URLSearchParams(window.location.search).get('theme');
  if (!theme || to.includes('theme=')) return to;
  return `${to}${to.includes('?') ? '&' : '?'}theme=${encodeURIComponent(theme)}`;
}

export function Router({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState<Location>(() => current(0));
  useEffect(() => {
    const onPop = () => setLocation((l) => current(l.seq + 1));
    window.addEventListener('popstate', onPop);
    // The address can change between the first render and this listener (the browser's back button
    // while the tab loads): catch up with it, or the tab would show a page the address does not name.
    setLocation((l) => (l.path === window.location.pathname && l.search === window.location.search ? l : current(l.seq + 1)));
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string) => {
    window.history.pushState(null, '', withPersistentQuery(to));
    setLocation((l) => current(l.seq + 1));
    window.scrollTo(0, 0);
  }, []);
  return <RouterContext.Provider value={{ ...location, navigate }}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  return useContext(RouterContext);
}

export function Link({ to, children }: { to: string; children: ReactNode }) {
  const { navigate } = useRouter();
  const onClick = (e: MouseEvent) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <FluentLink href={withPersistentQuery(to)} onClick={onClick}>
      {children}
    </FluentLink>
  );
}

/** The tabs of the requests page, any of which an address may name (`/?view=waiting`). */
export const REQUESTS_VIEWS = ['mine', 'waiting', 'shared', 'all'] as const;
export type RequestsView = (typeof REQUESTS_VIEWS)[number];

export type Route =
  | { page: 'requests'; view: RequestsView | null }
  | { page: 'new'; linkedFrom: string | null; describe: string | null }
  | { page: 'edit'; id: string }
  | { page: 'request'; id: string }
  | { page: 'workspace'; id: string }
  | { page: 'assess'; id: string }
  | { page: 'feedback'; id: string }
  | { page: 'admin' }
  | { page: 'evaluation' }
  | { page: 'retention' }
  | { page: 'deputy' }
  | { page: 'not-found' };

export function matchRoute(path: string, search: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) {
    const view = new URLSearchParams(search).get('view');
    return { page: 'requests', view: REQUESTS_VIEWS.find((v) => v === view) ?? null };
  }
  if (parts[0] === 'admin' && parts.length === 1) return { page: 'admin' };
  if (parts[0] === 'evaluation' && parts.length === 1) return { page: 'evaluation' };
  if (parts[0] === 'retention' && parts.length === 1) return { page: 'retention' };
  if (parts[0] === 'deputy' && parts.length === 1) return { page: 'deputy' };
  if (parts[0] === 'new' && parts.length === 1) {
    const q = new URLSearchParams(search);
    return { page: 'new', linkedFrom: q.get('linkedFrom'), describe: q.get('describe') };
  }
  if (parts[0] === 'requests' && parts[1]) {
    const id = parts[1];
    if (parts.length === 2) return { page: 'request', id };
    if (parts.length === 3) {
      if (parts[2] === 'edit') return { page: 'edit', id };
      if (parts[2] === 'workspace') return { page: 'workspace', id };
      if (parts[2] === 'assess') return { page: 'assess', id };
      if (parts[2] === 'feedback') return { page: 'feedback', id };
    }
  }
  return { page: 'not-found' };
}
