// What the server build in dist/ is made from, as one digest: `npm run build:server` records it in
// dist/.inputs-sha256, and `npm start` runs dist/ only when the sources still give the same digest.
// Run directly with --stamp to record it (the last step of build:server).
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { inputsDigest, root } = require('./inputs-digest.cjs');

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

const serverInputsDigest = () => inputsDigest(inputs);

/** Whether dist/ was built from the sources as they are now. */
function serverBuildCurrent() {
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === serverInputsDigest();
}

module.exports = { serverBuildCurrent };

if (require.main === module && process.argv.includes('--stamp')) writeFileSync(stamp, `${serverInputsDigest()}\n`);
