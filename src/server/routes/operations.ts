/**
 * Health for the platform and the operators: `/api/health` (the process answers; cheap, polled
 * by App Service every minute on every instance), `/api/health/ready` (the database answers; what
 * is waiting), and the administrators' view of failed notifications and uploads, with retry.
 */
import { operationsRoutes } from '../api-contract';
import type { ApiRoutes } from '../api-route';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Caller, Clock } from '../../app/ports';
import { AppError } from '../../domain/errors';
import type { ConfiguredEvidenceStore } from '../../evidence';
import type { Operations } from '../../store';
import { presentOperations } from '../presenters/operations';

export interface OperationsRouteDeps {
  operations: Operations;
  evidence: ConfiguredEvidenceStore;
  clock: Clock;
  caller(request: FastifyRequest): Caller;
  /** Called after a retry is queued, so the dispatcher picks it up at once. */
  onNotificationRetried(): void;
  /** Called after a failed upload is released, so it is tried again now rather than at the next sweep. */
  onUploadReleased(): void;
}

const FAILED_LIST_LIMIT = 50;

function administrator(caller: Caller): void {
  if (!caller.person.roles.includes('administrator')) throw new AppError('forbidden', 'Only administrators can see and retry failed work.');
}

export async function registerOperationsRoutes(api: ApiRoutes, deps: OperationsRouteDeps): Promise<void> {
  const r = operationsRoutes;
  api.add(r.health, async () => ({ status: 'ok' as const }));

  api.add(r.ready, async (request, reply) => {
    try {
      const summary = await deps.operations.summary();
      return { status: 'ready' as const, database: 'ok' as const, notifications: summary.notifications, uploads: summary.uploads };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness: the database did not answer');
      return reply.status(503).send({ status: 'unavailable', database: 'unreachable' });
    }
  });

  api.add(r.operations, async (request) => {
    administrator(deps.caller(request));
    const [notifications, uploads] = await Promise.all([deps.operations.failedNotifications(FAILED_LIST_LIMIT), deps.evidence.pendingUploads(FAILED_LIST_LIMIT)]);
    return presentOperations(notifications, uploads);
  });

  const idParams = z.object({ id: z.string().uuid() });
  api.add(r.retryFailedNotification, async (request) => {
    administrator(deps.caller(request));
    const params = idParams.safeParse(request.params);
    if (!params.success) throw new AppError('validation', 'That is not a notification id.', { id: 'Use the id of a failed notification.' });
    if (!(await deps.operations.retryNotification(params.data.id, deps.clock.now()))) throw new AppError('not_found', 'No failed notification has that id.');
    deps.onNotificationRetried();
    return { status: 'queued' as const };
  });

  const uploadParams = z.object({ key: z.string().regex(/^pending:[0-9a-f-]{36}$/) });
  api.add(r.retryUpload, async (request) => {
    administrator(deps.caller(request));
    const params = uploadParams.safeParse(request.params);
    if (!params.success) throw new AppError('validation', 'That is not a pending upload.', { key: 'Use the storage key of a pending upload (pending:…).' });
    if (!(await deps.evidence.releasePendingUpload(params.data.key))) throw new AppError('not_found', 'No pending upload has that key.');
    deps.onUploadReleased();
    return { status: 'queued' as const };
  });
}
