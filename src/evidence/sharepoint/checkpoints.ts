/**
 * The audit chain's published checkpoints in the evidence site: small JSON files in a
 * "Checkpoints" folder of the evidence library, written once each (conflict → fail: a name is
 * never reused, so nothing published is replaced) and listed back for `audit:verify`.
 */
import type { CheckpointStore } from '../../audit/publish';
import { createTokenProvider, type TokenProvider } from '../../graph/app-tokens';
import { resolveSharePointConfig, type SharePointStoreConfig } from './config';
import { errorFromResponse, GraphApi, withRetry } from './graph';

export const CHECKPOINT_FOLDER = 'Checkpoints';

interface ChildrenPage {
  value: { id: string; name: string; file?: unknown }[];
  '@odata.nextLink'?: string;
}

export class SharePointCheckpointStore implements CheckpointStore {
  readonly where: string;
  private readonly api: GraphApi;
  private readonly driveId: string;
  private ids = new Map<string, string>();

  constructor(config: SharePointStoreConfig, tokenProvider?: TokenProvider) {
    const resolved = resolveSharePointConfig(config);
    const policy = { maxAttempts: resolved.maxAttempts, baseDelayMs: resolved.retryBaseDelayMs, maxDelayMs: resolved.maxRetryDelayMs };
    this.api = new GraphApi(resolved.graphBaseUrl, tokenProvider ?? createTokenProvider(resolved), policy, resolved.caCertificate);
    this.driveId = resolved.driveId;
    this.where = `the "${CHECKPOINT_FOLDER}" folder of the evidence library in SharePoint`;
  }

  private folderPath(name?: string): string {
    return `/drives/${encodeURIComponent(this.driveId)}/root:/${CHECKPOINT_FOLDER}${name ? `/${encodeURIComponent(name)}` : ''}:`;
  }

  async write(name: string, text: string): Promise<void> {
    const body = Buffer.from(text, 'utf8');
    await withRetry(this.api.policy, async () => {
      const res = await this.api.transport.send({
        method: 'PUT',
        url: this.api.url(`${this.folderPath(name)}/content?@microsoft.graph.conflictBehavior=fail`),
        headers: await this.api.authorisedHeaders({ 'content-type': 'application/json', 'content-length': body.length }),
        body,
      });
      if (res.status !== 200 && res.status !== 201) throw errorFromResponse(res);
    });
  }

  async names(): Promise<string[]> {
    const ids = new Map<string, string>();
    let next: string | null = this.api.url(`${this.folderPath()}/children`);
    while (next) {
      const url: string = next;
      const page = await withRetry(this.api.policy, async () => {
        const res = await this.api.transport.send({ method: 'GET', url, headers: await this.api.authorisedHeaders() });
        // No folder yet: nothing has been published.
        if (res.status === 404) return null;
        if (res.status !== 200) throw errorFromResponse(res);
        return JSON.parse(res.body.toString('utf8')) as ChildrenPage;
      });
      if (!page) break;
      for (const item of page.value) if (item.file !== undefined && item.name.endsWith('.json')) ids.set(item.name, item.id);
      next = page['@odata.nextLink'] ?? null;
    }
    this.ids = ids;
    return [...ids.keys()];
  }

  /** Reads a file `names()` listed: Graph answers the content request with a redirect. */
  async read(name: string): Promise<string> {
    const id = this.ids.get(name);
    if (!id) throw new Error(`The checkpoint ${name} is not in ${this.where}.`);
    const url = this.api.url(`/drives/${encodeURIComponent(this.driveId)}/items/${encodeURIComponent(id)}/content`);
    return withRetry(this.api.policy, async () => {
      const first = await this.api.transport.send({ method: 'GET', url, headers: await this.api.authorisedHeaders() });
      if (first.status === 200) return first.body.toString('utf8');
      const location = first.headers.location;
      if (first.status !== 302 || !location) throw errorFromResponse(first);
      const content = await this.api.transport.send({ method: 'GET', url: new URL(location, url).toString() });
      if (content.status !== 200) throw errorFromResponse(content);
      return content.body.toString('utf8');
    });
  }

  close(): void {
    this.api.close();
  }
}
