/**
 * Timed search sessions. Time taken is measured by the server, never typed, and a session may
 * run only within the authorised scope.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError, invalidState, notFound } from '../../domain/errors';
import { fieldErrors, safeString } from '../../domain/forms';
import { assertSubjectInScope } from '../../domain/workflow';
import { assertSessionMayStart, PROTOCOL_RULES, ruleError } from '../../domain/protocol';
import type { AppDeps } from '../deps';
import { throughGate, UUID } from '../gate';
import type { Caller, SearchSession } from '../ports';
import { expireIfDue } from './expire-due';
import { auditEvent } from './shared';

export const startSearchSessionSchema = z.object({
  corporateAccount: z.literal(true, { error: 'Confirm that you are signed in with the corporate account, never a personal profile.' }),
  /** Who this session searches (DESIGN §3, "subjects searched"); everyone in scope when not given. */
  subjectIds: z
    .array(safeString({ error: 'Choose people from the request.' }).max(64), { error: 'Send the people searched as a list.' })
    .min(1, { error: 'Choose at least one person to search.' })
    .max(20, { error: 'A request names at most 20 people.' })
    .refine((ids) => new Set(ids).size === ids.length, { error: 'Choose each person once.' })
    .optional(),
});

/**
 * Starts a session: the access worker confirms, each time, that the corporate account is in use;
 * a one-off check searches only within its review window, monitoring only as often as authorised.
 */
export async function startSearchSession(deps: AppDeps, caller: Caller, requestId: string, input: unknown): Promise<SearchSession> {
  await expireIfDue(deps, requestId);
  const now = deps.clock.now();
  return throughGate(deps, caller, 'search', requestId, (gate) =>
    deps.store.transaction(async (uow) => {
      const { request, part } = await gate.load(uow, { lock: true });
      const result = startSearchSessionSchema.safeParse(input ?? {});
      if (!result.success) {
        const fields = fieldErrors(result.error);
        if ('corporateAccount' in fields) throw ruleError('corporate_account', 'validation', PROTOCOL_RULES.corporate_account, fields);
        throw new AppError('validation', 'Some answers need attention.', fields);
      }
      const inScope = request.authorisation?.scope.subjectIds ?? [];
      const subjectIds = result.data.subjectIds ?? inScope;
      // Searches outside the authorised scope are refused (DESIGN §2): a further person needs a new, linked request.
      for (const id of subjectIds) assertSubjectInScope(request, id, 'subjectIds');
      const sessions = await uow.searchSessions.listForRequest(requestId);
      if (sessions.some((s) => s.endedAt === null)) throw invalidState('A search session is already running: end it before starting another.');
      assertSessionMayStart(request, sessions.map((s) => s.startedAt), now, deps.settings.protocol);
      const session: SearchSession = {
        id: randomUUID(),
        requestId,
        accessWorkerId: caller.person.id,
        startedAt: now.toISOString(),
        endedAt: null,
        durationSeconds: null,
        corporateAccount: true,
        subjectIds,
      };
      await uow.searchSessions.insert(session);
      if (!request.firstSearchStartedAt) {
        // Recording first use stops the unused-authorisation clock and opens a one-off check's window; not a state change, so the version stays.
        await uow.requests.update({ ...request, firstSearchStartedAt: session.startedAt }, request);
      }
      await auditEvent(uow, caller, request, 'start_search_session', part, now, { sessionId: session.id, corporateAccount: true, subjectIds });
      return session;
    }),
  );
}

/** Ends a session; only the access worker holding the request may, and so only the one who started it. */
export async function endSearchSession(deps: AppDeps, caller: Caller, requestId: string, sessionId: string): Promise<SearchSession> {
  const now = deps.clock.now();
  return throughGate(deps, caller, 'end-search-session', requestId, (gate) =>
    deps.store.transaction(async (uow) => {
      const { request, part } = await gate.load(uow, { lock: true });
      const session = UUID.test(sessionId) ? await uow.searchSessions.get(sessionId) : null;
      if (!session || session.requestId !== requestId) throw notFound('No such search session on this request.');
      if (session.endedAt) throw invalidState('This search session has already ended.');
      const endedAt = now.toISOString();
      const durationSeconds = Math.max(0, Math.round((now.getTime() - new Date(session.startedAt).getTime()) / 1000));
      await uow.searchSessions.end(sessionId, endedAt, durationSeconds);
      await auditEvent(uow, caller, request, 'end_search_session', part, now, { sessionId, durationSeconds });
      return { ...session, endedAt, durationSeconds };
    }),
  );
}

export async function listSearchSessions(deps: AppDeps, caller: Caller, requestId: string): Promise<SearchSession[]> {
  return throughGate(deps, caller, 'view', requestId, async (gate) => {
    await gate.load(deps.store.read);
    return deps.store.read.searchSessions.listForRequest(requestId);
  });
}
