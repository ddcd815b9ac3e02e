// Builds the tab only when what it is built from has changed since the last build: `npm start`
// (scripts/start.mjs) calls it before the server starts, and running this file does the same
// (--force builds regardless). A vite build takes several seconds, and rebuilding an unchanged tab
// on every start made the server answer health seconds later than it needed to.
const { execFileSync } = require('node:child_process');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const { inputsDigest, root } = require('./inputs-digest.cjs');

const dist = path.join(root, 'tab', 'dist');
const stamp = path.join(dist, '.inputs-sha256');
// The tab's sources, the domain code it imports, its build configuration and the exact packages.
const inputs = ['tab/index.html', 'tab/vite.config.ts', 'tab/src', 'src/domain', 'tsconfig.json', 'package-lock.json'];

function buildTabIfChanged({ force = false } = {}) {
  const digest = inputsDigest(inputs);
  const built = existsSync(path.join(dist, 'index.html')) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === digest;
  if (built && !force) return;
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'tab/vite.config.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
  writeFileSync(stamp, `${digest}\n`);
}

module.exports = { buildTabIfChanged };

if (require.main === module) buildTabIfChanged({ force: process.argv.includes('--force') });
