/**
 * The signed-in user: read once from GET /v1/auth/session (the HttpOnly cookie is invisible to the
 * page), set by the login form, cleared by sign-out or by any 401 (the session ended or was revoked).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, onSessionEnded, setCsrfToken, type Schemas } from './api/client';
import { mayUse, type Permission } from './permissions';

export type Session = Schemas['Session'];

interface SessionState {
  /** undefined while the first check runs; null when nobody is signed in. */
  session: Session | null | undefined;
  signedIn(session: Session): void;
  signOut(): Promise<void>;
  /** True when the signed-in user's role may use the permission. */
  may(permission: Permission): boolean;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);

  const signedIn = useCallback((s: Session) => {
    setCsrfToken(s.csrf_token);
    setSession(s);
  }, []);

  useEffect(() => {
    onSessionEnded(() => {
      setCsrfToken(null);
      setSession(null);
    });
    let live = true;
    api.get('/v1/auth/session').then(
      (s) => live && signedIn(s),
      (error: unknown) => {
        if (!live) return;
        if (!(error instanceof ApiError) || error.status !== 401) console.error(error);
        setSession(null);
      },
    );
    return () => {
      live = false;
      onSessionEnded(null);
    };
  }, [signedIn]);

  const signOut = useCallback(async () => {
    try {
      await api.post('/v1/auth/logout');
    } finally {
      setCsrfToken(null);
      setSession(null);
    }
  }, []);

  const value = useMemo<SessionState>(
    () => ({ session, signedIn, signOut, may: (p) => session != null && mayUse(session.role, p) }),
    [session, signedIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const ctx = useContext(SessionContext);
  if (ctx === null) throw new Error('useSession outside SessionProvider');
  return ctx;
}
