// Preloaded (node --require) into a server started by a test: on exit, writes every CommonJS module
// the process loaded to SMC_LOADED_MODULES_FILE, so the test can see which packages were used.
const { writeFileSync } = require('node:fs');

const out = process.env.SMC_LOADED_MODULES_FILE;
if (out) process.on('exit', () => writeFileSync(out, Object.keys(require.cache).join('\n')));
