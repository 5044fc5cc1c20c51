// Server-Sent Events framing per the spec (LF, CR and CRLF line ends; Python servers send CRLF),
// decoded as a UTF-8 stream so a character split across two chunks arrives whole. The framing is
// eventsource-parser's; this file only turns a byte stream into the events' data.
import { createParser, type EventSourceMessage } from 'eventsource-parser';

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
