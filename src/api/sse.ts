// Server-Sent Events framing per the spec (LF, CR and CRLF line ends; Python servers send CRLF),
// decoded as a UTF-8 stream so a character split across two chunks arrives whole. The framing is
// eventsource-parser's; this file only turns a byte stream into the events' data.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { CallOptions, SolvereignClient } from './client';
import { formatIssuePath, SolvereignApiError } from './errors';
import { SolveEvent } from './schemas';

/** Each event of the stream (comments and empty data left out), in order. */
export async function* sseEvents(
  chunks: AsyncIterable<Buffer | Uint8Array | string>,
): AsyncGenerator<EventSourceMessage> {
  const decoder = new TextDecoder('utf-8');
  const ready: EventSourceMessage[] = [];
  const parser = createParser({
    onEvent: (e) => {
      if (e.data !== '') ready.push(e);
    },
  });
  for await (const chunk of chunks) {
    parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    while (ready.length) yield ready.shift() as EventSourceMessage;
  }
  // An event without its closing blank line is incomplete: the spec drops it, and so do we.
  parser.feed(decoder.decode());
  while (ready.length) yield ready.shift() as EventSourceMessage;
}

/** Follows a solve over Server-Sent Events until `complete` or `error`; a stream that ends before is an error. */
export async function* streamRun(
  client: Pick<SolvereignClient, 'openRunStream'>,
  runId: string,
  o?: CallOptions,
): AsyncGenerator<SolveEvent> {
  const endpoint = `GET /api/v1/runs/${encodeURIComponent(runId)}/stream`;
  const stream = await client.openRunStream(runId, o);
  try {
    for await (const message of sseEvents(stream)) {
      let raw: unknown;
      try {
        raw = JSON.parse(message.data);
      } catch {
        throw new SolvereignApiError({
          kind: 'schema',
          endpoint,
          serverMessage: `event data is not JSON: ${JSON.stringify(message.data.slice(0, 80))}`,
        });
      }
      const r = SolveEvent.safeParse(raw);
      if (!r.success) {
        const i = r.error.issues[0];
        throw new SolvereignApiError({
          kind: 'schema',
          endpoint,
          serverMessage: `field ${formatIssuePath(i?.path ?? [])}: ${i?.message ?? 'invalid'}`,
        });
      }
      yield r.data;
      if (r.data.type === 'complete' || r.data.type === 'error') return;
    }
  } finally {
    stream.destroy();
  }
  // The stream closed while the run was still going: say so instead of ending as if it had finished.
  throw new SolvereignApiError({
    kind: 'network',
    endpoint,
    serverMessage: 'the event stream ended before the run completed',
  });
}
