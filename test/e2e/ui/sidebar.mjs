// UI: the SOLVEREIGN sidebar in code-server, driven like a person — sign in through the palette, open
// the container, read the Sites, Runs and Incidents trees and the status bar, open a run's context
// menu — with a screenshot of each view (test-results/screenshots/sidebar-*.png).
// Tests run in name order and share one page.
import { demoCredentials } from '../../support/code-server.mjs';

export const timeout = 90000;

const ROW = '.part.sidebar .monaco-list-row[role="treeitem"]';

/** Picks the quick-pick row whose label contains `text` (after typing it as a filter). */
async function pick(page, wb, text, t = 15000) {
  const input = page.locator(wb.SELECTORS.paletteInput);
  await input.waitFor({ timeout: t });
  await input.fill(text);
  await page.waitForFunction(
    ([sel, want]) => (document.querySelector(sel)?.textContent ?? '').includes(want),
    [wb.SELECTORS.paletteFocused, text],
    { timeout: t },
  );
  await page.keyboard.press('Enter');
}

/** The pane header of one view of the container ("Sites", "Runs", "Incidents"). */
function pane(page, title) {
  return page
    .locator('.part.sidebar .pane-header')
    .filter({ has: page.locator('h3.title', { hasText: new RegExp(`^${title}$`, 'i') }) })
    .first();
}

async function setExpanded(page, title, expanded) {
  const header = pane(page, title);
  await header.waitFor({ timeout: 20000 });
  if ((await header.getAttribute('aria-expanded')) !== String(expanded)) await header.click();
  await page.waitForFunction(
    ([t, want]) =>
      [...document.querySelectorAll('.part.sidebar .pane-header')].some(
        (h) =>
          h.querySelector('h3.title')?.textContent?.trim().toLowerCase() === t &&
          h.getAttribute('aria-expanded') === want,
      ),
    [title.toLowerCase(), String(expanded)],
    { timeout: 10000 },
  );
}

/** Toasts would cover the trees in the screenshots. */
async function clearNotifications(page, wb) {
  await wb.runCommand(page, 'Notifications: Clear All Notifications').catch(() => {});
}

/** Shows only one view of the container, expanded (so its screenshot is readable). */
async function only(page, title) {
  for (const t of ['Sites', 'Runs', 'Incidents']) if (t !== title) await setExpanded(page, t, false);
  await setExpanded(page, title, true);
  await page.mouse.move(900, 500);
  await page.waitForTimeout(400);
}

async function waitForRow(page, re, timeout = 30000) {
  await page.waitForFunction(
    ([sel, source]) =>
      [...document.querySelectorAll(sel)].some((e) => new RegExp(source).test(e.textContent ?? '')),
    [`${ROW} .label-name`, re.source],
    { timeout },
  );
}

export async function step1SignsInThroughThePalette({ page, wb, sandboxUrl, skip }) {
  if (!sandboxUrl) skip('no sandbox server');
  const creds = await demoCredentials();
  const admin = creds?.find((c) => c.tenant_code === 'lts' && c.role === 'platform_admin');
  if (!admin) throw new Error('no demo credentials (credentials.json beside the sandbox database)');
  // Opening the container activates the extension (its commands exist only then).
  await wb.openViewContainer(page, 'SOLVEREIGN');
  await wb.waitForTree(page, { min: 1 });
  await wb.runCommand(page, 'SOLVEREIGN: Select Environment');
  await pick(page, wb, 'Local sandbox');
  await wb.runCommand(page, 'SOLVEREIGN: Sign In');
  await pick(page, wb, 'API key');
  const input = page.locator(wb.SELECTORS.paletteInput);
  await input.fill(admin.api_key);
  await page.keyboard.press('Enter');
  await wb.waitForNotification(page, /Signed in to/);
}

export async function step2ContainerShowsTheThreeViews({ page, wb, screenshot }) {
  await wb.openViewContainer(page, 'SOLVEREIGN');
  await clearNotifications(page, wb);
  // A wider side bar, so the rows' descriptions are readable in the screenshots.
  const box = await page.locator('.part.sidebar').boundingBox();
  if (box && box.width < 560) {
    await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 620, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
  }
  for (const t of ['Sites', 'Runs', 'Incidents']) await setExpanded(page, t, true);
  await waitForRow(page, /^RUN-/);
  await waitForRow(page, /^Workspace file$/);
  await waitForRow(page, /^Local sandbox$/);
  await page.mouse.move(900, 500);
  await page.waitForTimeout(500);
  await screenshot('sidebar-overview');
}

export async function step3SitesViewShowsTheSiteFacts({ page, wb, screenshot }) {
  await clearNotifications(page, wb);
  await only(page, 'Sites');
  for (const label of ['Health', 'Kill switch', 'Publish / lock', 'Shadow mode', 'Latest run']) {
    await waitForRow(page, new RegExp(`^${label.replace('/', '\\/')}$`));
  }
  await screenshot('sidebar-sites');
}

export async function step4RunsViewPagesAndShowsAudits({ page, wb, screenshot }) {
  await clearNotifications(page, wb);
  await only(page, 'Runs');
  await waitForRow(page, /^RUN-/);
  // The view's description counts what is loaded; "Load more…" is there while runs are missing.
  const header = await pane(page, 'Runs').textContent();
  const m = /lts\/wien · (\d+) of (\d+)/.exec(header ?? '');
  if (!m) throw new Error(`Runs view header: ${header}`);
  const loadMore = page.locator(ROW, { hasText: 'Load more…' });
  if (Number(m[1]) < Number(m[2])) {
    const before = await page.locator(`${ROW} .label-name`, { hasText: /^RUN-/ }).count();
    await loadMore.first().click();
    await page.waitForFunction(
      ([sel, n]) =>
        [...document.querySelectorAll(sel)].filter((e) => /^RUN-/.test(e.textContent ?? '')).length > n,
      [`${ROW} .label-name`, before],
      { timeout: 20000 },
    );
  } else if ((await loadMore.count()) !== 0) throw new Error('"Load more…" shown with every run loaded');
  // Expand the first failed run: its seven audits appear as children.
  const failed = page
    .locator(ROW, { has: page.locator('.label-description', { hasText: /^FAIL · / }) })
    .first();
  await failed.waitFor({ timeout: 20000 });
  await failed.click();
  await page.keyboard.press('ArrowRight');
  await waitForRow(page, /^Reproducibility$/);
  await page.waitForTimeout(300);
  await screenshot('sidebar-runs');
}

export async function step5RunContextMenuOffersTheProcedures({ page, screenshot }) {
  const failed = page
    .locator(ROW, { has: page.locator('.label-description', { hasText: /^FAIL · / }) })
    .first();
  await failed.click({ button: 'right' });
  const menu = page.locator('.monaco-menu-container, .context-view .monaco-menu').first();
  await menu.waitFor({ timeout: 10000 });
  const items = await page.locator('.context-view .action-label').allTextContents();
  await screenshot('sidebar-runs-context-menu');
  await page.keyboard.press('Escape');
  for (const want of [/Audit Report/, /Investigate/])
    if (!items.some((t) => want.test(t)))
      throw new Error(`context menu of a FAIL run: ${JSON.stringify(items)}`);
}

export async function step6IncidentsViewShowsSlaAndEscalation({ page, wb, screenshot }) {
  await clearNotifications(page, wb);
  await only(page, 'Incidents');
  await waitForRow(page, /^Server$/);
  await waitForRow(page, /^S2 Solver runs for tenant gurkerl/);
  const row = page.locator(ROW, { hasText: 'S2 Solver runs for tenant gurkerl' }).first();
  await row.click();
  await page.keyboard.press('ArrowRight');
  await waitForRow(page, /^SLA \(L2\)$/);
  await waitForRow(page, /^(Escalates next|Escalated)$/);
  await page.mouse.move(900, 500);
  await page.waitForTimeout(300);
  await screenshot('sidebar-incidents');
}

export async function step7StatusBarShowsEnvironmentSiteAndHealth({ page, screenshot }) {
  const item = page
    .locator('.part.statusbar .statusbar-item', { hasText: 'Local sandbox · lts/wien' })
    .first();
  await item.waitFor({ timeout: 20000 });
  const text = (await item.textContent())?.trim() ?? '';
  if (!/Local sandbox · lts\/wien · (healthy|…)/.test(text)) throw new Error(`status bar item: ${text}`);
  await screenshot('sidebar-status-bar');
}
