// Measurements of the roster timeline inside its webview document, shared by the UI test
// (test/e2e/ui/timeline.mjs) and the benchmark (bench/l3.bench.mjs). The two in-page functions are
// handed to page.evaluate / frame.evaluate, so each is self-contained.

/**
 * Scrolls the timeline's grid down at a steady pace (`step` px per frame) to the end and back for
 * `durationMs`, recording the time between animation frames and the row elements in the DOM at each.
 */
export async function scrollTimeline({ durationMs, step }) {
  const grid = document.querySelector('.tl-grid');
  const rows = () => grid.querySelectorAll('.tl-row');
  const elements = new Set();
  const frames = [];
  let maxRows = 0;
  let minRows = Number.POSITIVE_INFINITY;
  let maxIndex = 0;
  let dir = 1;
  grid.scrollTop = 0;
  await new Promise((r) => requestAnimationFrame(r));
  const start = performance.now();
  let last = start;
  await new Promise((resolve) => {
    const tick = (now) => {
      frames.push(now - last);
      last = now;
      const live = rows();
      maxRows = Math.max(maxRows, live.length);
      minRows = Math.min(minRows, live.length);
      for (const r of live) {
        elements.add(r);
        maxIndex = Math.max(maxIndex, Number(r.getAttribute('aria-rowindex')));
      }
      if (now - start >= durationMs) return resolve();
      const maxTop = grid.scrollHeight - grid.clientHeight;
      let next = grid.scrollTop + dir * step;
      if (next >= maxTop) [next, dir] = [maxTop, -1];
      if (next <= 0) [next, dir] = [0, 1];
      grid.scrollTop = next;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  return {
    // The first interval waits for the loop to start, not for a frame.
    frames: frames.slice(1),
    maxRows,
    minRows,
    distinctRowElements: elements.size,
    maxIndex,
    rowCount: Number(grid.getAttribute('aria-rowcount')),
    viewportHeight: grid.clientHeight,
  };
}

/**
 * Resolves at the next render message with the time from that message to the task after the first
 * frame that shows it (a capturing listener runs before the view's own), and the rows then drawn.
 */
export function nextRenderPaint() {
  return new Promise((resolve) => {
    const onMessage = (e) => {
      if (e.data?.type !== 'render') return;
      window.removeEventListener('message', onMessage, true);
      const t0 = performance.now();
      requestAnimationFrame(() =>
        setTimeout(
          () => resolve({ ms: performance.now() - t0, rows: document.querySelectorAll('.tl-row').length }),
          0,
        ),
      );
    };
    window.addEventListener('message', onMessage, true);
  });
}

export function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

const round = (n) => Math.round(n * 10) / 10;

/** p50/p95 frame time and frames per second of a scroll measurement. */
export function frameSummary(scroll) {
  const total = scroll.frames.reduce((a, b) => a + b, 0);
  return {
    frames: scroll.frames.length,
    p50Ms: round(percentile(scroll.frames, 50)),
    p95Ms: round(percentile(scroll.frames, 95)),
    fps: round((1000 * scroll.frames.length) / total),
    domRows: `${scroll.minRows}-${scroll.maxRows}`,
    distinctRowElements: scroll.distinctRowElements,
  };
}
