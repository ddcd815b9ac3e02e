/** Local sign-in. Registered only in local mode, which the configuration forbids in production. */
import { notFound } from '../../domain/errors';
import { parseForm } from '../../domain/forms';
import type { Directory } from '../../app/ports';
import type { LocalTokens } from '../../identity/local-tokens';
import { devRoutes, devTokenSchema } from '../api-contract';
import type { ApiRoutes } from '../api-route';

export async function registerDevRoutes(api: ApiRoutes, directory: Directory, tokens: LocalTokens): Promise<void> {
  api.add(devRoutes.devUsers, async () => {
    const people = await directory.all();
    return people
      .filter((p) => p.active)
      .map((p) => ({ id: p.id, displayName: p.displayName, roles: p.roles, managerId: p.managerId ?? null, aadObjectId: p.aadObjectId, team: p.team ?? null }));
  });
  api.add(devRoutes.devToken, async (request) => {
    const { userId } = parseForm(devTokenSchema, request.body ?? {});
    const person = await directory.get(userId);
    if (!person || !person.active) throw notFound('There is no such person in the demo directory.');
    return { token: await tokens.issue(person.id) };
  });
}
