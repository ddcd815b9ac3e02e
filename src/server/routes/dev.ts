/** Local sign-in. Registered only in local mode, which the configuration forbids in production. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../domain/errors';
import { parseForm, safeString } from '../../domain/forms';
import type { Directory } from '../../app/ports';
import type { LocalTokens } from '../../identity/local-tokens';

const tokenBody = z.object({ userId: safeString({ error: 'Choose who to sign in as.' }).min(1, { error: 'Choose who to sign in as.' }).max(64) });

export async function registerDevRoutes(app: FastifyInstance, directory: Directory, tokens: LocalTokens): Promise<void> {
  app.get('/api/dev/users', async () => {
    const people = await directory.all();
    return people
      .filter((p) => p.active)
      .map((p) => ({ id: p.id, displayName: p.displayName, roles: p.roles, managerId: p.managerId ?? null, aadObjectId: p.aadObjectId, team: p.team ?? null }));
  });
  app.post('/api/dev/token', async (request) => {
    const { userId } = parseForm(tokenBody, request.body ?? {});
    const person = await directory.get(userId);
    if (!person || !person.active) throw notFound('There is no such person in the demo directory.');
    return { token: await tokens.issue(person.id) };
  });
}
