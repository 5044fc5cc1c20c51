// SSE framing per the spec: CRLF (Python servers), CR and LF line ends; UTF-8 across chunk borders.
import assert from 'node:assert/strict';
import { sseEvents } from '../../../src/api/sse';

async function collect(chunks: (string | Buffer)[]): Promise<{ event?: string; data: string }[]> {
  async function* source() {
    for (const c of chunks) yield c;
  }
  const out: { event?: string; data: string }[] = [];
  for await (const e of sseEvents(source())) out.push({ event: e.event, data: e.data });
  return out;
}

describe('SSE framing', () => {
  it('splits CRLF-framed events (the default of Python SSE servers)', async () => {
    const text = 'event: progress\r\ndata: {"a":1}\r\n\r\n: keep-alive\r\n\r\ndata: {"b":2}\r\n\r\n';
    assert.deepEqual(await collect([Buffer.from(text)]), [
      { event: 'progress', data: '{"a":1}' },
      { event: undefined, data: '{"b":2}' },
    ]);
  });
  it('splits CR-only and LF-only events, with a CRLF split between two chunks', async () => {
    const events = await collect(['data: one\r\r', 'data: two\n\n', 'data: three\r', '\n\r\n']);
    assert.deepEqual(
      events.map((e) => e.data),
      ['one', 'two', 'three'],
    );
  });
  it('joins multi-line data with LF', async () => {
    assert.deepEqual((await collect(['data: a\r\ndata: b\r\n\r\n']))[0]?.data, 'a\nb');
  });
  it('keeps a multi-byte UTF-8 character whole when it is split across two chunks', async () => {
    const bytes = Buffer.from('data: {"phase":"Lösung 🚚"}\r\n\r\n', 'utf8');
    const cut = bytes.indexOf(Buffer.from('ö', 'utf8')) + 1; // inside the two bytes of ö
    const emoji = bytes.indexOf(Buffer.from('🚚', 'utf8')) + 2; // inside the four bytes of 🚚
    const events = await collect([bytes.subarray(0, cut), bytes.subarray(cut, emoji), bytes.subarray(emoji)]);
    assert.deepEqual(events, [{ event: undefined, data: '{"phase":"Lösung 🚚"}' }]);
  });
  it('drops an event the stream ended in the middle of (no closing blank line)', async () => {
    assert.deepEqual(
      (await collect(['data: done\r\n\r\n', 'data: cut off'])).map((e) => e.data),
      ['done'],
    );
  });
});
