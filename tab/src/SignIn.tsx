/**
 * Local mode: choose one of the seeded demo people; the choice lasts for this browser tab.
 * Otherwise (Teams mode, the tab opened in a plain browser): a link that opens the tab in Teams.
 */
import { useEffect, useState } from 'react';
import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { ROLE_LABELS } from '../../src/domain/roles';
import { ApiError, errorMessage } from './api';
import type { LocalSession } from './host';
import type { DevUser, HostInfo } from './types';
import { EmptyState, ErrorState, Loading, Notice, PageHeading } from './components/common';

const useStyles = makeStyles({
  page: { maxWidth: '720px', margin: '0 auto', padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalL}` },
  list: { listStyleType: 'none', padding: 0, margin: `${tokens.spacingVerticalM} 0`, display: 'grid', gap: tokens.spacingVerticalS },
  item: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
    padding: tokens.spacingVerticalM,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  roles: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  name: { fontWeight: tokens.fontWeightSemibold },
});

async function readJson<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const err = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(response.status, err?.code ?? 'unknown', err?.message ?? `The server answered ${response.status}.`);
  }
  return body as T;
}

/** Outside local mode there is no sign-in page: the app lives in Teams, so say so and link there. */
function OpenInTeams({ link }: { link: string | null }) {
  const styles = useStyles();
  return (
    <main className={styles.page}>
      <PageHeading>Social Media Checks opens in Microsoft Teams</PageHeading>
      <p>You are signed in through Teams, so this page works only there.</p>
      {link ? (
        <Button as="a" appearance="primary" href={link}>
          Open Social Media Checks in Teams
        </Button>
      ) : (
        <p>Open Teams and choose Social Media Checks from your apps.</p>
      )}
    </main>
  );
}

export function SignIn({ onSignedIn }: { onSignedIn(session: LocalSession): void }) {
  const [host, setHost] = useState<HostInfo | null>(null);
  useEffect(() => {
    fetch('/api/host')
      .then((r) => readJson<HostInfo>(r))
      .then(setHost, () => setHost({ localSignIn: true, teamsTabLink: null }));
  }, []);
  if (host === null) return <Loading label="Loading…" />;
  if (!host.localSignIn) return <OpenInTeams link={host.teamsTabLink} />;
  return <LocalSignIn onSignedIn={onSignedIn} />;
}

function LocalSignIn({ onSignedIn }: { onSignedIn(session: LocalSession): void }) {
  const styles = useStyles();
  const [users, setUsers] = useState<DevUser[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [signInError, setSignInError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setLoadError(null);
    fetch('/api/dev/users')
      .then((r) => readJson<DevUser[]>(r))
      .then(setUsers, setLoadError);
  }, [attempt]);

  const choose = async (user: DevUser) => {
    setBusy(user.id);
    setSignInError(null);
    try {
      const response = await fetch('/api/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: user.id }) });
      const { token } = await readJson<{ token: string }>(response);
      onSignedIn({ userId: user.id, displayName: user.displayName, token });
    } catch (error) {
      setSignInError(errorMessage(error));
      setBusy(null);
    }
  };

  return (
    <main className={styles.page}>
      <PageHeading>Social Media Checks — local sign-in</PageHeading>
      <p>This is the local demonstration mode. Choose the person you want to act as. In Microsoft Teams you are signed in automatically.</p>
      <div aria-live="assertive">{signInError && <Notice intent="error" title="Sign-in failed">{signInError}</Notice>}</div>
      {loadError !== null ? (
        <ErrorState error={loadError} title="The demo people could not be loaded" onRetry={() => setAttempt((a) => a + 1)} />
      ) : users === null ? (
        <Loading label="Loading the demo people…" />
      ) : users.length === 0 ? (
        <EmptyState title="No demo people are set up">Ask an administrator to seed the local directory.</EmptyState>
      ) : (
        <ul className={styles.list} aria-label="Demo people">
          {users.map((user) => (
            <li key={user.id} className={styles.item}>
              <div>
                <div className={styles.name}>{user.displayName}</div>
                <div className={styles.roles}>{user.roles.map((r) => ROLE_LABELS[r]).join(', ') || 'No role'}</div>
              </div>
              <Button appearance="primary" disabledFocusable={busy !== null} onClick={() => void choose(user)} aria-label={`Sign in as ${user.displayName}`}>
                {busy === user.id ? 'Signing in…' : 'Sign in'}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
