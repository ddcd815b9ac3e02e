/**
 * A throwaway PostgreSQL server for the test run: initdb into a temporary directory, listening on a
 * free port on 127.0.0.1 with its socket inside that directory. PostgreSQL refuses to run as root,
 * so as root the server is run as an unprivileged user (postgres if it exists, else nobody).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface TestPostgres {
  url: string;
  dir: string;
  binDir: string;
  /** The user the server runs as when we are root; null when it runs as us. */
  runAs: string | null;
}

/** The directory holding initdb and pg_ctl: from PATH, else the newest /usr/lib/postgresql/N/bin. */
export function findPostgresBin(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] === undefined) {
    throw new Error('PostgreSQL (initdb, pg_ctl) is not installed: run the tests with `npm test`, or apt-get install postgresql.');
  }
  return join(root, versions[0], 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function unprivilegedUser(): { name: string; uid: number; gid: number } {
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { name, uid, gid };
    } catch {
      // No such user; try the next.
    }
  }
  throw new Error('No unprivileged user (postgres or nobody) to run the test PostgreSQL server as.');
}

function run(server: Pick<TestPostgres, 'binDir' | 'runAs'>, program: string, args: string[]): void {
  const command = join(server.binDir, program);
  const [file, argv] = server.runAs ? ['runuser', ['-u', server.runAs, '--', command, ...args]] : [command, args];
  execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: tmpdir() });
}

export async function startPostgres(): Promise<TestPostgres> {
  const binDir = findPostgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'smc-pg-'));
  let runAs: string | null = null;
  if (process.getuid?.() === 0) {
    const user = unprivilegedUser();
    chownSync(dir, user.uid, user.gid);
    runAs = user.name;
  }
  const server = { url: '', dir, binDir, runAs };
  const data = join(dir, 'data');
  try {
    run(server, 'initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    const port = await freePort();
    // Durability is pointless for a throwaway server; turning it off keeps the suites fast.
    const settings = [
      `-p ${port}`,
      `-c listen_addresses=127.0.0.1`,
      `-c unix_socket_directories=${dir}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=300',
    ].join(' ');
    run(server, 'pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', settings, 'start']);
    server.url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    return server;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Could not start the test PostgreSQL server: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

export async function stopPostgres(server: TestPostgres): Promise<void> {
  const data = join(server.dir, 'data');
  try {
    // Without -W, pg_ctl waits until the server process is gone, and where nothing reaps orphans
    // (some container inits) its zombie lingers; the server removes postmaster.pid as it exits.
    run(server, 'pg_ctl', ['-D', data, '-m', 'fast', '-W', 'stop']);
    for (let waited = 0; existsSync(join(data, 'postmaster.pid')) && waited < 30_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    rmSync(server.dir, { recursive: true, force: true });
  }
}
