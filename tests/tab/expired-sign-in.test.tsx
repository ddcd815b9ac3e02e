/** @jest-environment jsdom */
/**
 * A sign-in that has expired: in the browser the page offers to sign in again (trying again would
 * resend the expired token); in Teams, where the host renews the token, trying again is the remedy.
 */
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FluentProvider, teamsLightTheme } from '@fluentui/react-components';
import { ApiError } from '../../tab/src/api';
import { ErrorState } from '../../tab/src/components/common';
import { SessionContext } from '../../tab/src/session';
import { signedIn, stubResizeObserver } from './fixtures';

beforeAll(stubResizeObserver);

function show(hostKind: 'local' | 'teams', error: unknown) {
  const signOut = jest.fn();
  const retry = jest.fn();
  render(
    <FluentProvider theme={teamsLightTheme}>
      <SessionContext.Provider value={{ me: signedIn('tom.reid', 'Tom Reid', ['team_manager']), hostKind, signOut }}>
        <ErrorState error={error} onRetry={retry} />
      </SessionContext.Provider>
    </FluentProvider>,
  );
  return { signOut, retry };
}

const expired = new ApiError(401, 'unauthenticated', 'Your sign-in is not valid or has expired. Sign in again.');

test('in the browser, an expired sign-in offers to sign in again, and does', async () => {
  const { signOut, retry } = show('local', expired);
  expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  await userEvent.setup().click(screen.getByRole('button', { name: 'Sign in again' }));
  expect(signOut).toHaveBeenCalledTimes(1);
  expect(retry).not.toHaveBeenCalled();
});

test('in Teams, and for any other failure, it offers to try again', () => {
  show('teams', expired);
  expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Sign in again' })).toBeNull();
});
