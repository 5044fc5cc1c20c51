// Commands receive a run from many places: the palette (nothing), a tree node, a document link
// (a string), a test (an object). One reader for all of them.

export function runIdFromArg(arg: unknown): string | undefined {
  if (typeof arg === 'string') return /^RUN-[\w-]+$/.test(arg) ? arg : undefined;
  if (!arg || typeof arg !== 'object') return undefined;
  const o = arg as { runId?: unknown; run_id?: unknown; run?: { run_id?: unknown } };
  if (typeof o.runId === 'string') return o.runId;
  if (typeof o.run_id === 'string') return o.run_id;
  if (o.run && typeof o.run.run_id === 'string') return o.run.run_id;
  return undefined;
}
