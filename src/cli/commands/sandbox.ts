// `solvereign sandbox …`: hands over to the sandbox bundle in this process, with the sandbox's own
// options untouched; it prints its URL and runs until stopped.
import path from 'node:path';

export function runRaw(argv: string[]): Promise<number> {
  const i = argv.indexOf('sandbox');
  process.argv = [process.argv[0] ?? 'node', path.join(__dirname, 'sandbox.js'), ...argv.slice(i + 1)];
  const load = require;
  load(path.join(__dirname, 'sandbox.js'));
  return new Promise<number>(() => {}); // runs until the sandbox exits the process
}
