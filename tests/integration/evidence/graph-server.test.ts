/** The local Graph server refuses what real Graph refuses, so the adapter's tests mean something. */
import { request } from 'node:https';
import { RANGE_UNIT, startGraphServer, type GraphServer } from '../../support/graph-server';
import { DRIVE_ID } from './helpers';

let server: GraphServer;
let uploadUrl: string;
const total = 3 * RANGE_UNIT + 10;

function send(method: string, url: string, headers: Record<string, string | number>, body = Buffer.alloc(0)): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca: server.ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function token(): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'c', client_secret: 's', scope: 'https://graph.microsoft.com/.default' }).toString();
  const res = await send('POST', `${server.origin}/${server.tenantId}/oauth2/v2.0/token`, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': form.length }, Buffer.from(form));
  return String(res.json.access_token);
}

beforeEach(async () => {
  server = await startGraphServer();
  const bearer = await token();
  const body = Buffer.from(JSON.stringify({ item: { '@microsoft.graph.conflictBehavior': 'rename' } }));
  const session = await send('POST', `${server.graphBaseUrl}/drives/${DRIVE_ID}/root:/c/r/f.png:/createUploadSession`, { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', 'content-length': body.length }, body);
  uploadUrl = String(session.json.uploadUrl);
});

afterEach(async () => {
  await server.stop();
});

const range = (start: number, end: number) => ({ 'content-range': `bytes ${start}-${end}/${total}`, 'content-length': end - start + 1 });

test('a range PUT carrying an Authorization header is refused', async () => {
  const res = await send('PUT', uploadUrl, { ...range(0, RANGE_UNIT - 1), authorization: 'Bearer x' }, Buffer.alloc(RANGE_UNIT));
  expect(res.status).toBe(401);
});

test('a range that is not a multiple of 320 KiB is refused unless it is the last', async () => {
  expect((await send('PUT', uploadUrl, range(0, 1000), Buffer.alloc(1001))).status).toBe(400);
  expect((await send('PUT', uploadUrl, range(0, 3 * RANGE_UNIT - 1), Buffer.alloc(3 * RANGE_UNIT))).json.nextExpectedRanges).toEqual([`${3 * RANGE_UNIT}-`]);
  expect((await send('PUT', uploadUrl, range(3 * RANGE_UNIT, total - 1), Buffer.alloc(10))).status).toBe(201);
});

test('ranges out of order are refused and the status says where to resume', async () => {
  expect((await send('PUT', uploadUrl, range(RANGE_UNIT, 2 * RANGE_UNIT - 1), Buffer.alloc(RANGE_UNIT))).status).toBe(416);
  const status = await send('GET', uploadUrl, {});
  expect(status.json.nextExpectedRanges).toEqual(['0-']);
});

test('Graph calls without a token issued by the token endpoint are refused', async () => {
  const res = await send('PATCH', `${server.graphBaseUrl}/drives/${DRIVE_ID}/items/x/listItem/fields`, { authorization: 'Bearer forged', 'content-length': 2 }, Buffer.from('{}'));
  expect(res.status).toBe(401);
});
