/** @jest-environment jsdom */
/** The tab's router follows the address, including a change made before it began to listen. */
import { useLayoutEffect } from 'react';
import { act, render } from '@testing-library/react';
import { Router, useRouter } from '../../tab/src/router';

function Shown() {
  const { path } = useRouter();
  return <p>showing {path}</p>;
}

/** Changes the address in the commit that mounts the router, before its listener is attached. */
function MovesEarly({ to }: { to: string }) {
  useLayoutEffect(() => {
    window.history.pushState(null, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, [to]);
  return null;
}

afterEach(() => window.history.replaceState(null, '', '/'));

it('shows the page the address names after back or forward', () => {
  window.history.replaceState(null, '', '/');
  const { container } = render(
    <Router>
      <Shown />
    </Router>,
  );
  expect(container.textContent).toBe('showing /');
  act(() => {
    window.history.pushState(null, '', '/admin');
    window.dispatchEvent(new PopStateEvent('popstate'));
  });
  expect(container.textContent).toBe('showing /admin');
});

it('catches up with an address that changed while it was starting, not the one it first read', () => {
  window.history.replaceState(null, '', '/');
  const { container } = render(
    <Router>
      <MovesEarly to="/admin" />
      <Shown />
    </Router>,
  );
  expect(container.textContent).toBe('showing /admin');
});
