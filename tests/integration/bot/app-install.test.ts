/**
 * Someone who has not installed the app: with Graph configured the bot asks Graph to install it
 * for them, the notification says so, and their cards arrive when Teams reports the installation.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGraphAppInstaller } from '../../../src/graph';
import type { AppInstaller } from '../../../src/notify/ports';
import type { SqlStore } from '../../../src/store';
import { openFreshStore } from '../../support/databases';
import { startBotHarness, verbs, type BotHarness } from './harness';

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('installing the app through Graph', () => {
  test('the installer calls installedApps as Graph documents, and reads 201, 409 and refusals', async () => {
    const calls: { url: string; auth: string | undefined; body: unknown }[] = [];
    const answers = [201, 409, 403];
    const graph = createServer((req, res) => {
      void body(req).then((text) => {
        calls.push({ url: `${req.method} ${req.url}`, auth: req.headers.authorization, body: JSON.parse(text) });
        const status = answers.shift() ?? 500;
        res.writeHead(status, { 'content-type': 'application/json' }).end(status === 403 ? '{"error":{"code":"Forbidden","message":"Missing role"}}' : '{}');
      });
    });
    await new Promise<void>((resolve) => graph.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(graph.address() as AddressInfo).port}/v1.0`;
    try {
      const installer = createGraphAppInstaller({ graphBaseUrl: base, catalogAppId: 'catalog-app-1', token: async () => 'graph-token' });
      expect(await installer.install('oid-1')).toBe('requested');
      expect(await installer.install('oid-2')).toBe('already_installed');
      await expect(installer.install('oid-3')).rejects.toThrow('Microsoft Graph refused to install the app (403)');
      expect(calls[0]).toEqual({
        url: 'POST /v1.0/users/oid-1/teamwork/installedApps',
        auth: 'Bearer graph-token',
        body: { 'teamsApp@odata.bind': `${base}/appCatalogs/teamsApps/catalog-app-1` },
      });
    } finally {
      graph.close();
    }
  });

  describe('through the bot', () => {
    let store: SqlStore;
    let h: BotHarness;
    const installs: string[] = [];
    const installer: AppInstaller = {
      async install(aadObjectId) {
        installs.push(aadObjectId);
        return 'requested';
      },
    };
    beforeAll(async () => {
      store = await openFreshStore('PGlite');
      h = await startBotHarness(store, { installer });
    });
    afterAll(async () => {
      await h.close();
      await store.close();
    });

    test('a team manager without the app gets it installed, and the card follows the installation', async () => {
      await h.install(h.people.osw);
      const request = await h.submittedRequest();
      await h.dispatcher.drainOnce();
      expect(installs).toContain(h.people.tm.aadObjectId);
      const forTm = (await store.read.outbox.listForRequest(request.id)).find((m) => m.recipientId === h.people.tm.id && m.kind === 'agree_request');
      expect(forTm?.status).toBe('failed');
      expect(forTm?.lastError).toContain('Installation was requested through Microsoft Graph');
      await h.install(h.people.tm);
      expect(verbs(h.latestCard(h.people.tm, request.id))).toContain('agree');
    });
  });
});
