import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * `npm run dev` (after one build): recompile what changes (tsc --watch, incremental) and restart the
 * service when its compiled output changes (node --watch). Ctrl-C stops both.
 */
const root = join(__dirname, '..', '..', '..');
const tsc = spawn(join(root, 'node_modules', '.bin', 'tsc'), ['-b', 'tsconfig.json', '--watch', '--preserveWatchOutput'], {
  cwd: root,
  stdio: 'inherit',
});
const service = spawn(
  process.execPath,
  ['--watch-path=dist/src', '--watch-path=dist/migrations', '--watch-preserve-output', 'dist/src/main.js'],
  { cwd: root, stdio: 'inherit' },
);
const stop = () => {
  tsc.kill('SIGTERM');
  service.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
service.on('exit', (code) => {
  tsc.kill('SIGTERM');
  process.exit(code ?? 0);
});
