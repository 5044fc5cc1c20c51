// Steps the report UI tests share: the sandbox's API with a demo key, quick picks, palette commands
// while a webview has the focus, waiting for a report webview to show its report, switching the
// colour theme, and axe-core inside a report webview.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { demoCredentials, ROOT } from '../support/code-server.mjs';

/** The platform admin's API key of tenant lts (demo credentials of the sandbox seed). */
export async function adminKey() {
  const creds = await demoCredentials();
  const admin = creds?.find((c) => c.tenant_code === 'lts' && c.role === 'platform_admin');
  if (!admin) throw new Error('no demo credentials (credentials.json beside the sandbox database)');
  return admin.api_key;
}

/** One call to the sandbox as lts/wien. */
export async function api(sandboxUrl, key, method, path, body) {
  const res = await fetch(`${sandboxUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${key}`,
      'X-Tenant-Code': 'lts',
      'X-Site-Code': 'wien',
      'Content-Type': 'application/json',
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Creates a run from a forecast and waits until the solver has finished it; returns its id. */
export async function createRun(sandboxUrl, key, body) {
  const created = await api(sandboxUrl, key, 'POST', '/api/v1/runs', body);
  for (let i = 0; i < 100; i++) {
    const r = await api(sandboxUrl, key, 'GET', `/api/v1/platform/dispatcher/runs/${created.run_id}`);
    if (r.status !== 'PENDING') break;
    await new Promise((res) => setTimeout(res, 200));
  }
  return created.run_id;
}

/** Picks the quick-pick row whose label contains `text` (after typing it as a filter). */
export async function pick(page, wb, text, { type = true, timeout: t = 15000 } = {}) {
  const input = page.locator(wb.SELECTORS.paletteInput);
  await input.waitFor({ timeout: t });
  if (type) await input.fill(text);
  await page.waitForFunction(
    ([sel, want]) => (document.querySelector(sel)?.textContent ?? '').includes(want),
    [wb.SELECTORS.paletteFocused, text],
    { timeout: t },
  );
  await page.keyboard.press('Enter');
}

/** F1 typed while a webview has focus stays in its iframe: give the workbench focus first. */
export async function command(page, wb, title) {
  await page.locator(wb.SELECTORS.sidebarTitle).first().click({ timeout: 10000 });
  await wb.runCommand(page, title);
}

export async function closeAll(page, wb) {
  await command(page, wb, 'View: Close All Editors');
  await page.waitForTimeout(300);
}

/** Signs in through the palette with an API key. */
export async function signIn(page, wb, key) {
  await command(page, wb, 'SOLVEREIGN: Sign In');
  await pick(page, wb, 'API key');
  const input = page.locator(wb.SELECTORS.paletteInput);
  await page.waitForFunction(
    (sel) => /API key for/.test(document.querySelector(sel)?.textContent ?? ''),
    '.quick-input-widget .quick-input-title',
    { timeout: 15000 },
  );
  await input.fill(key, { timeout: 10000 });
  await page.keyboard.press('Enter');
  await wb.waitForNotification(page, /Signed in to/);
}

/** The report webview's document, once it shows a report of `kind` (an error fails the test). */
export async function reportFrame(page, wb, kind) {
  const frame = wb.webviewFrame(page);
  await frame.locator(`body[data-state="ready"][data-kind="${kind}"], body[data-state="error"]`).waitFor({
    timeout: 30000,
  });
  const errorText = await frame.locator('.error-state').allTextContents();
  if (errorText.length) throw new Error(`the ${kind} report shows an error: ${errorText.join(' ')}`);
  return frame;
}

const AXE_SOURCE = readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export const THEMES = [
  { setting: 'Default Light Modern', body: 'vscode-light', slug: 'light' },
  { setting: 'Default Dark Modern', body: 'vscode-dark', slug: 'dark' },
  { setting: 'Default High Contrast', body: 'vscode-high-contrast', slug: 'high-contrast' },
];

/** The Playwright Frame of the report webview (locators cannot evaluate a script's source). */
export async function contentFrame(frameLocator) {
  const handle = await frameLocator.locator('body').elementHandle();
  const frame = await handle.ownerFrame();
  await handle.dispose();
  if (!frame) throw new Error('no frame for the report webview');
  return frame;
}

/** axe-core's WCAG 2.1 A/AA violations in the report webview (its CSP blocks script tags). */
export async function axeViolations(frameLocator) {
  const frame = await contentFrame(frameLocator);
  if ((await frame.evaluate('typeof window.axe')) === 'undefined') await frame.evaluate(AXE_SOURCE);
  return frame.evaluate(async (tags) => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      count: v.nodes.length,
      nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  }, WCAG_TAGS);
}

/** Switches the colour theme through the workspace settings and waits for the webview to follow. */
export async function setTheme(page, wb, workspace, theme) {
  const dir = path.join(workspace, '.vscode');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'settings.json'),
    JSON.stringify({ 'workbench.colorTheme': theme.setting }, null, 2),
  );
  await wb.webviewFrame(page).locator(`body.${theme.body}`).waitFor({ timeout: 20000 });
  // The workbench around it too (its parts repaint after the webview's class may have changed).
  const workbenchClass = {
    'vscode-light': 'vs',
    'vscode-dark': 'vs-dark',
    'vscode-high-contrast': 'hc-black',
  }[theme.body];
  await page.locator(`.monaco-workbench.${workbenchClass}`).waitFor({ timeout: 20000 });
  // The colour variables arrive with the classes; give the styles a frame to apply.
  await page.waitForTimeout(300);
}
