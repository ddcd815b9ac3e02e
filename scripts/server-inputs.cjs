// What the server build in dist/ is made from, as one digest: `npm run build:server` records it in
// dist/.inputs-sha256, and `npm start` runs dist/ only when the sources still give the same digest.
// Run directly with --stamp to record it (the last step of build:server).
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'dist', '.inputs-sha256');
// tsconfig.build.json's sources, the files copied beside them, the build's settings and the exact packages.
const inputs = [
  'src',
  'bot',
  'scripts/audit-verify.ts',
  'scripts/audit-checkpoint.ts',
  'scripts/copy-assets.cjs',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'package-lock.json',
];

function files(relative) {
  const full = path.join(root, relative);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [relative];
  return readdirSync(full)
    .sort()
    .flatMap((name) => files(path.join(relative, name)));
}

function serverInputsDigest() {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap(files)) {
    hash.update(`${file.split(path.sep).join('/')}\0`);
    hash.update(readFileSync(path.join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Whether dist/ was built from the sources as they are now. */
function serverBuildCurrent() {
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === serverInputsDigest();
}

module.exports = { serverBuildCurrent };

if (require.main === module && process.argv.includes('--stamp')) writeFileSync(stamp, `${serverInputsDigest()}\n`);
