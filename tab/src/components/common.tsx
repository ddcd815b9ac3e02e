/** Building blocks every page uses: headings that take focus, loading, empty and error states. */
import { useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { Button, MessageBar, MessageBarBody, MessageBarTitle, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { ApiError, errorMessage } from '../api';
import { SessionContext } from '../session';

const useStyles = makeStyles({
  heading: { fontSize: tokens.fontSizeBase600, lineHeight: tokens.lineHeightBase600, fontWeight: tokens.fontWeightSemibold, margin: `0 0 ${tokens.spacingVerticalM}`, outlineStyle: 'none' },
  section: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, margin: `${tokens.spacingVerticalL} 0 ${tokens.spacingVerticalS}` },
  empty: {
    padding: tokens.spacingVerticalXL,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    textAlign: 'center',
    color: tokens.colorNeutralForeground2,
  },
  notice: {
    marginBottom: tokens.spacingVerticalM,
    // The theme's link colour fails contrast on a tinted notice in the dark theme (4.44:1 on the
    // warning's brown): a link there takes the notice's own text colour and keeps its underline.
    '& a': { color: 'inherit', textDecorationLine: 'underline' },
  },
  centre: { padding: tokens.spacingVerticalXXL, display: 'flex', justifyContent: 'center', minHeight: '120px' },
});

/** The page's h1 takes focus on arrival so screen readers announce the new page. */
export function PageHeading({ children }: { children: ReactNode }) {
  const styles = useStyles();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 className={styles.heading} tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}

export function SectionHeading({ children, id }: { children: ReactNode; id?: string }) {
  const styles = useStyles();
  return (
    <h2 className={styles.section} id={id}>
      {children}
    </h2>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  const styles = useStyles();
  return (
    <div className={styles.centre}>
      <Spinner label={label} />
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  const styles = useStyles();
  return (
    <div className={styles.empty}>
      <p>
        <strong>{title}</strong>
      </p>
      {children}
    </div>
  );
}

export function ErrorState({ error, onRetry, title = 'This could not be loaded' }: { error: unknown; onRetry?: () => void; title?: string }) {
  const session = useContext(SessionContext);
  // A sign-in that has expired is not fixed by trying again with it: in the browser, sign in afresh.
  // (In Teams the host renews the token, so trying again is the remedy.)
  const signInAgain = error instanceof ApiError && error.status === 401 && session?.hostKind === 'local';
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {errorMessage(error)}{' '}
        {signInAgain ? (
          <Button size="small" onClick={session.signOut}>
            Sign in again
          </Button>
        ) : (
          onRetry && (
            <Button size="small" onClick={onRetry}>
              Try again
            </Button>
          )
        )}
      </MessageBarBody>
    </MessageBar>
  );
}

export function Notice({ intent, title, children }: { intent: 'info' | 'success' | 'warning' | 'error'; title?: string; children: ReactNode }) {
  const styles = useStyles();
  return (
    <MessageBar intent={intent} layout="multiline" className={styles.notice}>
      <MessageBarBody>
        {title && <MessageBarTitle>{title}</MessageBarTitle>}
        {children}
      </MessageBarBody>
    </MessageBar>
  );
}

export type Loaded<T> = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; data: T };

/** Loads once per key and on `reload()`; late answers for an old key are ignored. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> & { reload(): void; set(data: T): void } {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    loadRef.current().then(
      (data) => live && setState({ status: 'ready', data }),
      (error: unknown) => live && setState({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const set = useCallback((data: T) => setState({ status: 'ready', data }), []);
  return { ...state, reload, set };
}
