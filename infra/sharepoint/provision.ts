/**
 * Creates or updates, idempotently, what the evidence store needs on the restricted site:
 * site columns and a content type (Graph), the evidence library using them (Graph), and, through
 * SharePoint REST (Graph v1.0 has neither), the library's own permissions and its default view.
 * Each step reads first and changes only what differs, so a second run changes nothing.
 *
 * People only ever **read** the library: the app alone writes, so nothing is deleted or replaced
 * outside the audit trail. A configured group holding more than read (an earlier `contribute`) is
 * brought down to read.
 */
import { errorFromResponse, GraphApi, withRetry, type RetryPolicy } from '../../src/evidence/sharepoint';
import type { TokenProvider } from '../../src/graph';
import { EVIDENCE_COLUMNS, EVIDENCE_CONTENT_TYPE_NAME, type ColumnDefinition } from '../../src/evidence/sharepoint/columns';

/** SharePoint's RoleType of the built-in Reader role definition. */
const READER_ROLE_TYPE = 2;

export interface LibraryGrant {
  /** Object id of an Entra ID security group (the role groups the directory sync reads). */
  groupObjectId: string;
}

export interface ProvisionOptions {
  siteId: string;
  /** The site's address, for SharePoint REST: https://contoso.sharepoint.com/sites/smc-evidence */
  siteUrl: string;
  libraryName: string;
  grants: LibraryGrant[];
  graphBaseUrl: string;
}

export interface ProvisionResult {
  listId: string;
  driveId: string;
  /** What this run changed; empty when everything was already as configured. */
  changes: string[];
}

const COLUMN_GROUP = 'Social Media Checks';

interface GraphColumn {
  id: string;
  name: string;
  displayName?: string;
  description?: string;
}

interface Named {
  id: string;
  name?: string;
  displayName?: string;
}

interface Page<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

export async function provisionSharePoint(options: ProvisionOptions, token: TokenProvider, policy: RetryPolicy, caCertificate?: string): Promise<ProvisionResult> {
  const graph = new GraphApi(options.graphBaseUrl, token, policy, caCertificate);
  const changes: string[] = [];
  const site = `/sites/${encodeURIComponent(options.siteId)}`;
  try {
    const all = async <T>(path: string): Promise<T[]> => {
      const items: T[] = [];
      for (let next: string | undefined = path; next; ) {
        const page: Page<T> = await graph.call<Page<T>>('GET', next);
        items.push(...page.value);
        next = page['@odata.nextLink'];
      }
      return items;
    };

    // 1. Site columns, so the content type can use them.
    const existing = new Map((await all<GraphColumn>(`${site}/columns`)).map((c) => [c.name, c]));
    const columnIds = new Map<string, string>();
    for (const column of Object.values(EVIDENCE_COLUMNS) as ColumnDefinition[]) {
      const found = existing.get(column.name);
      if (!found) {
        const made = await graph.call<GraphColumn>('POST', `${site}/columns`, columnBody(column));
        columnIds.set(column.name, made.id);
        changes.push(`created site column ${column.name}`);
      } else {
        columnIds.set(column.name, found.id);
        if (found.displayName !== column.displayName || found.description !== column.description) {
          await graph.call('PATCH', `${site}/columns/${found.id}`, { displayName: column.displayName, description: column.description });
          changes.push(`updated site column ${column.name}`);
        }
      }
    }

    // 2. The content type, holding every column.
    let contentType = (await all<Named>(`${site}/contentTypes`)).find((c) => c.name === EVIDENCE_CONTENT_TYPE_NAME);
    if (!contentType) {
      contentType = await graph.call<Named>('POST', `${site}/contentTypes`, {
        name: EVIDENCE_CONTENT_TYPE_NAME,
        description: 'Evidence captured under an authorised Investigation Request.',
        group: COLUMN_GROUP,
        base: { name: 'Document', id: '0x0101' },
      });
      changes.push(`created content type ${EVIDENCE_CONTENT_TYPE_NAME}`);
    }
    const ctPath = `${site}/contentTypes/${contentType.id}`;
    const onType = new Set((await all<GraphColumn>(`${ctPath}/columns`)).map((c) => c.name));
    for (const [name, id] of columnIds) {
      if (onType.has(name)) continue;
      await graph.call('POST', `${ctPath}/columns`, { 'sourceColumn@odata.bind': graph.url(`${site}/columns/${id}`) });
      changes.push(`added ${name} to the content type`);
    }

    // 3. The library, using the content type.
    let list = (await all<Named>(`${site}/lists`)).find((l) => l.displayName === options.libraryName);
    if (!list) {
      list = await graph.call<Named>('POST', `${site}/lists`, { displayName: options.libraryName, list: { template: 'documentLibrary' } });
      changes.push(`created library ${options.libraryName}`);
    }
    const listPath = `${site}/lists/${list.id}`;
    const listTypes = await all<Named & { parentId?: string }>(`${listPath}/contentTypes`);
    if (!listTypes.some((c) => c.parentId === contentType.id || c.name === EVIDENCE_CONTENT_TYPE_NAME)) {
      await graph.call('POST', `${listPath}/contentTypes/addCopy`, { contentType: graph.url(ctPath) });
      changes.push(`added the content type to ${options.libraryName}`);
    }
    const drive = await graph.call<{ id: string }>('GET', `${listPath}/drive`);

    // 4. Unique permissions: only the configured groups reach the library, and only to read.
    changes.push(...(await setPermissionsAndView(graph, token, policy, options, list.id)));
    return { listId: list.id, driveId: drive.id, changes };
  } finally {
    graph.close();
  }
}

function columnBody(column: ColumnDefinition): Record<string, unknown> {
  const kind: Record<ColumnDefinition['kind'], Record<string, unknown>> = {
    text: { text: { allowMultipleLines: false, maxLength: 255 } },
    note: { text: { allowMultipleLines: true, textType: 'plain', linesForEditing: 3 } },
    dateTime: { dateTime: { format: 'dateTime', displayAs: 'standard' } },
    boolean: { boolean: {} },
    hyperlink: { hyperlinkOrPicture: { isPicture: false } },
  };
  return { name: column.name, displayName: column.displayName, description: column.description, group: COLUMN_GROUP, ...kind[column.kind] };
}

interface Verbose<T> {
  d: T;
}

/** The default view shows the evidence columns, grouped by case, then request. */
const VIEW_FIELDS = ['DocIcon', 'LinkFilename', ...Object.values(EVIDENCE_COLUMNS).map((c) => c.name)];
const VIEW_QUERY =
  `<GroupBy Collapse="TRUE" GroupLimit="100"><FieldRef Name="${EVIDENCE_COLUMNS.caseReference.name}" /><FieldRef Name="${EVIDENCE_COLUMNS.requestReference.name}" /></GroupBy>` +
  `<OrderBy><FieldRef Name="${EVIDENCE_COLUMNS.capturedAt.name}" Ascending="FALSE" /></OrderBy>`;

async function setPermissionsAndView(
  graph: GraphApi,
  token: TokenProvider,
  policy: RetryPolicy,
  options: ProvisionOptions,
  listId: string,
): Promise<string[]> {
  const changes: string[] = [];
  const siteUrl = options.siteUrl.replace(/\/$/, '');
  // SharePoint REST wants a token for SharePoint itself, not for Graph.
  const scope = `${new URL(siteUrl).origin}/.default`;
  const rest = async <T>(method: 'GET' | 'POST', path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> =>
    withRetry(policy, async () => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const res = await graph.transport.send({
        method,
        url: `${siteUrl}/_api${path}`,
        headers: {
          authorization: `Bearer ${await token(scope)}`,
          accept: 'application/json;odata=verbose',
          'content-type': 'application/json;odata=verbose',
          'content-length': text ? Buffer.byteLength(text) : 0,
          ...extraHeaders,
        },
        ...(text ? { body: text } : {}),
      });
      if (res.status < 200 || res.status >= 300) throw errorFromResponse(res);
      return JSON.parse(res.body.toString('utf8') || '{}') as T;
    });

  const list = `/web/lists(guid'${listId}')`;
  const state = await rest<Verbose<{ HasUniqueRoleAssignments: boolean }>>('GET', `${list}?$select=HasUniqueRoleAssignments`);
  if (!state.d.HasUniqueRoleAssignments) {
    // Start from nobody: the site's members and visitors must not inherit access to evidence.
    await rest('POST', `${list}/breakroleinheritance(copyRoleAssignments=false,clearSubscopes=true)`);
    changes.push(`broke permission inheritance on ${options.libraryName}`);
  }
  const assigned = await rest<Verbose<{ results: { PrincipalId: number; RoleDefinitionBindings: { results: { Id: number }[] } }[] }>>(
    'GET',
    `${list}/roleassignments?$expand=RoleDefinitionBindings`,
  );
  const reader = await rest<Verbose<{ Id: number }>>('GET', `/web/roledefinitions/getbytype(${READER_ROLE_TYPE})`);
  for (const grant of options.grants) {
    const principal = await rest<Verbose<{ Id: number }>>('POST', '/web/ensureuser', { logonName: `c:0t.c|tenant|${grant.groupObjectId}` });
    const held = assigned.d.results.filter((a) => a.PrincipalId === principal.d.Id).flatMap((a) => a.RoleDefinitionBindings.results.map((r) => r.Id));
    if (!held.includes(reader.d.Id)) {
      await rest('POST', `${list}/roleassignments/addroleassignment(principalid=${principal.d.Id},roledefid=${reader.d.Id})`);
      changes.push(`granted read on ${options.libraryName} to group ${grant.groupObjectId}`);
    }
    for (const roleId of held.filter((id) => id !== reader.d.Id)) {
      await rest('POST', `${list}/roleassignments/removeroleassignment(principalid=${principal.d.Id},roledefid=${roleId})`);
      changes.push(`removed role ${roleId} on ${options.libraryName} from group ${grant.groupObjectId}: people only read, the app alone writes`);
    }
  }

  const view = await rest<Verbose<{ ViewQuery: string }>>('GET', `${list}/DefaultView?$select=ViewQuery`);
  if (view.d.ViewQuery !== VIEW_QUERY) {
    // MERGE through POST, as SharePoint REST updates an entity.
    await rest('POST', `${list}/DefaultView`, { __metadata: { type: 'SP.View' }, ViewQuery: VIEW_QUERY }, { 'x-http-method': 'MERGE', 'if-match': '*' });
    changes.push(`grouped the default view of ${options.libraryName} by case and request`);
  }
  const fields = await rest<Verbose<{ Items: { results: string[] } }>>('GET', `${list}/DefaultView/ViewFields`);
  for (const name of VIEW_FIELDS.filter((f) => !fields.d.Items.results.includes(f))) {
    await rest('POST', `${list}/DefaultView/ViewFields/addviewfield('${name}')`);
    changes.push(`added ${name} to the default view of ${options.libraryName}`);
  }
  return changes;
}
