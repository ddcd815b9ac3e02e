/** Who is using the tab, shared with every page. */
import { createContext, useContext } from 'react';
import type { Role } from '../../src/domain/roles';
import type { Me } from './types';

export interface SessionValue {
  me: Me;
  hostKind: 'teams' | 'local';
  signOut(): void;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionContext');
  return value;
}

export function hasRole(me: Me, role: Role): boolean {
  return me.roles.includes(role);
}
