/**
 * Health for the platform and the operators: `/api/health` (the process answers; cheap, polled
 * by App Service every minute on every instance), `/api/health/ready` (the database answers; what
 * is waiting), and the administrators' view of failed notifications and uploads, with retry.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Caller, Clock } from '../../app/ports';
import { AppError } from '../../domain/errors';
import type { ConfiguredEvidenceStore } from '../../evidence';
import type { Operations } from '../../store';

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

export async function registerOperationsRoutes(app: FastifyInstance, deps: OperationsRouteDeps): Promise<void> {
  app.get('/api/health', async () => ({ status: 'ok' }));

  app.get('/api/health/ready', async (request, reply) => {
    try {
      const summary = await deps.operations.summary();
      return { status: 'ready', database: 'ok', ...summary };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness: the database did not answer');
      return reply.status(503).send({ status: 'unavailable', database: 'unreachable' });
    }
  });

  app.get('/api/admin/operations', async (request) => {
    administrator(deps.caller(request));
    const [notifications, uploads] = await Promise.all([deps.operations.failedNotifications(FAILED_LIST_LIMIT), deps.evidence.pendingUploads()]);
    return {
      failedNotifications: notifications,
      pendingUploads: uploads.slice(0, FAILED_LIST_LIMIT).map((u) => ({
        storageKey: `pending:${u.key}`,
        requestId: u.requestId,
        requestReference: u.requestReference,
        fileName: u.drivePath.split('/').pop() ?? '',
        size: u.size,
        status: u.status,
        attempts: u.attempts,
        lastError: u.lastError,
        notBefore: u.notBefore,
        createdAt: u.createdAt,
      })),
    };
  });

  const idParams = z.object({ id: z.string().uuid() });
  app.post('/api/admin/notifications/:id/retry', async (request, reply) => {
    administrator(deps.caller(request));
    const params = idParams.safeParse(request.params);
    if (!params.success) throw new AppError('validation', 'That is not a notification id.', { id: 'Use the id of a failed notification.' });
    if (!(await deps.operations.retryNotification(params.data.id, deps.clock.now()))) throw new AppError('not_found', 'No failed notification has that id.');
    deps.onNotificationRetried();
    return reply.status(202).send({ status: 'queued' });
  });

  const uploadParams = z.object({ key: z.string().regex(/^pending:[0-9a-f-]{36}$/) });
  app.post('/api/admin/uploads/:key/retry', async (request, reply) => {
    administrator(deps.caller(request));
    const params = uploadParams.safeParse(request.params);
    if (!params.success) throw new AppError('validation', 'That is not a pending upload.', { key: 'Use the storage key of a pending upload (pending:…).' });
    if (!(await deps.evidence.releasePendingUpload(params.data.key))) throw new AppError('not_found', 'No pending upload has that key.');
    deps.onUploadReleased();
    return reply.status(202).send({ status: 'queued' });
  });
}
