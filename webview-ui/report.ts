// The report panel's front end (browser bundle dist/webview/report.js): receives the report as a
// validated message, renders it with DOM APIs, and sends the user's actions back to the host.
import {
  type HostMessage,
  PanelState,
  parseHostMessage,
  PROTOCOL_VERSION,
  type WebviewMessage,
} from '../src/webviews/protocol';
import { h, reportEl } from './render';
import { timelineStats } from './timeline';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root')!;
const statusLine = document.getElementById('status')!;

function post(m: WebviewMessage): void {
  vscode.postMessage(m);
}

// The panel's target survives a reload through the webview state (the serializer reads it).
function initState(): void {
  const meta = document.querySelector('meta[name="solvereign-state"]')?.getAttribute('content');
  try {
    const parsed = PanelState.safeParse(meta ? JSON.parse(meta) : undefined);
    if (parsed.success) vscode.setState(parsed.data);
  } catch {
    // keep whatever state there was
  }
}

/**
 * The button whose action is under way (an export opens a save dialog outside the webview): the
 * focus goes back to it when the result arrives or the panel gets the focus back, not to the body.
 */
let returnFocusTo: string | undefined;

function restoreFocus(): void {
  if (!returnFocusTo) return;
  const b = document.getElementById(returnFocusTo);
  returnFocusTo = undefined;
  if (b && (document.activeElement === document.body || !document.activeElement)) b.focus();
}

/** The panel got the focus back (the workbench may hand it to the body a moment later). */
function restoreFocusSoon(): void {
  if (returnFocusTo) setTimeout(restoreFocus, 50);
}

function toolbar(exportable: boolean): HTMLElement {
  const bar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Report actions' });
  const button = (label: string, m: WebviewMessage, id: string) => {
    const b = h('button', { type: 'button', id }, label);
    b.addEventListener('click', () => {
      if (m.type === 'export') returnFocusTo = id;
      post(m);
    });
    bar.append(b);
  };
  button('Refresh', { type: 'refresh' }, 'btn-refresh');
  if (exportable) {
    button('Export Markdown', { type: 'export', format: 'markdown' }, 'btn-export-md');
    button('Export HTML', { type: 'export', format: 'html' }, 'btn-export-html');
  }
  return bar;
}

/** A re-render replaces every element: the focused control (by id) gets the focus back after it. */
let refocusId: string | undefined;
function rememberFocus(): void {
  const id = document.activeElement?.id;
  if (id && root.contains(document.activeElement)) refocusId = id;
}

/** Reports what the DOM shows; a timeline's after its first frame, with the time from the message. */
function postRendered(kind: string, receivedAt: number): void {
  const counts = {
    type: 'rendered' as const,
    kind,
    tables: root.querySelectorAll('table').length,
    rows: root.querySelectorAll('tbody tr').length,
    charts: root.querySelectorAll('svg.chart').length,
  };
  if (kind !== 'timeline') {
    post(counts);
    return;
  }
  // The task after the next animation frame runs once that frame is painted.
  requestAnimationFrame(() =>
    setTimeout(() => {
      const timeline = timelineStats(root);
      post({
        ...counts,
        ...(timeline ? { timeline: { ...timeline, firstPaintMs: performance.now() - receivedAt } } : {}),
      });
    }, 0),
  );
}

function show(m: HostMessage, receivedAt = performance.now()): void {
  if (m.type === 'loading' || m.type === 'render' || m.type === 'error') rememberFocus();
  switch (m.type) {
    case 'loading':
      root.setAttribute('aria-busy', 'true');
      root.replaceChildren(h('p', { class: 'loading' }, `Loading ${m.title}…`));
      document.body.dataset.state = 'loading';
      break;
    case 'render': {
      root.replaceChildren(
        toolbar(true),
        reportEl(m.doc, (action) => post({ type: 'action', action })),
      );
      root.setAttribute('aria-busy', 'false');
      if (refocusId) document.getElementById(refocusId)?.focus();
      refocusId = undefined;
      document.title = m.doc.title;
      document.body.dataset.state = 'ready';
      document.body.dataset.kind = m.doc.kind;
      postRendered(m.doc.kind, receivedAt);
      break;
    }
    case 'error': {
      const retry = h('button', { type: 'button', id: 'btn-retry' }, 'Retry');
      retry.addEventListener('click', () => post({ type: 'retry' }));
      root.replaceChildren(
        h(
          'div',
          { class: 'error-state', role: 'alert' },
          h('h1', {}, m.title),
          h('p', { class: 'error-message' }, m.message),
          m.action ? h('p', { class: 'error-action' }, m.action) : undefined,
          m.retryable ? retry : undefined,
        ),
      );
      root.setAttribute('aria-busy', 'false');
      document.body.dataset.state = 'error';
      if (m.retryable) retry.focus();
      break;
    }
    case 'status':
      statusLine.textContent = m.text;
      statusLine.className = m.tone ? `tone-${m.tone}` : '';
      restoreFocus();
      break;
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  const receivedAt = performance.now();
  const m = parseHostMessage(event.data);
  if (!m) {
    statusLine.textContent = 'Ignored a message this view does not understand.';
    return;
  }
  show(m, receivedAt);
});

window.addEventListener('focus', restoreFocusSoon);

initState();
post({ type: 'ready', v: PROTOCOL_VERSION });
