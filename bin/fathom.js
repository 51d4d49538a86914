#!/usr/bin/env node
// The `fathom` command. The TypeScript is compiled to dist/ by `npm install` (prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error(
    'fathom: the compiled code is missing (dist/). Run `npm install` or `npm run build` in the fathom folder.',
  );
  process.exit(1);
}
// `fathom log | head` closes stdout early; that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
const { runCli } = await import(main.href);
process.exitCode = await runCli(process.argv);
