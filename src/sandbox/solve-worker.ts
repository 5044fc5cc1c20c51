// Worker-thread entry for sandbox solves (bundled to dist/sandbox-solver.js). Receives one
// SolveInput as workerData, posts progress messages, then the result (or an error).
import { parentPort, workerData } from 'node:worker_threads';
import { runSolve, type SolveInput } from './solve-core';

if (parentPort) {
  const port = parentPort;
  try {
    const result = runSolve(workerData as SolveInput, (phase, percent) =>
      port.postMessage({ type: 'progress', phase, percent }),
    );
    port.postMessage({ type: 'result', result });
  } catch (e) {
    port.postMessage({ type: 'error', message: (e as Error)?.message ?? String(e) });
  }
}
