/**
 * `npm run package`: fills the placeholders (${{NAME}}) of appPackage/manifest.json from
 * env/app.<TEAMS_ENV>.env (default "local") and the environment, refuses any left unfilled,
 * and writes appPackage/build/appPackage.<TEAMS_ENV>.zip with the manifest and both icons —
 * the file to upload to Teams.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';

const ROOT = path.resolve(__dirname, '..');
const PLACEHOLDER = /\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g;

/** KEY=value lines; # comments and blank lines ignored; values may be quoted. */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match?.[1] || line.trimStart().startsWith('#')) continue;
    values[match[1]] = (match[2] ?? '').replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

export function fillManifest(template: string, values: Record<string, string | undefined>): string {
  const missing = new Set<string>();
  const filled = template.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') {
      missing.add(name);
      return '';
    }
    // Values land inside JSON strings: escape them as JSON would.
    return JSON.stringify(value).slice(1, -1);
  });
  if (missing.size > 0) throw new Error(`Set these for the app package (in env/ or the environment): ${[...missing].join(', ')}.`);
  return filled;
}

export function manifestValues(environment: string, env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const file = path.join(ROOT, 'env', `app.${environment}.env`);
  const fromFile = existsSync(file) ? parseEnvFile(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...env };
}

export async function buildPackage(environment: string, env: NodeJS.ProcessEnv = process.env): Promise<{ zipPath: string; manifest: Record<string, unknown> }> {
  const manifestText = fillManifest(readFileSync(path.join(ROOT, 'appPackage/manifest.json'), 'utf8'), manifestValues(environment, env));
  const manifest = JSON.parse(manifestText) as Record<string, unknown>;
  const zip = new JSZip();
  zip.file('manifest.json', manifestText);
  for (const icon of ['color.png', 'outline.png']) zip.file(icon, readFileSync(path.join(ROOT, 'appPackage', icon)));
  const outDir = path.join(ROOT, 'appPackage/build');
  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, `appPackage.${environment}.zip`);
  writeFileSync(zipPath, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return { zipPath, manifest };
}

if (require.main === module) {
  const environment = process.env.TEAMS_ENV ?? 'local';
  buildPackage(environment).then(
    ({ zipPath }) => console.log(`wrote ${path.relative(ROOT, zipPath)}`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
