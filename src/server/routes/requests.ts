/** The /api/requests routes: thin adapters from HTTP to the use cases. */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import { AppError } from '../../domain/errors';
import type { AppDeps } from '../../app/deps';
import type { Caller } from '../../app/ports';
import { createRequest } from '../../app/requests/create-request';
import { addEvidence, checkEvidenceUpload, listEvidence, readEvidence } from '../../app/requests/evidence';
import { getRequest } from '../../app/requests/get-request';
import { listRecordDocuments, readRecordDocument } from '../../app/requests/record-documents';
import { listRequests } from '../../app/requests/list-requests';
import { saveFeedback } from '../../app/requests/save-feedback';
import { saveLog } from '../../app/requests/save-log';
import { endSearchSession, listSearchSessions, startSearchSession } from '../../app/requests/search-sessions';
import { takeAction } from '../../app/requests/take-action';
import { getTimeline, listNotifications, retryNotification } from '../../app/requests/timeline';
import { updateDraft } from '../../app/requests/update-draft';
import { checkedUpload } from '../../evidence/checked-upload';
import type { EvidenceType } from '../../evidence/content-type';

type Params = Record<string, string>;

export interface RouteContext {
  deps: AppDeps;
  caller(request: FastifyRequest): Caller;
  tmpDir: string;
}

export async function registerRequestRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { deps } = ctx;
  const p = (request: FastifyRequest) => request.params as Params;

  app.get('/api/requests', async (request) => listRequests(deps, ctx.caller(request), request.query));
  app.post('/api/requests', async (request, reply) => reply.status(201).send(await createRequest(deps, ctx.caller(request), request.body)));
  app.get('/api/requests/:id', async (request) => getRequest(deps, ctx.caller(request), p(request).id ?? ''));
  app.put('/api/requests/:id', async (request) => updateDraft(deps, ctx.caller(request), p(request).id ?? '', request.body));
  app.post('/api/requests/:id/actions/:action', async (request) =>
    takeAction(deps, ctx.caller(request), p(request).id ?? '', p(request).action ?? '', request.body),
  );

  app.get('/api/requests/:id/search-sessions', async (request) => listSearchSessions(deps, ctx.caller(request), p(request).id ?? ''));
  app.post('/api/requests/:id/search-sessions', async (request, reply) => {
    const session = await startSearchSession(deps, ctx.caller(request), p(request).id ?? '', request.body);
    return reply.status(201).send(session);
  });
  app.post('/api/requests/:id/search-sessions/:sid/end', async (request) =>
    endSearchSession(deps, ctx.caller(request), p(request).id ?? '', p(request).sid ?? ''),
  );

  app.put('/api/requests/:id/log', async (request) => saveLog(deps, ctx.caller(request), p(request).id ?? '', request.body));
  app.put('/api/requests/:id/feedback', async (request) => saveFeedback(deps, ctx.caller(request), p(request).id ?? '', request.body));
  app.get('/api/requests/:id/audit', async (request) => getTimeline(deps, ctx.caller(request), p(request).id ?? ''));
  app.get('/api/requests/:id/notifications', async (request) => listNotifications(deps, ctx.caller(request), p(request).id ?? ''));
  app.post('/api/requests/:id/notifications/:nid/retry', async (request, reply) => {
    await retryNotification(deps, ctx.caller(request), p(request).id ?? '', p(request).nid ?? '');
    return reply.status(204).send();
  });

  app.get('/api/requests/:id/documents', async (request) => listRecordDocuments(deps, ctx.caller(request), p(request).id ?? ''));
  app.get('/api/requests/:id/documents/:did/content', async (request, reply) => {
    const { item, content } = await readRecordDocument(deps, ctx.caller(request), p(request).id ?? '', p(request).did ?? '');
    return reply
      .header('content-type', item.contentType)
      .header('content-length', String(item.size))
      .header('content-disposition', `attachment; filename="${item.fileName}"`)
      .header('cache-control', 'no-store')
      .send(content);
  });

  // Evidence is part of the formal record: it is never deleted or replaced, only corrected by a new item.
  app.delete('/api/requests/:id/evidence/:eid', async () => {
    throw new AppError('forbidden', 'Evidence is part of the formal record and cannot be deleted or replaced. Upload a correction that names this item and says why.');
  });

  app.get('/api/requests/:id/evidence', async (request) => listEvidence(deps, ctx.caller(request), p(request).id ?? ''));
  app.get('/api/requests/:id/evidence/:eid/content', async (request, reply) => {
    const { item, content } = await readEvidence(deps, ctx.caller(request), p(request).id ?? '', p(request).eid ?? '');
    return reply
      .header('content-type', item.contentType)
      .header('content-length', String(item.size))
      // Saved pages are served as attachments so nothing in them runs in our origin.
      .header('content-disposition', `attachment; filename="${item.fileName}"`)
      .header('x-content-sha256', item.sha256)
      .header('cache-control', 'no-store')
      .send(content);
  });

  app.post('/api/requests/:id/evidence', async (request, reply) => {
    const caller = ctx.caller(request);
    const id = p(request).id ?? '';
    if (!request.isMultipart()) {
      throw new AppError('unsupported_type', 'Send evidence as multipart/form-data with parts “metadata” and “file”.');
    }
    let metadata: unknown;
    let checked = false;
    let spooled: { file: string; type: EvidenceType; size: number } | undefined;
    const workDir = await mkdtemp(path.join(ctx.tmpDir, 'upload-'));
    try {
      for await (const part of request.parts()) {
        if (part.type === 'field') {
          if (part.fieldname === 'metadata') {
            metadata = part.value;
            // Metadata first (the usual order): refuse before a byte of the file is written.
            await checkEvidenceUpload(deps, caller, id, metadata);
            checked = true;
          }
          continue;
        }
        if (part.fieldname !== 'file' || spooled) {
          part.file.resume();
          if (spooled) throw new AppError('validation', 'Send one file per upload.', { file: 'Only one file may be sent.' });
          continue;
        }
        const { type, content } = await checkedUpload(part.file, { maxBytes: deps.settings.maxEvidenceBytes });
        const file = path.join(workDir, 'content');
        await pipeline(content, createWriteStream(file));
        spooled = { file, type, size: (await stat(file)).size };
      }
      if (metadata === undefined) throw new AppError('validation', 'Some answers need attention.', { metadata: 'Send the evidence metadata.' });
      if (!spooled) throw new AppError('validation', 'Some answers need attention.', { file: 'Choose a file to upload.' });
      if (!checked) await checkEvidenceUpload(deps, caller, id, metadata);
      const item = await addEvidence(deps, caller, id, metadata, {
        content: createReadStream(spooled.file),
        contentType: spooled.type.contentType,
        extension: spooled.type.extension,
        size: spooled.size,
      });
      return reply.status(201).send(item);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });
}

export async function makeTmpDir(dataDir: string): Promise<string> {
  const dir = dataDir === ':memory:' ? path.join(os.tmpdir(), 'smc-uploads') : path.join(dataDir, 'tmp');
  await mkdir(dir, { recursive: true });
  return dir;
}
