// Request ids and idempotency keys (UUID v4) and a monotonic clock for timings, without loading
// node:crypto or perf_hooks: in Node 20 each costs a CLI call 2-4 ms of its start, for 16 random
// bytes and a timestamp. The bytes come from the kernel's generator (/dev/urandom) where there is
// one, else from node:crypto; never from Math.random (an idempotency key must not repeat).
import { closeSync, openSync, readSync } from 'node:fs';

function randomBytes16(): Buffer {
  const bytes = Buffer.allocUnsafe(16);
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      if (readSync(fd, bytes, 0, 16, null) === 16) return bytes;
    } finally {
      closeSync(fd);
    }
  } catch {
    // No /dev/urandom (Windows): node:crypto below.
  }
  const load = require;
  return (load('node:crypto') as typeof import('node:crypto')).randomBytes(16);
}

/** A random UUID (version 4, RFC 9562). */
export function randomUuid(): string {
  const b = randomBytes16();
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Milliseconds on a monotonic clock (for durations; not a time of day). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
