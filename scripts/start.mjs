// `npm start`, in one process: first the tab is built if its sources changed since its last build
// (scripts/build-tab-if-changed.cjs), then the server runs from the production build in dist/ when
// it was built from exactly these sources (it starts in half the time: nothing to transpile),
// otherwise from the sources through tsx. The server build is made by `npm run build` (or
// build:server), never here: a start must not wait for tsc.
//
// package.json starts this with a WebAssembly tiering budget 100 times V8's default. Opening
// embedded PGlite runs much of PostgreSQL once, and at the default every function it ran a little
// was recompiled by the optimising compiler while the server started, more than a second of CPU
// that kept health waiting; functions that stay hot still reach the optimising compiler. Its
// larger semi-space (--max-semi-space-size, the same as start:prod's) is explained in docs/deploy.md:
// it cut the server's CPU per request list by a third or more, and applies to the PGlite thread as well.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { buildTabIfChanged } = require('./build-tab-if-changed.cjs');
const { serverBuildCurrent } = require('./server-inputs.cjs');

buildTabIfChanged();
if (serverBuildCurrent()) {
  await import('../dist/src/main/start.js');
} else {
  await import('tsx');
  await import('../src/main/start.ts');
}
