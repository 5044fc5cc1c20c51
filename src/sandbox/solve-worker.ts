// Worker-thread entry for sandbox solves (bundled to dist/sandbox-solver.js). Long-lived: receives
// `{id, input}` messages, posts `{id, type: 'progress'|'result'|'error', …}` back.
import { parentPort } from 'node:worker_threads';
import { runSolve, type SolveInput } from './solve-core';

if (parentPort) {
  const port = parentPort;
  port.on('message', (m: { id: number; input: SolveInput }) => {
    try {
      const result = runSolve(m.input, (phase, percent) =>
        port.postMessage({ id: m.id, type: 'progress', phase, percent }),
      );
      port.postMessage({ id: m.id, type: 'result', result });
    } catch (e) {
      port.postMessage({ id: m.id, type: 'error', message: (e as Error)?.message ?? String(e) });
    }
  });
}
