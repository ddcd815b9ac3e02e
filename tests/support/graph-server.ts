/**
 * A local HTTPS server that answers as Microsoft Entra ID and Microsoft Graph document for the
 * calls the SharePoint evidence store and the provisioning script make, with faults a test can
 * inject. HTTPS because MSAL refuses an authority that is not https; the certificate is made
 * with openssl for 127.0.0.1 and handed to the client as its trusted CA.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const RANGE_UNIT = 320 * 1024;

export type FaultTarget =
  | 'token'
  | 'simple'
  | 'createSession'
  | 'range'
  | 'status'
  | 'fields'
  | 'retentionLabel'
  | 'download'
  | 'members'
  | 'manager'
  | 'user';

export type Fault =
  /** Answer with this status (429 or 503 usually), with Retry-After in seconds when given. */
  | { target: FaultTarget; kind: 'status'; status: number; retryAfter?: number; times?: number }
  /**
   * Read this many bytes of the request body, then destroy the socket. Nothing of that range is
   * kept: "If an upload request is disconnected or fails before the request is completed, all bytes
   * in that request are ignored" (driveItem: createUploadSession, "Upload bytes to the upload session").
   */
  | { target: 'range'; kind: 'reset'; afterBytes: number; times?: number; /** Only the range starting at this byte. */ atOffset?: number }
  /** Forget the upload session, so it answers 404 from now on. */
  | { target: 'range' | 'status'; kind: 'lose-session'; times?: number }
  /** Finish the upload (the final range, or a simple upload) and store the item, then drop the connection instead of answering. */
  | { target: 'range' | 'simple'; kind: 'lose-answer'; times?: number }
  /**
   * Finish the upload and store the item, then answer with this 5xx. The service may fail after
   * doing the work, which is why its guidance is "Resume or retry uploads that fail due to
   * connection interruptions or any 5xx errors" (driveItem: createUploadSession, "Best practices").
   */
  | { target: 'range' | 'simple'; kind: 'commit-then-status'; status: number; times?: number }
  /** Answer a page of group members as 200 with a body that is not a collection (a cut or garbled page). */
  | { target: 'members'; kind: 'malformed'; times?: number };

/** A user object as Graph returns it ("id", "displayName", "mail", "userPrincipalName" are its property names). */
export interface DirectoryUserFixture {
  id: string;
  displayName: string;
  mail: string | null;
  userPrincipalName: string;
  /** The object id of the user's manager, or null for none. */
  managerId: string | null;
  /**
   * user resource: "accountEnabled — true if the account is enabled; otherwise, false". Enabled when
   * left out; null as Graph answers an app with too few permissions ("only the @odata.type property …
   * and the id is returned, while other properties are indicated as null").
   */
  accountEnabled?: boolean | null;
  /**
   * user resource: "userType — A String value that can be used to classify user types in your
   * directory. The possible values are Member and Guest. Returned only on $select." Member when left
   * out; null for accounts made before the property existed.
   */
  userType?: 'Member' | 'Guest' | null;
}

export interface RecordedCall {
  method: string;
  path: string;
  target: FaultTarget | 'discovery' | 'other';
  authorization: string | undefined;
  contentRange: string | undefined;
  /** SharePoint's throttling guidance asks apps to send `ISV|CompanyName|AppName/Version`. */
  userAgent: string | undefined;
  status: number;
}

export interface StoredItem {
  id: string;
  driveId: string;
  /** Folder path inside the drive, without leading slash. */
  folder: string;
  name: string;
  size: number;
  sha256: string;
  content: Buffer | null;
  fields: Record<string, unknown>;
  retentionLabel: string | null;
}

interface UploadSession {
  id: string;
  driveId: string;
  folder: string;
  name: string;
  conflictBehavior: string;
  size: number | null;
  received: number;
  hash: ReturnType<typeof createHash>;
  chunks: Buffer[] | null;
  expires: Date;
}

export interface SiteList {
  id: string;
  displayName: string;
  template: string;
  contentTypes: { id: string; name: string; parentId: string }[];
  hasUniqueRoleAssignments: boolean;
  /** `principalId:roleDefinitionId` */
  roleAssignments: Set<string>;
  /** The library's default view: its CAML query (GroupBy, OrderBy) and the fields it shows. */
  defaultView: { viewQuery: string; fields: string[] };
}

/** SharePoint's built-in role definitions by RoleType (Reader 2, Contributor 3, Administrator 5, Editor 6). */
export const ROLE_DEFINITION_IDS: Record<number, number> = { 2: 1073741826, 3: 1073741827, 5: 1073741829, 6: 1073741830 };

export interface GraphServerOptions {
  tenantId?: string;
  /** Keep uploaded bytes in memory (tests); off for the benchmark, which keeps only hash and size. */
  keepContent?: boolean;
}

interface Certificate {
  key: string;
  cert: string;
}

let certificate: Certificate | null = null;

/** One self-signed certificate per process: generating keys is the slow part. */
function localCertificate(): Certificate {
  if (certificate) return certificate;
  const dir = mkdtempSync(path.join(tmpdir(), 'graph-cert-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')],
      { stdio: 'ignore' },
    );
    certificate = { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
    return certificate;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export class GraphServer {
  readonly tenantId: string;
  readonly calls: RecordedCall[] = [];
  readonly items = new Map<string, StoredItem>();
  readonly issuedTokens = new Set<string>();
  /** Sharing invitations on folders: `recipient:roles` by folder path. */
  readonly folderPermissions = new Map<string, Set<string>>();
  readonly tokenRequests: Record<string, string>[] = [];
  /** The site's provisioning state: site columns, content types, libraries and their permissions. */
  readonly siteColumns = new Map<string, Record<string, unknown> & { id: string; name: string }>();
  readonly contentTypes = new Map<string, { id: string; name: string; columns: string[] }>();
  readonly lists = new Map<string, SiteList>();
  readonly siteUsers = new Map<string, number>();
  /** Every change provisioning made, in order; a second run must add none. */
  readonly changes: string[] = [];
  /** Items per page when listing a folder's children. */
  childrenPageSize = 200;
  /** The directory: users by object id, and groups by object id holding user or group ids (nested groups). */
  readonly users = new Map<string, DirectoryUserFixture>();
  readonly groups = new Map<string, Set<string>>();
  /** Members per page when the caller asks for no smaller $top (Graph's default page for members is 100). */
  directoryPageSize = 100;
  private faults: (Fault & { left: number })[] = [];
  private sessions = new Map<string, UploadSession>();
  private server: Server;
  private port = 0;
  private readonly keepContent: boolean;
  readonly ca: string;

  constructor(options: GraphServerOptions = {}) {
    this.tenantId = options.tenantId ?? '11111111-2222-3333-4444-555555555555';
    this.keepContent = options.keepContent ?? true;
    const { key, cert } = localCertificate();
    this.ca = cert;
    this.server = createServer({ key, cert }, (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.json(res, 500, { error: { code: 'generalException', message: String(error) } });
        else res.destroy();
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get origin(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  get graphBaseUrl(): string {
    return `${this.origin}/v1.0`;
  }

  /** The authority host MSAL is pointed at; the tenant goes after it. */
  get authorityHost(): string {
    return this.origin;
  }

  /** The SharePoint site's REST root, for breaking inheritance and granting groups. */
  get sharePointRestUrl(): string {
    return `${this.origin}/sites/evidence`;
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  callsTo(target: RecordedCall['target']): RecordedCall[] {
    return this.calls.filter((c) => c.target === target);
  }

  itemAt(folder: string, name: string): StoredItem | undefined {
    return [...this.items.values()].find((i) => i.folder === folder && i.name === name);
  }

  /** Adds a file directly, to set up a name conflict. */
  seedItem(driveId: string, folder: string, name: string, content: Buffer): StoredItem | null {
    return this.saveItem(driveId, folder, name, 'fail', content.length, createHash('sha256').update(content).digest('hex'), content);
  }

  private record(req: IncomingMessage, target: RecordedCall['target'], status: number): void {
    this.calls.push({
      method: req.method ?? '',
      path: req.url ?? '',
      target,
      authorization: req.headers.authorization,
      contentRange: req.headers['content-range'],
      userAgent: req.headers['user-agent'],
      status,
    });
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  private graphError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
    this.json(res, status, { error: { code, message, innerError: { 'request-id': randomUUID(), date: new Date().toISOString() } } }, headers);
  }

  /** Answers a status fault if one is due; true when it did. */
  private async statusFault(req: IncomingMessage, res: ServerResponse, target: FaultTarget): Promise<boolean> {
    const fault = this.faults.find((f) => f.target === target && f.left > 0 && f.kind === 'status');
    if (!fault || fault.kind !== 'status') return false;
    fault.left -= 1;
    await drain(req);
    this.record(req, target, fault.status);
    const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
    if (target === 'token') {
      // Entra ID answers in OAuth's error shape, not Graph's.
      this.json(res, fault.status, { error: 'temporarily_unavailable', error_description: 'AADSTS50196: Injected fault.' }, headers);
    } else {
      this.graphError(res, fault.status, fault.status === 429 ? 'activityLimitReached' : 'serviceNotAvailable', 'Injected fault.', headers);
    }
    return true;
  }

  private authorised(req: IncomingMessage, res: ServerResponse, target: RecordedCall['target']): boolean {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (token && this.issuedTokens.has(token)) return true;
    this.record(req, target, 401);
    this.graphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    return false;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const p = decodeURIComponent(url.pathname);
    const method = req.method ?? 'GET';

    // Entra ID: OpenID discovery and the v2.0 token endpoint for client credentials.
    const tenant = this.tenantId;
    if (method === 'GET' && p === `/${tenant}/v2.0/.well-known/openid-configuration`) {
      this.record(req, 'discovery', 200);
      return this.json(res, 200, {
        token_endpoint: `${this.origin}/${tenant}/oauth2/v2.0/token`,
        authorization_endpoint: `${this.origin}/${tenant}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${this.origin}/${tenant}/oauth2/v2.0/logout`,
        jwks_uri: `${this.origin}/${tenant}/discovery/v2.0/keys`,
        issuer: `${this.origin}/${tenant}/v2.0`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        tenant_region_scope: 'EU',
      });
    }
    if (method === 'POST' && p === `/${tenant}/oauth2/v2.0/token`) return this.token(req, res);

    // Upload session URLs are pre-authenticated: Graph rejects an Authorization header on them.
    const upload = /^\/upload\/([^/]+)$/.exec(p);
    if (upload?.[1]) return this.uploadUrl(req, res, upload[1]);
    const download = /^\/download\/([^/]+)$/.exec(p);
    if (download?.[1] && method === 'GET') return this.download(req, res, download[1]);
    if (method === 'PUT' && p === '/sink') return this.sink(req, res);

    if (p.startsWith('/v1.0/')) return this.graph(req, res, method, p.slice('/v1.0'.length), url);
    if (p.startsWith('/sites/evidence/_api/')) return this.sharePointRest(req, res, method, p.slice('/sites/evidence/_api'.length));
    this.record(req, 'other', 404);
    this.graphError(res, 404, 'itemNotFound', `No route for ${method} ${p}`);
  }

  /** Every user in the group or its nested groups, once each. */
  private transitiveUsers(groupId: string, seen = new Set<string>()): DirectoryUserFixture[] {
    const found: DirectoryUserFixture[] = [];
    for (const member of this.groups.get(groupId) ?? []) {
      if (seen.has(member)) continue;
      seen.add(member);
      const user = this.users.get(member);
      if (user) found.push(user);
      else if (this.groups.has(member)) found.push(...this.transitiveUsers(member, seen));
    }
    return found;
  }

  /**
   * The directory calls of the sync, from the Graph v1.0 reference:
   * - GET /groups/{id}/transitiveMembers/microsoft.graph.user — "This operation is transitive and
   *   returns a flat list of all nested members"; pages carry "@odata.nextLink", which "contains a
   *   URL to the next page of results" (learn.microsoft.com/graph/paging). The cast is an advanced
   *   query: "ConsistencyLevel: eventual. This header and $count are required when using the
   *   $search, $filter, $orderby, or OData cast query parameters", and "If … the ConsistencyLevel
   *   header or the $count=true query string is missing, the request returns an error"
   *   (learn.microsoft.com/graph/aad-advanced-queries); with $count=true the page carries
   *   "@odata.count";
   * - GET /users/{id | userPrincipalName}/manager — "Returns the user or organizational contact
   *   assigned as the user's manager", 404 when there is none;
   * - GET /users/{id | userPrincipalName}.
   */
  private async directory(req: IncomingMessage, res: ServerResponse, p: string, url: URL): Promise<void> {
    const select = url.searchParams.get('$select');
    const members = /^\/groups\/([^/]+)\/transitiveMembers\/microsoft\.graph\.user$/.exec(p);
    if (members?.[1]) {
      if (!this.authorised(req, res, 'members')) return;
      if (await this.statusFault(req, res, 'members')) return;
      const malformed = this.faults.find((f) => f.target === 'members' && f.kind === 'malformed' && f.left > 0);
      if (malformed) {
        malformed.left -= 1;
        this.record(req, 'members', 200);
        return this.json(res, 200, { '@odata.context': `${this.graphBaseUrl}/$metadata#users` });
      }
      if (req.headers.consistencylevel !== 'eventual' || url.searchParams.get('$count') !== 'true') {
        this.record(req, 'members', 400);
        return this.graphError(res, 400, 'Request_UnsupportedQuery', 'The specified filter to the reference property query is currently not supported.');
      }
      if (!this.groups.has(members[1])) {
        this.record(req, 'members', 404);
        return this.graphError(res, 404, 'Request_ResourceNotFound', `Resource '${members[1]}' does not exist or one of its queried reference-property objects are not present.`);
      }
      const all = this.transitiveUsers(members[1]);
      const top = Math.min(Number(url.searchParams.get('$top') ?? this.directoryPageSize) || this.directoryPageSize, this.directoryPageSize, 999);
      const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
      const page = all.slice(skip, skip + top);
      const body: Record<string, unknown> = { '@odata.context': `${this.graphBaseUrl}/$metadata#users`, '@odata.count': all.length, value: page.map((u) => selected(u, select)) };
      if (skip + top < all.length) {
        const next = new URL(url.href);
        next.searchParams.set('$skiptoken', String(skip + top));
        body['@odata.nextLink'] = next.href;
      }
      this.record(req, 'members', 200);
      return this.json(res, 200, body);
    }
    const manager = /^\/users\/([^/]+)\/manager$/.exec(p);
    const user = /^\/users\/([^/]+)$/.exec(p);
    const target = manager ? 'manager' : 'user';
    if (!this.authorised(req, res, target)) return;
    if (await this.statusFault(req, res, target)) return;
    const key = (manager?.[1] ?? user?.[1] ?? '').toLowerCase();
    const found = [...this.users.values()].find((u) => u.id.toLowerCase() === key || u.userPrincipalName.toLowerCase() === key);
    const answer = manager ? (found?.managerId ? this.users.get(found.managerId) : undefined) : found;
    if (!answer) {
      this.record(req, target, 404);
      return this.graphError(res, 404, 'Request_ResourceNotFound', `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
    }
    this.record(req, target, 200);
    return this.json(res, 200, selected(answer, select));
  }

  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (await this.statusFault(req, res, 'token')) return;
    const form = Object.fromEntries(new URLSearchParams((await readBody(req)).toString('utf8')));
    this.tokenRequests.push(form);
    const hasCredential =
      Boolean(form.client_secret) ||
      (form.client_assertion_type === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' && Boolean(form.client_assertion));
    if (form.grant_type !== 'client_credentials' || !form.client_id || !hasCredential || !form.scope?.endsWith('/.default')) {
      this.record(req, 'token', 400);
      return this.json(res, 400, { error: 'invalid_request', error_description: 'AADSTS900144: The request body must contain client credentials.' });
    }
    const accessToken = randomUUID();
    this.issuedTokens.add(accessToken);
    this.record(req, 'token', 200);
    this.json(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken });
  }

  private async graph(req: IncomingMessage, res: ServerResponse, method: string, p: string, url: URL): Promise<void> {
    if (method === 'GET' && (p.startsWith('/groups/') || p.startsWith('/users/'))) return this.directory(req, res, p, url);
    const simple = /^\/drives\/([^/]+)\/root:\/(.+):\/content$/.exec(p);
    if (simple?.[1] && simple[2] && method === 'PUT') {
      if (!this.authorised(req, res, 'simple')) return;
      if (await this.statusFault(req, res, 'simple')) return;
      const body = await readBody(req);
      if (forbiddenName(simple[2])) return this.refuseName(req, res, 'simple');
      const { folder, name } = splitPath(simple[2]);
      const behaviour = url.searchParams.get('@microsoft.graph.conflictBehavior') ?? 'fail';
      const item = this.saveItem(simple[1], folder, name, behaviour, body.length, createHash('sha256').update(body).digest('hex'), body);
      if (!item) return this.conflict(req, res, 'simple');
      if (this.takeLostAnswer('simple')) return this.dropAnswer(req, 'simple');
      if (this.failAfterCommit(req, res, 'simple')) return;
      this.record(req, 'simple', 201);
      return this.json(res, 201, this.driveItem(item));
    }
    const create = /^\/drives\/([^/]+)\/root:\/(.+):\/createUploadSession$/.exec(p);
    if (create?.[1] && create[2] && method === 'POST') {
      if (!this.authorised(req, res, 'createSession')) return;
      if (await this.statusFault(req, res, 'createSession')) return;
      const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as { item?: Record<string, unknown> };
      if (forbiddenName(create[2])) return this.refuseName(req, res, 'createSession');
      const { folder, name } = splitPath(create[2]);
      const session: UploadSession = {
        id: randomUUID(),
        driveId: create[1],
        folder,
        name,
        conflictBehavior: String(body.item?.['@microsoft.graph.conflictBehavior'] ?? 'fail'),
        size: null,
        received: 0,
        hash: createHash('sha256'),
        chunks: this.keepContent ? [] : null,
        expires: new Date(Date.now() + 3600_000),
      };
      this.sessions.set(session.id, session);
      this.record(req, 'createSession', 200);
      return this.json(res, 200, {
        uploadUrl: `${this.origin}/upload/${session.id}`,
        expirationDateTime: session.expires.toISOString(),
        nextExpectedRanges: ['0-'],
      });
    }
    const invite = /^\/drives\/([^/]+)\/root:\/(.+):\/invite$/.exec(p);
    if (invite?.[2] && method === 'POST') {
      if (!this.authorised(req, res, 'other')) return;
      const folder = invite[2];
      const body = JSON.parse((await readBody(req)).toString('utf8')) as { roles?: string[]; recipients?: Record<string, string>[]; requireSignIn?: boolean };
      if (![...this.items.values()].some((i) => i.folder === folder || i.folder.startsWith(`${folder}/`))) return this.notFound(req, res, 'other');
      const granted = this.folderPermissions.get(folder) ?? new Set<string>();
      for (const recipient of body.recipients ?? []) granted.add(`${recipient.objectId ?? recipient.email}:${(body.roles ?? []).join('+')}`);
      this.folderPermissions.set(folder, granted);
      this.record(req, 'other', 200);
      return this.json(res, 200, { value: (body.recipients ?? []).map((r) => ({ id: randomUUID(), roles: body.roles, grantedTo: { user: { id: r.objectId, email: r.email } } })) });
    }
    const fields = /^\/drives\/([^/]+)\/items\/([^/]+)\/listItem\/fields$/.exec(p);
    if (fields?.[2] && method === 'PATCH') {
      if (!this.authorised(req, res, 'fields')) return;
      if (await this.statusFault(req, res, 'fields')) return;
      const item = this.items.get(fields[2]);
      const body = JSON.parse((await readBody(req)).toString('utf8')) as Record<string, unknown>;
      if (!item) return this.notFound(req, res, 'fields');
      Object.assign(item.fields, body);
      this.record(req, 'fields', 200);
      return this.json(res, 200, { '@odata.etag': `"${randomUUID()},2"`, id: '1', ...item.fields });
    }
    const label = /^\/drives\/([^/]+)\/items\/([^/]+)\/retentionLabel$/.exec(p);
    if (label?.[2] && method === 'PATCH') {
      if (!this.authorised(req, res, 'retentionLabel')) return;
      if (await this.statusFault(req, res, 'retentionLabel')) return;
      const item = this.items.get(label[2]);
      const body = JSON.parse((await readBody(req)).toString('utf8')) as { name?: string };
      if (!item) return this.notFound(req, res, 'retentionLabel');
      const first = item.retentionLabel === null;
      item.retentionLabel = body.name ?? null;
      this.record(req, 'retentionLabel', first ? 201 : 200);
      return this.json(res, first ? 201 : 200, { name: item.retentionLabel, isLabelAppliedExplicitly: true, labelAppliedDateTime: new Date().toISOString() });
    }
    const content = /^\/drives\/([^/]+)\/items\/([^/]+)\/content$/.exec(p);
    if (content?.[2] && method === 'GET') {
      if (!this.authorised(req, res, 'download')) return;
      if (await this.statusFault(req, res, 'download')) return;
      if (!this.items.has(content[2])) return this.notFound(req, res, 'download');
      // Graph answers with a redirect to a short-lived pre-authenticated URL.
      this.record(req, 'download', 302);
      res.writeHead(302, { location: `${this.origin}/download/${content[2]}`, 'content-length': 0 });
      return void res.end();
    }
    // List children of a driveItem (learn.microsoft.com/graph/api/driveitem-list-children): "Return a
    // collection of DriveItems in the children relationship of a DriveItem", here addressed by path,
    // `GET /drives/{drive-id}/root:/{path-relative-to-root}:/children`. "If successful, this method
    // returns a 200 OK response code and collection of DriveItem objects in the response body";
    // a longer list comes in pages, each but the last with "@odata.nextLink". A folder that was never
    // made is 404 itemNotFound (here: a folder exists once something was uploaded into it).
    const children = /^\/drives\/([^/]+)\/root:\/(.+):\/children$/.exec(p);
    if (children?.[1] && children[2] && method === 'GET') {
      if (!this.authorised(req, res, 'other')) return;
      const [driveId, folder] = [children[1], children[2]];
      const inFolder = [...this.items.values()].filter((i) => i.driveId === driveId && i.folder === folder);
      if (inFolder.length === 0) return this.notFound(req, res, 'other');
      const from = Number(url.searchParams.get('$skiptoken') ?? 0);
      const page = inFolder.slice(from, from + this.childrenPageSize);
      const more = from + page.length < inFolder.length;
      this.record(req, 'other', 200);
      return this.json(res, 200, {
        value: page.map((i) => this.driveItem(i)),
        ...(more ? { '@odata.nextLink': `${this.origin}/v1.0/drives/${driveId}/root:/${folder}:/children?$skiptoken=${from + page.length}` } : {}),
      });
    }
    // "POST /drives/{drive-id}/items/{item-id}/permanentDelete" (driveItem: permanentDelete): "If successful,
    // this method returns a 204 No Content response code. It doesn't return anything in the response body."
    const permanentDelete = /^\/drives\/([^/]+)\/items\/([^/]+)\/permanentDelete$/.exec(p);
    if (permanentDelete?.[2] && method === 'POST') {
      if (!this.authorised(req, res, 'other')) return;
      if (!this.items.has(permanentDelete[2])) return this.notFound(req, res, 'other');
      this.items.delete(permanentDelete[2]);
      this.record(req, 'other', 204);
      res.writeHead(204);
      res.end();
      return;
    }
    const item = /^\/drives\/([^/]+)\/items\/([^/]+)$/.exec(p);
    if (item?.[2] && method === 'GET') {
      if (!this.authorised(req, res, 'other')) return;
      const found = this.items.get(item[2]);
      if (!found) return this.notFound(req, res, 'other');
      this.record(req, 'other', 200);
      return this.json(res, 200, this.driveItem(found));
    }
    // "GET /drives/{drive-id}/root:/{item-path}" (Get driveItem): an item by its path.
    const byPath = /^\/drives\/([^/]+)\/root:\/(.+?):?$/.exec(p);
    if (byPath?.[2] && method === 'GET') {
      if (!this.authorised(req, res, 'other')) return;
      const { folder, name } = splitPath(byPath[2]);
      const found = this.itemAt(folder, name);
      if (!found) return this.notFound(req, res, 'other');
      this.record(req, 'other', 200);
      return this.json(res, 200, this.driveItem(found));
    }
    if (p.startsWith('/sites/')) return this.sites(req, res, method, p);
    this.notFound(req, res, 'other');
  }

  private notFound(req: IncomingMessage, res: ServerResponse, target: RecordedCall['target']): void {
    this.record(req, target, 404);
    this.graphError(res, 404, 'itemNotFound', 'The resource could not be found.');
  }

  private refuseName(req: IncomingMessage, res: ServerResponse, target: RecordedCall['target']): void {
    this.record(req, target, 400);
    this.graphError(res, 400, 'invalidRequest', 'The name of a file or folder is not allowed in SharePoint.');
  }

  private conflict(req: IncomingMessage, res: ServerResponse, target: RecordedCall['target']): void {
    this.record(req, target, 409);
    this.graphError(res, 409, 'nameAlreadyExists', 'The specified item name already exists.');
  }

  private saveItem(
    driveId: string,
    folder: string,
    name: string,
    behaviour: string,
    size: number,
    sha256: string,
    content: Buffer | null,
  ): StoredItem | null {
    let finalName = name;
    if (this.itemAt(folder, name)) {
      if (behaviour !== 'rename') return null;
      const ext = path.extname(name);
      const stem = name.slice(0, name.length - ext.length);
      for (let n = 1; this.itemAt(folder, finalName); n += 1) finalName = `${stem} ${n}${ext}`;
    }
    const item: StoredItem = {
      id: `01${randomUUID().replace(/-/g, '').toUpperCase()}`,
      driveId,
      folder,
      name: finalName,
      size,
      sha256,
      content: this.keepContent ? content : null,
      fields: {},
      retentionLabel: null,
    };
    this.items.set(item.id, item);
    return item;
  }

  private driveItem(item: StoredItem): Record<string, unknown> {
    return {
      id: item.id,
      name: item.name,
      size: item.size,
      webUrl: `${this.origin}/sites/evidence/Evidence/${item.folder}/${encodeURIComponent(item.name)}`,
      parentReference: { driveId: item.driveId, path: `/drives/${item.driveId}/root:/${item.folder}` },
      file: { mimeType: 'application/octet-stream', hashes: {} },
    };
  }

  private async uploadUrl(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const method = req.method ?? 'GET';
    const target: FaultTarget = method === 'PUT' ? 'range' : 'status';
    if (req.headers.authorization) {
      await drain(req);
      this.record(req, target, 401);
      return this.graphError(res, 401, 'invalidRequest', 'Do not send an Authorization header to the upload URL.');
    }
    const lose = this.faults.find((f) => f.target === target && f.kind === 'lose-session' && f.left > 0);
    if (lose) {
      lose.left -= 1;
      this.sessions.delete(id);
    }
    if (await this.statusFault(req, res, target)) return;
    const session = this.sessions.get(id);
    if (!session) {
      await drain(req);
      return this.notFound(req, res, target);
    }
    if (method === 'DELETE') {
      this.sessions.delete(id);
      this.record(req, 'status', 204);
      res.writeHead(204);
      return void res.end();
    }
    if (method === 'GET') {
      this.record(req, 'status', 200);
      return this.json(res, 200, { expirationDateTime: session.expires.toISOString(), nextExpectedRanges: [`${session.received}-`] });
    }
    if (method !== 'PUT') return this.notFound(req, res, 'range');
    return this.range(req, res, session);
  }

  private async range(req: IncomingMessage, res: ServerResponse, session: UploadSession): Promise<void> {
    const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(req.headers['content-range'] ?? '');
    const length = Number(req.headers['content-length']);
    if (!match) {
      await drain(req);
      this.record(req, 'range', 400);
      return this.graphError(res, 400, 'invalidRequest', 'Content-Range is required.');
    }
    const [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const last = end === total - 1;
    const problem =
      session.size !== null && total !== session.size ? 'The total size changed.'
      : start !== session.received ? 'Fragments must be uploaded in order from nextExpectedRanges.'
      : end - start + 1 !== length ? 'Content-Length does not match Content-Range.'
      : !last && length % RANGE_UNIT !== 0 ? 'Each fragment must be a multiple of 320 KiB.'
      : null;
    if (problem) {
      await drain(req);
      this.record(req, 'range', start !== session.received ? 416 : 400);
      return this.graphError(res, start !== session.received ? 416 : 400, 'invalidRange', problem);
    }
    session.size = total;
    const reset = this.takeResetFault(start);
    if (reset) return this.resetMidRange(req, reset.afterBytes);
    // A range counts only once it is accepted: a refused one leaves the session as it was.
    const hash = session.hash.copy();
    const chunks: Buffer[] = [];
    let got = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      hash.update(chunk);
      if (session.chunks) chunks.push(chunk);
      got += chunk.length;
    }
    if (got !== length) {
      this.record(req, 'range', 400);
      return this.graphError(res, 400, 'invalidRequest', 'The body was shorter than Content-Length.');
    }
    const content = session.chunks ? Buffer.concat([...session.chunks, ...chunks]) : null;
    const item = last ? this.saveItem(session.driveId, session.folder, session.name, session.conflictBehavior, total, hash.copy().digest('hex'), content) : null;
    // "The upload session is preserved until the expiration time" when the name conflicts on commit.
    if (last && !item) return this.conflict(req, res, 'range');
    session.hash = hash;
    session.chunks?.push(...chunks);
    session.received = end + 1;
    if (!item) {
      this.record(req, 'range', 202);
      return this.json(res, 202, { expirationDateTime: session.expires.toISOString(), nextExpectedRanges: [`${session.received}-`] });
    }
    this.sessions.delete(session.id);
    if (this.takeLostAnswer('range')) return this.dropAnswer(req, 'range');
    if (this.failAfterCommit(req, res, 'range')) return;
    this.record(req, 'range', 201);
    this.json(res, 201, this.driveItem(item));
  }

  private takeLostAnswer(target: 'range' | 'simple'): boolean {
    const fault = this.faults.find((f) => f.target === target && f.kind === 'lose-answer' && f.left > 0);
    if (!fault) return false;
    fault.left -= 1;
    return true;
  }

  private failAfterCommit(req: IncomingMessage, res: ServerResponse, target: 'range' | 'simple'): boolean {
    const fault = this.faults.find((f) => f.target === target && f.kind === 'commit-then-status' && f.left > 0);
    if (fault?.kind !== 'commit-then-status') return false;
    fault.left -= 1;
    this.record(req, target, fault.status);
    this.graphError(res, fault.status, fault.status === 503 ? 'serviceNotAvailable' : 'generalException', 'The service failed after storing the item.');
    return true;
  }

  /** The work is done but the client never hears so: the connection closes without an answer. */
  private dropAnswer(req: IncomingMessage, target: FaultTarget): void {
    this.record(req, target, 0);
    req.socket.destroy();
  }

  private takeResetFault(start: number): { afterBytes: number } | undefined {
    const fault = this.faults.find((f) => f.target === 'range' && f.kind === 'reset' && f.left > 0 && (f.atOffset === undefined || f.atOffset === start));
    if (!fault || fault.kind !== 'reset') return undefined;
    fault.left -= 1;
    return { afterBytes: fault.afterBytes };
  }

  private resetMidRange(req: IncomingMessage, afterBytes: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let got = 0;
      const onData = (chunk: Buffer): void => {
        got += chunk.length;
        if (got < afterBytes) return;
        req.off('data', onData);
        this.record(req, 'range', 0);
        req.socket.destroy();
        resolve();
      };
      req.on('data', onData);
      req.on('close', () => resolve());
    });
  }

  private download(req: IncomingMessage, res: ServerResponse, id: string): void {
    const item = this.items.get(id);
    if (req.headers.authorization) {
      this.record(req, 'download', 401);
      return this.graphError(res, 401, 'invalidRequest', 'The download URL is pre-authenticated.');
    }
    if (!item?.content) return this.notFound(req, res, 'download');
    this.record(req, 'download', 200);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': item.content.length });
    res.end(item.content);
  }

  /** The benchmark's baseline: a plain streamed PUT of the same bytes, hashed and discarded. */
  private async sink(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
    this.json(res, 201, { size, sha256: hash.digest('hex') });
  }

  private async sites(req: IncomingMessage, res: ServerResponse, method: string, p: string): Promise<void> {
    if (!this.authorised(req, res, 'other')) return;
    const body = method === 'GET' ? {} : (JSON.parse((await readBody(req)).toString('utf8') || '{}') as Record<string, unknown>);
    const rest = /^\/sites\/[^/]+\/(.*)$/.exec(p)?.[1] ?? '';
    this.record(req, 'other', 200);
    const created = (what: string, value: unknown): void => {
      this.changes.push(what);
      this.json(res, 201, value);
    };

    if (rest === 'columns' && method === 'GET') return this.json(res, 200, { value: [...this.siteColumns.values()] });
    if (rest === 'columns' && method === 'POST') {
      const column = { ...body, id: randomUUID(), name: String(body.name) };
      this.siteColumns.set(column.name, column);
      return created(`site column ${column.name}`, column);
    }
    const column = /^columns\/([^/]+)$/.exec(rest);
    if (column?.[1] && method === 'PATCH') {
      const found = [...this.siteColumns.values()].find((c) => c.id === column[1]);
      if (!found) return this.graphError(res, 404, 'itemNotFound', 'No such column.');
      Object.assign(found, body);
      this.changes.push(`update site column ${found.name}`);
      return this.json(res, 200, found);
    }
    if (rest === 'contentTypes' && method === 'GET') return this.json(res, 200, { value: [...this.contentTypes.values()].map(({ id, name }) => ({ id, name })) });
    if (rest === 'contentTypes' && method === 'POST') {
      const ct = { id: `0x0101${randomUUID().replace(/-/g, '').toUpperCase()}`, name: String(body.name), columns: [] as string[] };
      this.contentTypes.set(ct.id, ct);
      return created(`content type ${ct.name}`, { id: ct.id, name: ct.name });
    }
    const ctColumns = /^contentTypes\/([^/]+)\/columns$/.exec(rest);
    if (ctColumns?.[1]) {
      const ct = this.contentTypes.get(ctColumns[1]);
      if (!ct) return this.graphError(res, 404, 'itemNotFound', 'No such content type.');
      if (method === 'GET') return this.json(res, 200, { value: ct.columns.map((name) => this.siteColumns.get(name)) });
      const columnId = String(body['sourceColumn@odata.bind'] ?? '').split('/').pop() ?? '';
      const source = [...this.siteColumns.values()].find((c) => c.id === columnId);
      if (!source) return this.graphError(res, 400, 'invalidRequest', 'sourceColumn@odata.bind must name a site column.');
      ct.columns.push(source.name);
      return created(`content type column ${source.name}`, source);
    }
    if (rest === 'lists' && method === 'GET') {
      return this.json(res, 200, { value: [...this.lists.values()].map((l) => ({ id: l.id, displayName: l.displayName, list: { template: l.template } })) });
    }
    if (rest === 'lists' && method === 'POST') {
      const list: SiteList = {
        id: randomUUID(),
        displayName: String(body.displayName),
        template: String((body.list as { template?: string } | undefined)?.template ?? 'genericList'),
        contentTypes: [{ id: '0x0101000000', name: 'Document', parentId: '0x0101' }],
        hasUniqueRoleAssignments: false,
        roleAssignments: new Set(),
        // A new document library's "All Documents" view.
        defaultView: { viewQuery: '<OrderBy><FieldRef Name="FileLeafRef" /></OrderBy>', fields: ['DocIcon', 'LinkFilename', 'Modified', 'Editor'] },
      };
      this.lists.set(list.id, list);
      return created(`library ${list.displayName}`, { id: list.id, displayName: list.displayName });
    }
    const listCts = /^lists\/([^/]+)\/contentTypes(\/addCopy)?$/.exec(rest);
    if (listCts?.[1]) {
      const list = this.lists.get(listCts[1]);
      if (!list) return this.graphError(res, 404, 'itemNotFound', 'No such list.');
      if (method === 'GET' && !listCts[2]) return this.json(res, 200, { value: list.contentTypes.map((c) => ({ id: c.id, name: c.name, parentId: c.parentId })) });
      const sourceId = String(body.contentType ?? '').split('/').pop() ?? '';
      const source = this.contentTypes.get(sourceId);
      if (method !== 'POST' || !listCts[2] || !source) return this.graphError(res, 400, 'invalidRequest', 'contentType must name a site content type.');
      const copy = { id: `${source.id}00${randomUUID().slice(0, 8).toUpperCase()}`, name: source.name, parentId: source.id };
      list.contentTypes.push(copy);
      return created(`library content type ${copy.name}`, copy);
    }
    const drive = /^lists\/([^/]+)\/drive$/.exec(rest);
    if (drive?.[1] && this.lists.has(drive[1])) return this.json(res, 200, { id: `b!${drive[1]}`, driveType: 'documentLibrary' });
    this.graphError(res, 404, 'itemNotFound', `No route for ${method} ${p}`);
  }

  /** SharePoint REST (odata=verbose) for what Graph v1.0 cannot do: unique permissions on the library. */
  private async sharePointRest(req: IncomingMessage, res: ServerResponse, method: string, p: string): Promise<void> {
    if (!this.authorised(req, res, 'other')) return;
    const raw = (await readBody(req)).toString('utf8');
    this.record(req, 'other', 200);
    if (method === 'POST' && p === '/web/ensureuser') {
      const logonName = String((JSON.parse(raw || '{}') as { logonName?: string }).logonName ?? '');
      if (!/^c:0t\.c\|tenant\|[0-9a-f-]{36}$/.test(logonName)) return this.graphError(res, 400, 'invalidRequest', 'The group could not be resolved.');
      let id = this.siteUsers.get(logonName);
      if (id === undefined) {
        id = 10 + this.siteUsers.size;
        this.siteUsers.set(logonName, id);
        this.changes.push(`site user ${logonName}`);
      }
      return this.json(res, 200, { d: { Id: id, LoginName: logonName } });
    }
    const roleDef = /^\/web\/roledefinitions\/getbytype\((\d+)\)$/.exec(p);
    if (method === 'GET' && roleDef?.[1]) {
      const id = ROLE_DEFINITION_IDS[Number(roleDef[1])];
      if (id === undefined) return this.graphError(res, 404, 'itemNotFound', 'No such role type.');
      return this.json(res, 200, { d: { Id: id, RoleTypeKind: Number(roleDef[1]) } });
    }
    const list = /^\/web\/lists\(guid'([^']+)'\)(.*)$/.exec(p);
    const found = list?.[1] ? this.lists.get(list[1]) : undefined;
    if (!found) return this.graphError(res, 404, 'itemNotFound', 'No such list.');
    const rest = list?.[2] ?? '';
    if (method === 'GET' && rest === '') return this.json(res, 200, { d: { Id: found.id, HasUniqueRoleAssignments: found.hasUniqueRoleAssignments } });
    if (method === 'POST' && rest === '/breakroleinheritance(copyRoleAssignments=false,clearSubscopes=true)') {
      found.hasUniqueRoleAssignments = true;
      found.roleAssignments.clear();
      this.changes.push(`break inheritance on ${found.displayName}`);
      return this.json(res, 200, { d: { BreakRoleInheritance: null } });
    }
    if (method === 'GET' && rest === '/roleassignments') {
      const results = [...found.roleAssignments].map((key) => {
        const [principal, role] = key.split(':').map(Number);
        return { PrincipalId: principal, RoleDefinitionBindings: { results: [{ Id: role }] } };
      });
      return this.json(res, 200, { d: { results } });
    }
    const add = /^\/roleassignments\/addroleassignment\(principalid=(\d+),roledefid=(\d+)\)$/.exec(rest);
    if (method === 'POST' && add) {
      found.roleAssignments.add(`${add[1]}:${add[2]}`);
      this.changes.push(`grant ${add[2]} to ${add[1]} on ${found.displayName}`);
      return this.json(res, 200, { d: { AddRoleAssignment: null } });
    }
    // RoleAssignmentCollection.RemoveRoleAssignment: "Removes the role assignment with the specified principal and role definition".
    const remove = /^\/roleassignments\/removeroleassignment\(principalid=(\d+),roledefid=(\d+)\)$/.exec(rest);
    if (method === 'POST' && remove) {
      found.roleAssignments.delete(`${remove[1]}:${remove[2]}`);
      this.changes.push(`remove ${remove[2]} from ${remove[1]} on ${found.displayName}`);
      return this.json(res, 200, { d: { RemoveRoleAssignment: null } });
    }
    // SP.View: ViewQuery is "the query that is used by the list view"; ViewFields "the collection of field internal names".
    if (rest === '/DefaultView' && method === 'GET') return this.json(res, 200, { d: { ViewQuery: found.defaultView.viewQuery } });
    if (rest === '/DefaultView' && method === 'POST' && /^merge$/i.test(String(req.headers['x-http-method'] ?? ''))) {
      const body = JSON.parse(raw || '{}') as { ViewQuery?: unknown };
      if (typeof body.ViewQuery !== 'string') return this.graphError(res, 400, 'invalidRequest', 'ViewQuery must be a string.');
      found.defaultView.viewQuery = body.ViewQuery;
      this.changes.push(`view query of ${found.displayName}`);
      res.writeHead(204).end();
      return;
    }
    if (rest === '/DefaultView/ViewFields' && method === 'GET') return this.json(res, 200, { d: { Items: { results: found.defaultView.fields } } });
    const field = /^\/DefaultView\/ViewFields\/addviewfield\('([^']+)'\)$/.exec(rest);
    if (field?.[1] && method === 'POST') {
      if (!found.defaultView.fields.includes(field[1])) found.defaultView.fields.push(field[1]);
      this.changes.push(`view field ${field[1]} on ${found.displayName}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"d":{"AddViewField":null}}');
      return;
    }
    this.graphError(res, 404, 'itemNotFound', `No route for ${method} ${p}`);
  }
}

function selected(user: DirectoryUserFixture, select: string | null): Record<string, unknown> {
  const all: Record<string, unknown> = {
    id: user.id,
    displayName: user.displayName,
    mail: user.mail,
    userPrincipalName: user.userPrincipalName,
    accountEnabled: user.accountEnabled === undefined ? true : user.accountEnabled,
    userType: user.userType === undefined ? 'Member' : user.userType,
  };
  // accountEnabled and userType are "Returned only on $select" (user resource), so they are left out of the default set.
  if (!select) return { '@odata.type': '#microsoft.graph.user', ...all, accountEnabled: undefined, userType: undefined };
  return Object.fromEntries(select.split(',').filter((f) => f in all).map((f) => [f, all[f]]));
}

/**
 * "These names aren't allowed for files or folders: .lock, CON, PRN, AUX, NUL, COM0 - COM9,
 * LPT0 - LPT9, _vti_, desktop.ini, any filename starting with ~$"; "_vti_ cannot appear anywhere
 * in a file name"; "forms isn't supported when the folder is at the root level for a library"
 * (Restrictions and limitations in OneDrive and SharePoint, "Invalid file names and file types").
 */
function forbiddenName(itemPath: string): boolean {
  const segments = itemPath.split('/');
  return segments.some(
    (segment, i) =>
      /^(\.lock|con|prn|aux|nul|com[0-9]|lpt[0-9]|desktop\.ini)$/i.test(segment) || segment.includes('_vti_') || segment.startsWith('~$') || (i === 0 && segments.length > 1 && /^forms$/i.test(segment)),
  );
}

function splitPath(itemPath: string): { folder: string; name: string } {
  const parts = itemPath.split('/');
  const name = parts.pop() ?? '';
  return { folder: parts.join('/'), name };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _chunk of req as AsyncIterable<Buffer>) {
    // discard
  }
}

export async function startGraphServer(options: GraphServerOptions = {}): Promise<GraphServer> {
  return new GraphServer(options).start();
}
