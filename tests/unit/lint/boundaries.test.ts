/**
 * The dependency direction of docs/design.md §5 is enforced by lint: each forbidden import, written
 * into a file in the folder it is forbidden from, fails with the rule that guards it, and the
 * imports the layout allows pass.
 */
import path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../../..');
const PATHS = 'import-x/no-restricted-paths';
const PACKAGES = 'no-restricted-imports';

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

/** Lints `code` as if it were the file at `file` (relative to the repository); nothing is written. */
async function rulesFired(file: string, code: string): Promise<(string | null)[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).map((m) => m.ruleId);
}

describe('forbidden imports fail lint', () => {
  test.each([
    ['domain imports app', 'src/domain/probe.ts', "import type { AppDeps } from '../app/deps';\nexport type Probe = AppDeps;\n", PATHS],
    ['domain imports store', 'src/domain/probe.ts', "import { createStore } from '../store';\nexport const probe = createStore;\n", PATHS],
    ['domain imports anything else of ours', 'src/domain/probe.ts', "import { appRoot } from '../version';\nexport const probe = appRoot;\n", PATHS],
    ['domain imports the bot', 'src/domain/probe.ts', "import { createTeamsBot } from '../../bot';\nexport const probe = createTeamsBot;\n", PATHS],
    ['app imports the store', 'src/app/requests/probe.ts', "import { createStore } from '../../store';\nexport const probe = createStore;\n", PATHS],
    ['app imports the evidence adapter', 'src/app/probe.ts', "import { createEvidenceStore } from '../evidence';\nexport const probe = createEvidenceStore;\n", PATHS],
    ['app imports Graph', 'src/app/probe.ts', "import { graphSignIn } from '../graph';\nexport const probe = graphSignIn;\n", PATHS],
    ['app imports the server', 'src/app/probe.ts', "import { loadConfig } from '../server/config';\nexport const probe = loadConfig;\n", PATHS],
    ['app imports Fastify', 'src/app/probe.ts', "import type { FastifyInstance } from 'fastify';\nexport type Probe = FastifyInstance;\n", PACKAGES],
    ['an adapter in src imports bot/', 'src/server/probe.ts', "import { createTeamsBot } from '../../bot';\nexport const probe = createTeamsBot;\n", PATHS],
    ['a file at the top of src imports bot/', 'src/probe.ts', "import { createTeamsBot } from '../bot';\nexport const probe = createTeamsBot;\n", PATHS],
    ['the store imports botbuilder', 'src/store/probe.ts', "import { CardFactory } from 'botbuilder';\nexport const probe = CardFactory;\n", PACKAGES],
    ['the composition root imports botbuilder', 'src/main/probe.ts', "import { CardFactory } from 'botbuilder';\nexport const probe = CardFactory;\n", PACKAGES],
    ['the tab imports botframework-connector', 'tab/src/probe.ts', "import type { BotFrameworkAuthentication } from 'botframework-connector';\nexport type Probe = BotFrameworkAuthentication;\n", PACKAGES],
    ['a script imports botbuilder', 'scripts/probe.ts', "import { CardFactory } from 'botbuilder';\nexport const probe = CardFactory;\n", PACKAGES],
    ['the tab imports the store', 'tab/src/probe.ts', "import { createStore } from '../../src/store';\nexport const probe = createStore;\n", PATHS],
    ['contracts import app', 'src/contracts/probe.ts', "import { listRequests } from '../app/requests/list-requests';\nexport const probe = listRequests;\n", PATHS],
    ['contracts import Fastify', 'src/contracts/probe.ts', "import type { FastifyReply } from 'fastify';\nexport type Probe = FastifyReply;\n", PACKAGES],
    ['the tab imports the server', 'tab/src/probe.ts', "import { requestRoutes } from '../../src/server/api-contract';\nexport const probe = requestRoutes;\n", PATHS],
    ['a page imports another page', 'tab/src/pages/ProbePage.tsx', "import WorkspacePage from './WorkspacePage';\nexport const probe = WorkspacePage;\n", PATHS],
  ])('%s', async (_name, file, code, rule) => {
    // Only the expected rule fires (twice where two boundaries forbid the same import).
    expect([...new Set(await rulesFired(file, code))]).toEqual([rule]);
  });
});

describe('the imports the layout allows pass', () => {
  test.each([
    ['domain imports itself and packages', 'src/domain/probe.ts', "import { z } from 'zod';\nimport { REQUEST_STATES } from './states';\nexport const probe = [z, REQUEST_STATES];\n"],
    ['app imports domain and its ports', 'src/app/requests/probe.ts', "import type { AppDeps } from '../deps';\nimport { AppError } from '../../domain/errors';\nexport const probe = (deps: AppDeps) => [deps, AppError];\n"],
    ['an adapter imports app and domain', 'src/store/probe.ts', "import type { ConversationStore } from '../notify/ports';\nimport { REQUEST_STATES } from '../domain/states';\nexport const probe = (c: ConversationStore) => [c, REQUEST_STATES];\n"],
    ['the composition root imports bot/ and every adapter', 'src/main/probe.ts', "import { createTeamsBot } from '../../bot';\nimport { createStore } from '../store';\nimport { graphSignIn } from '../graph';\nexport const probe = [createTeamsBot, createStore, graphSignIn];\n"],
    ['bot/ imports botbuilder and app', 'bot/probe.ts', "import { CardFactory } from 'botbuilder';\nimport { takeAction } from '../src/app/requests/take-action';\nexport const probe = [CardFactory, takeAction];\n"],
    ['a page imports components and src/domain', 'tab/src/pages/ProbePage.tsx', "import { Card } from '../components/details';\nimport { REQUEST_STATES } from '../../../src/domain/states';\nexport const probe = [Card, REQUEST_STATES];\n"],
    ['the tab imports the response schemas', 'tab/src/probe.ts', "import type { ApiRequest } from '../../src/contracts/requests';\nexport type Probe = ApiRequest;\n"],
    ['the router imports the pages', 'tab/src/probe.tsx', "import WorkspacePage from './pages/WorkspacePage';\nexport const probe = WorkspacePage;\n"],
  ])('%s', async (_name, file, code) => {
    expect(await rulesFired(file, code)).toEqual([]);
  });
});
