/** The /api/requests routes: thin adapters from HTTP to the use cases. */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import { AppError } from '../../domain/errors';
import type { AppDeps } from '../../app/deps';
import type { Caller, EvidenceItem } from '../../app/ports';
import { createRequest } from '../../app/requests/create-request';
import { discardDraft } from '../../app/requests/discard-draft';
import { addEvidence, checkEvidenceUpload, listEvidence, readEvidence } from '../../app/requests/evidence';
import { issueContentLink, readByContentLink } from '../../app/requests/content-links';
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
import type { UploadSlots } from '../upload-slots';
import { storedContentHeaders } from '../security';
import type { ApiRoutes } from '../api-route';
import { requestRoutes } from '../api-contract';
import { presentRequest, presentRequestPage } from '../presenters/requests';
import { presentAuditEntry, presentContentLink, presentDocument, presentEvidence, presentNotification, presentSearchSession } from '../presenters/records';

type Params = Record<string, string>;

export interface RouteContext {
  deps: AppDeps;
  caller(request: FastifyRequest): Caller;
  tmpDir: string;
  uploads: UploadSlots;
  /** How long an upload may send nothing before it is dropped and its slot freed. */
  uploadIdleMs: number;
}

export async function registerRequestRoutes(api: ApiRoutes, ctx: RouteContext): Promise<void> {
  const { deps } = ctx;
  const p = (request: FastifyRequest) => request.params as Params;
  const r = requestRoutes;

  api.add(r.listRequests, async (request) => presentRequestPage(await listRequests(deps, ctx.caller(request), request.query)));
  api.add(r.createRequest, async (request) => presentRequest(await createRequest(deps, ctx.caller(request), request.body)));
  api.add(r.getRequest, async (request) => presentRequest(await getRequest(deps, ctx.caller(request), p(request).id ?? '')));
  api.add(r.updateDraft, async (request) => presentRequest(await updateDraft(deps, ctx.caller(request), p(request).id ?? '', request.body)));
  api.add(r.discardDraft, async (request) => discardDraft(deps, ctx.caller(request), p(request).id ?? '', request.query));
  api.add(r.takeAction, async (request) => presentRequest(await takeAction(deps, ctx.caller(request), p(request).id ?? '', p(request).action ?? '', request.body)));

  api.add(r.listSearchSessions, async (request) => (await listSearchSessions(deps, ctx.caller(request), p(request).id ?? '')).map(presentSearchSession));
  api.add(r.startSearchSession, async (request) => presentSearchSession(await startSearchSession(deps, ctx.caller(request), p(request).id ?? '', request.body)));
  api.add(r.endSearchSession, async (request) => presentSearchSession(await endSearchSession(deps, ctx.caller(request), p(request).id ?? '', p(request).sid ?? '')));

  api.add(r.saveLog, async (request) => presentRequest(await saveLog(deps, ctx.caller(request), p(request).id ?? '', request.body)));
  api.add(r.saveFeedback, async (request) => presentRequest(await saveFeedback(deps, ctx.caller(request), p(request).id ?? '', request.body)));
  api.add(r.timeline, async (request) => (await getTimeline(deps, ctx.caller(request), p(request).id ?? '')).map(presentAuditEntry));
  api.add(r.notifications, async (request) => (await listNotifications(deps, ctx.caller(request), p(request).id ?? '')).map(presentNotification));
  api.add(r.retryNotification, async (request) => retryNotification(deps, ctx.caller(request), p(request).id ?? '', p(request).nid ?? ''));

  api.add(r.listDocuments, async (request) => (await listRecordDocuments(deps, ctx.caller(request), p(request).id ?? '')).map(presentDocument));
  api.add(r.documentLink, async (request) => presentContentLink(await issueContentLink(deps, ctx.caller(request), 'document', p(request).id ?? '', p(request).did ?? '', request.body)));
  api.add(r.documentContent, async (request, reply) => {
    const ticket = contentTicket(request);
    const { item, content } =
      ticket !== undefined
        ? await readByContentLink(deps, 'document', ticket, p(request).id ?? '', p(request).did ?? '', request.id)
        : await readRecordDocument(deps, ctx.caller(request), p(request).id ?? '', p(request).did ?? '');
    return reply.headers(storedContentHeaders(item.contentType, item.fileName, item.size, { download: true })).send(content);
  });

  // Evidence is part of the formal record: it is never deleted or replaced, only corrected by a new item.
  api.add(r.deleteEvidence, async () => {
    throw new AppError('forbidden', 'Evidence is part of the formal record and cannot be deleted or replaced. Upload a correction that names this item and says why.');
  });

  api.add(r.listEvidence, async (request) => (await listEvidence(deps, ctx.caller(request), p(request).id ?? '')).map(presentEvidence));
  api.add(r.evidenceLink, async (request) => presentContentLink(await issueContentLink(deps, ctx.caller(request), 'evidence', p(request).id ?? '', p(request).eid ?? '', request.body)));
  api.add(r.evidenceContent, async (request, reply) => {
    const ticket = contentTicket(request);
    const read =
      ticket !== undefined
        ? await readByContentLink(deps, 'evidence', ticket, p(request).id ?? '', p(request).eid ?? '', request.id)
        : { ...(await readEvidence(deps, ctx.caller(request), p(request).id ?? '', p(request).eid ?? '')), download: false };
    const { item, content } = read;
    // Images and PDFs may be previewed (inline, sandboxed); anything else, a saved page above all, is a download.
    const download = read.download || (request.query as Record<string, unknown>).download === '1';
    return reply.headers({ ...storedContentHeaders(item.contentType, item.fileName, item.size, { download }), 'x-content-sha256': item.sha256 }).send(content);
  });

  api.add(r.addEvidence, async (request) => {
    const caller = ctx.caller(request);
    const id = p(request).id ?? '';
    if (!request.isMultipart()) {
      throw new AppError('unsupported_type', 'Send evidence as multipart/form-data with parts “metadata” and “file”.');
    }
    // A slot is taken only once the metadata and the caller's right to record on this request are
    // checked: taken first, people with no part in any request could hold every slot by sending a
    // byte now and then, and block every real upload.
    let release: (() => void) | undefined;
    const stopIdleWatch = dropWhenIdle(request, ctx.uploadIdleMs);
    let metadata: string | undefined;
    let spooled: { file: string; type: EvidenceType; size: number } | undefined;
    let workDir: string | undefined;
    let item: EvidenceItem;
    try {
      try {
        for await (const part of request.parts()) {
          if (part.type === 'field') {
            if (part.fieldname !== 'metadata' || metadata !== undefined) throw uploadRule('Send one “metadata” part, then one “file” part, and nothing else.');
            metadata = part.value as string;
            // Permission and metadata are settled before the file part is read at all.
            await checkEvidenceUpload(deps, caller, id, metadata);
            release = ctx.uploads.take(caller.person.id);
            continue;
          }
          if (part.fieldname !== 'file' || spooled) throw uploadRule('Send one “metadata” part, then one “file” part, and nothing else.');
          if (metadata === undefined) throw uploadRule('Send the “metadata” part before the “file” part: nothing is read from the file until the upload is known to be allowed.');
          const { type, content } = await checkedUpload(part.file, { maxBytes: deps.settings.maxEvidenceBytes });
          workDir = await mkdtemp(path.join(ctx.tmpDir, UPLOAD_PREFIX));
          const file = path.join(workDir, 'content');
          await pipeline(content, createWriteStream(file));
          spooled = { file, type, size: (await stat(file)).size };
        }
      } catch (error) {
        discardRest(request);
        throw asMultipartError(error);
      } finally {
        // The body is read: what follows is the server's own work, which no idle limit should cut.
        stopIdleWatch();
      }
      if (metadata === undefined) throw new AppError('validation', 'Some answers need attention.', { metadata: 'Send the evidence metadata.' });
      if (!spooled) throw new AppError('validation', 'Some answers need attention.', { file: 'Choose a file to upload.' });
      item = await addEvidence(deps, caller, id, metadata, {
        content: createReadStream(spooled.file),
        contentType: spooled.type.contentType,
        extension: spooled.type.extension,
        size: spooled.size,
      });
    } finally {
      release?.();
      // Removed before the answer goes out, so nothing of an upload outlives it.
      if (workDir) await rm(workDir, { recursive: true, force: true });
    }
    return presentEvidence(item);
  });
}

/** Content reads that carry a one-time link (`?ticket=`) instead of a bearer token. */
const CONTENT_PATH = /^\/api\/requests\/[^/]+\/(evidence|documents)\/[^/]+\/content$/;

/** The one-time link's token, when this is a content read that uses one and sends no bearer token. */
export function contentTicket(request: FastifyRequest): string | undefined {
  if (request.method !== 'GET' || request.headers.authorization !== undefined) return undefined;
  if (!CONTENT_PATH.test(request.url.split('?')[0] ?? '')) return undefined;
  const ticket = (request.query as Record<string, unknown> | undefined)?.ticket;
  if (ticket === undefined) return undefined;
  return typeof ticket === 'string' ? ticket : '';
}

/**
 * Ends the connection of an upload whose client has sent nothing for `idleMs`: the parser then
 * sees the request aborted, the handler fails, and its slot and temporary file are released.
 * Fastify's own request timeout is off (it would cut slow but live uploads of large files).
 */
function dropWhenIdle(request: FastifyRequest, idleMs: number): () => void {
  const socket = request.raw.socket;
  const drop = () => socket.destroy();
  socket.setTimeout(idleMs, drop);
  return () => {
    socket.setTimeout(0);
    socket.removeListener('timeout', drop);
  };
}

/**
 * A refused upload's remaining bytes are read and dropped, never stored, so the client (still
 * sending) gets its answer and the connection is not left waiting on the parser.
 */
function discardRest(request: FastifyRequest): void {
  request.raw.unpipe();
  request.raw.resume();
}

const UPLOAD_PREFIX = 'upload-';

function uploadRule(message: string): AppError {
  return new AppError('validation', message, { '(body)': message });
}

/**
 * What the multipart parser throws is the client's doing: a missing boundary, a truncated body, too
 * many parts. Only our own errors (AppError) and the disk's pass through unchanged.
 */
function asMultipartError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return uploadRule('Send one “metadata” part, then one “file” part, and nothing else.');
  }
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new AppError('too_large', 'The file is larger than allowed.');
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code) && code !== 'ECONNRESET') return error;
  return new AppError('validation', 'The upload is not a well-formed multipart/form-data body.', { '(body)': 'Send a multipart/form-data body with a boundary, a “metadata” part and a “file” part.' });
}

/** The upload folder, emptied of what a crashed or killed upload left behind. */
export async function makeTmpDir(dataDir: string): Promise<string> {
  const dir = dataDir === ':memory:' ? path.join(os.tmpdir(), 'smc-uploads') : path.join(dataDir, 'tmp');
  await mkdir(dir, { recursive: true });
  // In the shared system folder (':memory:') other instances may be uploading: leave theirs alone.
  if (dataDir !== ':memory:') {
    for (const entry of await readdir(dir)) {
      if (entry.startsWith(UPLOAD_PREFIX)) await rm(path.join(dir, entry), { recursive: true, force: true });
    }
  }
  return dir;
}
