// Copies the files the compiled server reads at run time (not TypeScript, so tsc leaves them) into dist/.
const { cpSync, rmSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const target = path.join(root, 'dist', 'bot', 'preview');
rmSync(target, { recursive: true, force: true });
cpSync(path.join(root, 'bot', 'preview'), target, { recursive: true });
