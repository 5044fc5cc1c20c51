// The webview's HTML shell: strict CSP (`default-src 'none'`, the bundle by nonce, styles only from
// the extension), the stylesheet and script from the local resource roots, and the panel's target
// for restoring after a reload. The report itself arrives as a message and is built with DOM APIs.
import { randomBytes } from 'node:crypto';
import { escapeHtml } from './html';

export interface ShellOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  title: string;
  /** JSON of the panel's target/state (read by the script before the first message). */
  state: unknown;
}

/** For double-quoted attributes: `'` may stay (CSP keywords read better). */
const escapeAttr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function renderShell(o: ShellOptions): string {
  if (!/^[A-Za-z0-9]{16,}$/.test(o.nonce)) throw new Error('nonce must be 16+ alphanumeric characters');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="solvereign-state" content="${escapeHtml(JSON.stringify(o.state))}">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>${escapeHtml(o.title)}</title>
</head>
<body>
<div id="status" role="status" aria-live="polite"></div>
<main id="root" aria-busy="true"><p class="loading">Loading ${escapeHtml(o.title)}…</p></main>
<script nonce="${o.nonce}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}
