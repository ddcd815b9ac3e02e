// Preloaded (node --require) into a server started by a test: on exit, writes every CommonJS module
// the process loaded to SMC_LOADED_MODULES_FILE, so the test can see which packages were used.
// NODE_OPTIONS reaches every node process and worker thread the start makes (npm, the server, any
// worker): only the server's main thread writes, so no other process's exit can overwrite its list.
const { writeFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');

const out = process.env.SMC_LOADED_MODULES_FILE;
const isServer = isMainThread && /[\\/]dist[\\/]src[\\/]main[\\/]start\.js$/.test(process.argv[1] || '');
if (out && isServer) process.on('exit', () => writeFileSync(out, Object.keys(require.cache).join('\n')));
