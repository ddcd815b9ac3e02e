/**
 * Putting a spooled file into the library: one PUT up to the simple-upload limit, an upload
 * session above it. Ranges go in order, each a multiple of 320 KiB but the last, to the
 * pre-authenticated upload URL without an Authorization header (Graph refuses one there).
 * A dropped range resumes from what the session says it has; a lost session starts again, unless
 * the answer to the last bytes was lost or was a 5xx: then the item may already be whole in the
 * library ("Resume or retry uploads that fail due to connection interruptions or any 5xx errors":
 * the service may fail after storing it), and it is looked for first so that no second copy
 * (without its columns, beyond the reach of disposal) appears.
 */
import { createReadStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorFromResponse, GraphHttpError, retryDelay, withRetry, type GraphApi, type RawResponse } from './graph';

/** Reads of 1 MiB: far fewer syscalls and socket writes than the 64 KiB default. */
const READ_CHUNK = 1024 * 1024;

export interface DriveItem {
  id: string;
  name: string;
  size: number;
  webUrl: string | null;
}

interface UploadSessionInfo {
  uploadUrl: string;
  nextExpectedRanges?: string[];
}

export interface UploadJob {
  driveId: string;
  /** `{case}/{request}/{name}`, each segment already safe. */
  drivePath: string;
  file: string;
  size: number;
  contentType: string;
  /** When the file is still being written: resolves once that many bytes are on disk. */
  available?: (bytes: number) => Promise<void>;
  /** A later try at an upload whose earlier try may have finished unheard: look for the item first. */
  mayExist?: boolean;
}

export interface UploadLimits {
  chunkSize: number;
  simpleUploadLimit: number;
}

export async function uploadFile(api: GraphApi, job: UploadJob, limits: UploadLimits): Promise<DriveItem> {
  const existing = job.mayExist ? await withRetry(api.policy, () => findUploaded(api, job)) : null;
  if (existing) return existing;
  return job.size <= limits.simpleUploadLimit ? simpleUpload(api, job) : sessionUpload(api, job, limits.chunkSize);
}

function itemPath(job: UploadJob): string {
  return `/drives/${encodeURIComponent(job.driveId)}/root:/${job.drivePath.split('/').map(encodeURIComponent).join('/')}:`;
}

async function simpleUpload(api: GraphApi, job: UploadJob): Promise<DriveItem> {
  await job.available?.(job.size);
  let answerLost = false;
  return withRetry(api.policy, async () => {
    if (answerLost) {
      const existing = await findUploaded(api, job);
      if (existing) return existing;
    }
    const res = await api.transport.send({
      method: 'PUT',
      url: api.url(`${itemPath(job)}/content?@microsoft.graph.conflictBehavior=rename`),
      headers: await api.authorisedHeaders({ 'content-type': job.contentType, 'content-length': job.size }),
      body: createReadStream(job.file, { highWaterMark: READ_CHUNK }),
    }).catch((error: unknown) => {
      // The connection dropped: the file may have arrived whole even though its answer did not.
      if (error instanceof GraphHttpError && error.status === 0) answerLost = true;
      throw error;
    });
    if (res.status !== 200 && res.status !== 201) {
      if (res.status >= 500) answerLost = true;
      throw errorFromResponse(res);
    }
    return driveItem(res);
  });
}

/**
 * The item at the job's path, when it is the whole file (its size): what a lost answer to the
 * final bytes leaves behind. The names are the server's own, one per capture, so a file of that
 * name and size is this one.
 */
async function findUploaded(api: GraphApi, job: UploadJob): Promise<DriveItem | null> {
  try {
    const item = await api.call<{ id: string; name: string; size: number; webUrl?: string }>('GET', itemPath(job));
    return item.size === job.size ? { id: item.id, name: item.name, size: item.size, webUrl: item.webUrl ?? null } : null;
  } catch (error) {
    if (error instanceof GraphHttpError && error.status === 404) return null;
    throw error;
  }
}

async function createSession(api: GraphApi, job: UploadJob): Promise<UploadSessionInfo> {
  const name = job.drivePath.split('/').pop() ?? '';
  // Conflict → rename: a second capture with the same name never overwrites the first.
  return api.call<UploadSessionInfo>('POST', `${itemPath(job)}/createUploadSession`, {
    item: { '@microsoft.graph.conflictBehavior': 'rename', name },
  });
}

async function sessionUpload(api: GraphApi, job: UploadJob, chunkSize: number): Promise<DriveItem> {
  let session = await createSession(api, job);
  let offset = 0;
  // Failures since the last fragment that moved the upload on; progress resets the count.
  let failures = 0;
  // The final range was sent and no answer came back: the upload may be complete.
  let lastAnswerLost = false;
  for (;;) {
    const end = Math.min(offset + chunkSize, job.size) - 1;
    if (job.available) {
      try {
        await job.available(end + 1);
      } catch (error) {
        // The file will never be whole: cancel the session so no partial item can appear.
        await api.transport.send({ method: 'DELETE', url: session.uploadUrl }).catch(() => undefined);
        throw error;
      }
    }
    let res: RawResponse | GraphHttpError;
    try {
      res = await api.transport.send({
        method: 'PUT',
        url: session.uploadUrl,
        headers: { 'content-length': end - offset + 1, 'content-range': `bytes ${offset}-${end}/${job.size}` },
        body: createReadStream(job.file, { start: offset, end, highWaterMark: READ_CHUNK }),
      });
    } catch (failure) {
      // A dropped connection: handled below like any other failed range.
      if (!(failure instanceof GraphHttpError)) throw failure;
      res = failure;
      if (end === job.size - 1) lastAnswerLost = true;
    }
    if (!(res instanceof GraphHttpError)) {
      if (res.status === 200 || res.status === 201) return driveItem(res);
      if (res.status === 202) {
        offset = nextOffset(parse<UploadSessionInfo>(res).nextExpectedRanges, end + 1);
        failures = 0;
        continue;
      }
      if (res.status >= 500 && end === job.size - 1) lastAnswerLost = true;
    }
    const error = res instanceof GraphHttpError ? res : errorFromResponse(res);
    failures += 1;
    if (failures >= api.policy.maxAttempts) throw error;
    if (error.status === 404) {
      // The session expired or was lost: Graph keeps nothing of it, so start over.
      const existing = lastAnswerLost ? await findUploaded(api, job) : null;
      if (existing) return existing;
      session = await createSession(api, job);
      offset = 0;
      continue;
    }
    if (!error.transient && error.status !== 416) throw error;
    const delay = retryDelay(error, failures, api.policy);
    if (delay > api.policy.maxDelayMs) throw error;
    if (error.status !== 416) await sleep(delay);
    // Ask the session what it holds before sending anything again.
    const status = await sessionStatus(api, session.uploadUrl);
    if (status === null) {
      // A session that finished is gone too: look for the item before sending it all again.
      const existing = lastAnswerLost ? await findUploaded(api, job) : null;
      if (existing) return existing;
      session = await createSession(api, job);
      offset = 0;
    } else {
      offset = nextOffset(status.nextExpectedRanges, offset);
    }
  }
}

/** The session's own view of what it still needs; null when the session is gone. */
async function sessionStatus(api: GraphApi, uploadUrl: string): Promise<UploadSessionInfo | null> {
  return withRetry(api.policy, async () => {
    const res = await api.transport.send({ method: 'GET', url: uploadUrl });
    if (res.status === 404) return null;
    if (res.status !== 200) throw errorFromResponse(res);
    return parse<UploadSessionInfo>(res);
  });
}

/** The start of the first missing range ("26-" or "26-99"), else the fallback. */
export function nextOffset(ranges: string[] | undefined, fallback: number): number {
  const start = Number(/^(\d+)-/.exec(ranges?.[0] ?? '')?.[1]);
  return Number.isFinite(start) ? start : fallback;
}

function parse<T>(res: RawResponse): T {
  return JSON.parse(res.body.toString('utf8')) as T;
}

function driveItem(res: RawResponse): DriveItem {
  const item = parse<{ id: string; name: string; size: number; webUrl?: string }>(res);
  return { id: item.id, name: item.name, size: item.size, webUrl: item.webUrl ?? null };
}
