// `npm start`: the server from the production build in dist/ when it was built from exactly these
// sources (it starts in half the time: nothing to transpile), otherwise from the sources through tsx.
// The build is made by `npm run build` (or build:server), never here: a start must not wait for tsc.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { serverBuildCurrent } = require('./server-inputs.cjs');

if (serverBuildCurrent()) {
  await import('../dist/src/main/start.js');
} else {
  await import('tsx');
  await import('../src/main/start.ts');
}
