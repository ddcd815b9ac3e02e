/**
 * Measures the gzipped JavaScript of the tab's first page from the Vite build in tab/dist:
 * the entry chunk and its static imports, plus the lazily loaded shell (App) and the page
 * shown first (RequestsPage) with theirs. The budget is 300 KB gzipped (issue 4).
 * Run: npx tsx tab/scripts/size.ts [distDir]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const FIRST_PAGE_BUDGET_BYTES = 300 * 1024;
/** A cold link straight to a request (from a card or a notification): issue 12. */
export const DEEP_LINK_BUDGET_BYTES = 250 * 1024;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

export interface SizeReport {
  /** Gzipped bytes of the entry chunk(s) and their static imports (what index.html loads). */
  entryGzipBytes: number;
  /** Entry plus the shell and the first page (requests list): what a signed-in person waits for. */
  firstPageGzipBytes: number;
  budgetBytes: number;
  withinBudget: boolean;
  /** Entry plus the shell and the request page: a cold deep link to one request. */
  deepLinkGzipBytes: number;
  /** The same files as sent to a client that takes no compression. */
  deepLinkRawBytes: number;
  deepLinkBudgetBytes: number;
  deepLinkWithinBudget: boolean;
  files: { file: string; gzipBytes: number }[];
}

/** First-page modules reached by dynamic import from the entry. */
const FIRST_PAGE_SOURCES = ['src/App.tsx', 'src/pages/RequestsPage.tsx'];
const DEEP_LINK_SOURCES = ['src/App.tsx', 'src/pages/RequestPage.tsx'];

export function measureFirstPage(distDir = resolve(fileURLToPath(new URL('../dist', import.meta.url)))): SizeReport {
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  const gzip = (file: string) => gzipSync(readFileSync(join(distDir, file)), { level: 9 }).length;
  const raw = (file: string) => readFileSync(join(distDir, file)).length;

  const closure = (keys: string[], into: Set<string>) => {
    const stack = [...keys];
    while (stack.length) {
      const key = stack.pop() as string;
      if (into.has(key) || !manifest[key]) continue;
      into.add(key);
      stack.push(...(manifest[key].imports ?? []));
    }
    return into;
  };

  const entries = Object.keys(manifest).filter((k) => manifest[k]?.isEntry);
  const entrySet = closure(entries, new Set());
  const firstSet = closure(
    Object.keys(manifest).filter((k) => FIRST_PAGE_SOURCES.some((s) => k.endsWith(s))),
    new Set(entrySet),
  );
  const deepSet = closure(
    Object.keys(manifest).filter((k) => DEEP_LINK_SOURCES.some((s) => k.endsWith(s))),
    new Set(entrySet),
  );
  const jsOf = (keys: Set<string>) => [...keys].map((k) => manifest[k]?.file ?? '').filter((f) => f.endsWith('.js'));
  const files = jsOf(firstSet).map((file) => ({ file, gzipBytes: gzip(file) }));
  const sum = (list: string[]) => list.reduce((n, f) => n + gzip(f), 0);
  const entryGzipBytes = sum(jsOf(entrySet));
  const firstPageGzipBytes = sum(jsOf(firstSet));
  const deepLinkGzipBytes = sum(jsOf(deepSet));
  const deepLinkRawBytes = jsOf(deepSet).reduce((n, f) => n + raw(f), 0);
  return {
    entryGzipBytes,
    firstPageGzipBytes,
    budgetBytes: FIRST_PAGE_BUDGET_BYTES,
    withinBudget: firstPageGzipBytes <= FIRST_PAGE_BUDGET_BYTES,
    deepLinkGzipBytes,
    deepLinkRawBytes,
    deepLinkBudgetBytes: DEEP_LINK_BUDGET_BYTES,
    deepLinkWithinBudget: deepLinkGzipBytes <= DEEP_LINK_BUDGET_BYTES,
    files,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const report = measureFirstPage(process.argv[2] ? resolve(process.argv[2]) : undefined);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  for (const f of report.files) console.log(`${kb(f.gzipBytes).padStart(10)}  ${f.file}`);
  console.log(`entry chunk(s): ${kb(report.entryGzipBytes)} gzipped`);
  console.log(`first page:     ${kb(report.firstPageGzipBytes)} gzipped (budget ${kb(report.budgetBytes)}) ${report.withinBudget ? 'OK' : 'OVER BUDGET'}`);
  console.log(`deep link:      ${kb(report.deepLinkGzipBytes)} gzipped, ${kb(report.deepLinkRawBytes)} uncompressed (budget ${kb(report.deepLinkBudgetBytes)}) ${report.deepLinkWithinBudget ? 'OK' : 'OVER BUDGET'}`);
  process.exitCode = report.withinBudget && report.deepLinkWithinBudget ? 0 : 1;
}
