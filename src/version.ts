/**
 * The project's root (the folder holding package.json) and the app's version, found from this
 * file's place: the same whether the server runs from the sources (tsx) or from the build in dist/.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function appRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..');
  }
}

let version: string | undefined;

/** The version in package.json, read once. */
export function appVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(appRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  return version;
}
