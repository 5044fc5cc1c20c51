// UI: accessibility in code-server. axe-core (WCAG 2.1 A/AA) inside every report webview (SP-002 investigation panel included) in Light
// Modern, Dark Modern and Dark High Contrast; the keyboard path through a report (every control
// reached with a visible 2 px focus ring, and operated); the accessible names of every tree row kind
// and of the status bar item; the key table columns at a 600 px wide panel. One workbench: the
// theme changes through the workspace settings. Tests run in name order and share one page.
import {
  adminKey,
  api,
  axeViolations,
  closeAll,
  command,
  contentFrame,
  createRun,
  pick,
  reportFrame,
  setTheme,
  signIn,
  THEMES,
} from '../reportSteps.mjs';

export const timeout = 180000;

// Line 3 (a 16 h tour nobody may drive) makes the run BLOCKED with a Coverage violation.
const FORECAST = '# a11y week\nMo 06:00-14:00\nMo 05:00-21:00\nDi 06:00-14:00 2 Fahrer\n';
const ROW = '.part.sidebar .monaco-list-row[role="treeitem"]';

const state = { key: '', blockedRun: '', failRun: '' };

async function openReport(page, wb, report) {
  await closeAll(page, wb);
  await command(page, wb, report.command);
  if (report.pick) await pick(page, wb, report.pick, { type: report.type !== false });
  return reportFrame(page, wb, report.kind);
}

const REPORTS = () => [
  {
    slug: 'audit-blocked',
    kind: 'audit',
    command: 'SOLVEREIGN: Open Audit Report',
    pick: state.blockedRun,
    photo: true,
  },
  { slug: 'audit-fail', kind: 'audit', command: 'SOLVEREIGN: Open Audit Report', pick: state.failRun },
  {
    slug: 'drift',
    kind: 'drift',
    command: 'SOLVEREIGN: Open Drift Report',
    pick: 'Latest run',
    type: false,
    // The charts: reference lines and series in each theme.
    photo: '#chart-trend-coverage_percent',
  },
  { slug: 'fire-drills', kind: 'fireDrills', command: 'SOLVEREIGN: Open Fire-Drill History' },
  {
    slug: 'investigation-blocked',
    kind: 'investigation',
    command: 'SOLVEREIGN: SP-002 Open Investigation Panel',
    pick: state.blockedRun,
  },
];

export async function step1SignsInAndPreparesABlockedAndAFailedRun({ page, wb, sandboxUrl, skip }) {
  if (!sandboxUrl) skip('no sandbox server');
  state.key = await adminKey();
  state.blockedRun = await createRun(sandboxUrl, state.key, { forecast: FORECAST, week: '2026-W49' });
  const blocked = await api(
    sandboxUrl,
    state.key,
    'GET',
    `/api/v1/platform/dispatcher/runs/${state.blockedRun}`,
  );
  if (blocked.status !== 'BLOCKED') throw new Error(`the new run is ${blocked.status}, not BLOCKED`);
  const fails = await api(
    sandboxUrl,
    state.key,
    'GET',
    '/api/v1/platform/dispatcher/runs?status=FAIL&limit=1',
  );
  state.failRun = fails.runs?.[0]?.run_id ?? '';
  if (!state.failRun) throw new Error('the sandbox seed has no FAIL run');
  await wb.openViewContainer(page, 'SOLVEREIGN');
  await signIn(page, wb, state.key);
}

export async function step2TreeRowsAndStatusBarReadNameStatusAndCounts({ page, wb }) {
  await wb.openViewContainer(page, 'SOLVEREIGN');
  await command(page, wb, 'Notifications: Clear All Notifications');
  const labels = async () => page.$$eval(ROW, (rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
  const waitForLabel = async (re, what) => {
    try {
      await page.waitForFunction(
        ([sel, source]) =>
          [...document.querySelectorAll(sel)].some((r) =>
            new RegExp(source).test(r.getAttribute('aria-label') ?? ''),
          ),
        [ROW, re.source],
        { timeout: 20000 },
      );
    } catch {
      throw new Error(`no ${what} row reads ${re}: ${JSON.stringify(await labels(), null, 1)}`);
    }
    return (await labels()).find((l) => re.test(l));
  };
  // Sites: environment, tenant, site, facts (name, then status, then what the row shows).
  await waitForLabel(/^Local sandbox, active environment, connected/, 'active environment');
  await waitForLabel(/^Tenant lts\b/, 'tenant');
  await waitForLabel(/^Site wien\b.*, active$/, 'site');
  await waitForLabel(/^Health, (OK|problem), /, 'health fact');
  await waitForLabel(/^Kill switch, (OK, off|problem, ACTIVE)/, 'kill-switch fact');
  await waitForLabel(
    /^Incidents \/ repairs, (OK|warning), \d+ active incidents?, \d+ pending repairs?$/,
    'count fact',
  );
  // Runs: a run, then its audits (expand the FAIL run).
  const run = await waitForLabel(
    new RegExp(`^${state.failRun}, FAIL, week \\d{4}-W\\d{2}, audits \\d of 7 passed`),
    'FAIL run',
  );
  if (run.length > 200) throw new Error(`run row name is ${run.length} characters: ${run}`);
  const runRow = page.locator(ROW, { has: page.locator('.label-name', { hasText: state.failRun }) }).first();
  await runRow.click();
  await page.keyboard.press('ArrowRight');
  const failedAudit = await waitForLabel(/^\w+, FAIL, \d+ violations?$/, 'failed audit');
  await waitForLabel(/^\w+, PASS$/, 'passed audit');
  if (!/^(Coverage|Overlap|Rest|SpanRegular|SpanSplit|Fatigue|Reproducibility),/.test(failedAudit))
    throw new Error(`failed audit row: ${failedAudit}`);
  await page.keyboard.press('ArrowLeft');
  // Incidents: the two source groups, an incident with its SLA, its detail rows, closed group.
  const server = await waitForLabel(/^Server incidents, /, 'server group');
  if (!/, \d+ active$/.test(server)) throw new Error(`server group: ${server}`);
  const file = await waitForLabel(/^Workspace file incidents, /, 'workspace group');
  if (/[\\/]/.test(file)) throw new Error(`workspace group reads a path: ${file}`);
  if (!/, 1 active$/.test(file)) throw new Error(`workspace group: ${file}`);
  const incident = await waitForLabel(/^S2 Solver runs for tenant gurkerl/, 'incident');
  if (!/^S2 Solver runs for tenant gurkerl[^,]*, investigating, (response|resolution) SLA /.test(incident))
    throw new Error(`incident row: ${incident}`);
  await waitForLabel(/^Closed incidents, 1$/, 'closed group');
  const incidentRow = page.locator(ROW, { hasText: 'S2 Solver runs for tenant gurkerl' }).first();
  await incidentRow.click();
  await page.keyboard.press('ArrowRight');
  await waitForLabel(/^SLA \(L\d\), (problem|warning|OK)?,? ?/, 'SLA detail');
  await page.keyboard.press('ArrowLeft');
  // The status bar item says where and in which state.
  const item = page.locator('.part.statusbar .statusbar-item', { hasText: 'Local sandbox' }).first();
  await item.waitFor({ timeout: 20000 });
  const aria = await item.evaluate((el) =>
    (el.getAttribute('aria-label') ? el : el.querySelector('[aria-label]'))?.getAttribute('aria-label'),
  );
  if (
    !/^SOLVEREIGN: Local sandbox, lts\/wien, (connected, )?(healthy|health unknown|checking health)/.test(
      aria ?? '',
    )
  )
    throw new Error(`status bar item reads ${aria}`);
}

export async function step3ReportsHaveNoWcagViolationsInThreeThemes({ page, wb, workspace, screenshot }) {
  const found = [];
  const reports = REPORTS();
  for (const report of reports) {
    await openReport(page, wb, report);
    for (const theme of THEMES) {
      await setTheme(page, wb, workspace, theme);
      const frame = wb.webviewFrame(page);
      await frame.locator(`body.${theme.body}[data-state="ready"]`).waitFor({ timeout: 20000 });
      const violations = await axeViolations(frame);
      for (const v of violations) found.push({ report: report.slug, theme: theme.slug, ...v });
      if (report.photo) {
        if (report.photo !== true) await frame.locator(report.photo).scrollIntoViewIfNeeded();
        await page.mouse.move(5, 5);
        await screenshot(`a11y-${report.slug}-${theme.slug}`);
      }
    }
  }
  await setTheme(page, wb, workspace, THEMES[1]);
  if (found.length)
    throw new Error(
      `axe found ${found.reduce((n, v) => n + v.count, 0)} WCAG 2.1 A/AA violations:\n${JSON.stringify(found, null, 1)}`,
    );
}

/** What has the focus in the report, and how its focus ring is drawn. */
function focusInfo(frame) {
  return frame.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const cs = getComputedStyle(el);
    const focusBorder = getComputedStyle(document.documentElement)
      .getPropertyValue('--vscode-focusBorder')
      .trim();
    return {
      key: el.dataset.a11yKey ?? '',
      tag: el.tagName.toLowerCase(),
      id: el.id,
      text: (el.textContent ?? '').trim().slice(0, 40),
      outlineStyle: cs.outlineStyle,
      outlineWidth: Number.parseFloat(cs.outlineWidth),
      outlineColor: cs.outlineColor,
      focusBorder,
    };
  });
}

export async function step4KeyboardReachesAndOperatesEveryControl({ page, wb }) {
  const frameLocator = await openReport(page, wb, REPORTS()[0]);
  const frame = await contentFrame(frameLocator);
  // Every control a keyboard user needs, in document order, tagged so the Tab walk can name them.
  const controls = await frame.evaluate(() => {
    const sel = 'a[href], button, [tabindex="0"]';
    return [...document.querySelectorAll(sel)]
      .filter((el) => el.getClientRects().length > 0 && !el.closest('[hidden]'))
      .map((el, i) => {
        el.dataset.a11yKey = String(i);
        return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
      });
  });
  if (controls.length < 10) throw new Error(`only ${controls.length} controls: ${controls}`);
  // Start above the toolbar: a click on the status line (the first thing in the page).
  await frameLocator.locator('#status').click();
  const reached = [];
  for (let i = 0; i < controls.length + 5; i++) {
    await page.keyboard.press('Tab');
    const f = await focusInfo(frame);
    if (!f) break; // left the webview
    if (f.key === '') throw new Error(`Tab reached an element that is not a control: ${JSON.stringify(f)}`);
    if (reached.includes(f.key)) break;
    reached.push(f.key);
    if (f.outlineStyle === 'none' || f.outlineWidth < 2)
      throw new Error(`no visible focus ring on ${controls[Number(f.key)]}: ${JSON.stringify(f)}`);
    if (/rgba\(\d+, \d+, \d+, 0\)|transparent/.test(f.outlineColor))
      throw new Error(`transparent focus ring on ${controls[Number(f.key)]}`);
  }
  const missed = controls.filter((_, i) => !reached.includes(String(i)));
  if (missed.length) throw new Error(`Tab never reached: ${missed.join(', ')}`);
  const order = reached.map(Number);
  if (order.some((k, i) => i > 0 && k < order[i - 1]))
    throw new Error(`Tab order ${order} is not the document order`);

  // A section link moves the focus to its heading; the next Tab continues inside that section.
  await frameLocator.locator('nav.toc a', { hasText: 'Violations' }).focus();
  await page.keyboard.press('Enter');
  let f = await focusInfo(frame);
  if (f?.id !== 'h-violations')
    throw new Error(`after the Violations link the focus is on ${JSON.stringify(f)}`);
  if (f.outlineStyle === 'none' || f.outlineWidth < 2)
    throw new Error('the focused heading shows no focus ring');
  await page.keyboard.press('Tab');
  const inSection = await frame.evaluate(() => !!document.activeElement?.closest('#section-violations'));
  if (!inSection) throw new Error('Tab after the Violations heading left the section');

  // A sort button by keyboard: Enter and Space both sort, aria-sort follows.
  const sortTh = frameLocator.locator('#table-checks thead th', { hasText: 'Violations' });
  await sortTh.locator('button').focus();
  await page.keyboard.press('Enter');
  if ((await sortTh.getAttribute('aria-sort')) !== 'ascending') throw new Error('Enter did not sort');
  await page.keyboard.press('Space');
  if ((await sortTh.getAttribute('aria-sort')) !== 'descending') throw new Error('Space did not sort');

  // An actionable row: arrow keys move between rows.
  const rows = frameLocator.locator('#table-checksums tbody tr[tabindex="0"]');
  if ((await rows.count()) >= 2) {
    await rows.first().focus();
    await page.keyboard.press('ArrowDown');
    const second = await rows.nth(1).evaluate((r) => r === document.activeElement);
    if (!second) throw new Error('ArrowDown did not move to the next row');
  }

  // Refresh re-renders the report: the focus stays on the button.
  // The old toolbar is marked: "ready" counts only once the refresh has replaced it (else the export
  // below may press a button the re-render is about to remove).
  await frame.evaluate(() => {
    document.querySelector('.toolbar')?.setAttribute('data-before-refresh', '1');
  });
  await frameLocator.locator('#btn-refresh').focus();
  await page.keyboard.press('Enter');
  await frameLocator.locator('.toolbar:not([data-before-refresh])').waitFor({ timeout: 20000 });
  await frameLocator.locator('body[data-state="ready"]').waitFor({ timeout: 20000 });
  f = await focusInfo(frame);
  for (let i = 0; i < 20 && f?.id !== 'btn-refresh'; i++) {
    await page.waitForTimeout(100);
    f = await focusInfo(frame);
  }
  if (f?.id !== 'btn-refresh') throw new Error(`after Refresh the focus is on ${JSON.stringify(f)}`);

  // Export: the save dialog takes the focus; cancelling it brings the focus back to the button.
  await frameLocator.locator('#btn-export-md').focus();
  await page.keyboard.press('Enter');
  await page.locator(wb.SELECTORS.paletteInput).waitFor({ state: 'visible', timeout: 15000 });
  await page.keyboard.press('Escape');
  await frameLocator.locator('#status', { hasText: 'Export cancelled' }).waitFor({ timeout: 15000 });
  f = await focusInfo(frame);
  if (f?.id !== 'btn-export-md') throw new Error(`after the export the focus is on ${JSON.stringify(f)}`);
}

export async function step5KeyColumnsStayVisibleAt600Px({ page, wb, screenshot }) {
  const frameLocator = await openReport(page, wb, REPORTS()[0]);
  const viewport = page.viewportSize();
  const iframe = page.locator('iframe.webview.ready');
  const box = await iframe.boundingBox();
  if (!box || !viewport) throw new Error('no webview box');
  await page.setViewportSize({
    width: Math.round(viewport.width - (box.width - 600)),
    height: viewport.height,
  });
  try {
    await page.waitForFunction(
      () => {
        const f = document.querySelector('iframe.webview.ready');
        return f && Math.abs(f.getBoundingClientRect().width - 600) < 8;
      },
      undefined,
      { timeout: 10000 },
    );
    const frame = await contentFrame(frameLocator);
    const layout = await frame.evaluate(() => {
      const out = {};
      for (const id of ['checks', 'violations', 'kpis', 'checksums']) {
        const t = document.getElementById(`table-${id}`);
        if (!t) continue;
        const wrap = t.closest('.table-wrap');
        out[id] = {
          overflow: wrap.scrollWidth - wrap.clientWidth,
          headers: [...t.querySelectorAll('thead th')].map((th) => ({
            label: th.textContent.trim(),
            right: Math.round(th.getBoundingClientRect().right),
          })),
        };
      }
      return { width: window.innerWidth, tables: out };
    });
    const problems = [];
    for (const [id, t] of Object.entries(layout.tables)) {
      if (t.overflow > 1) problems.push(`table ${id} scrolls sideways by ${t.overflow} px`);
      for (const h of t.headers)
        if (h.right > layout.width) problems.push(`column ${h.label} of ${id} ends at ${h.right} px`);
    }
    const wanted = ['Check', 'Status', 'Source'];
    const violationCols =
      layout.tables.violations?.headers.map((h) => h.label.replace(/\s*[↕▲▼]$/, '')) ?? [];
    for (const w of wanted)
      if (!violationCols.includes(w))
        problems.push(`the violations table has no ${w} column: ${violationCols}`);
    const link = frameLocator.locator('#table-violations button.link').first();
    const linkBox = await link.evaluate((el) => el.getBoundingClientRect().right);
    if (linkBox > layout.width) problems.push(`the source link ends at ${linkBox} px of ${layout.width}`);
    await frameLocator.locator('#section-violations').scrollIntoViewIfNeeded();
    await page.mouse.move(5, 5);
    await screenshot('a11y-audit-600px');
    if (problems.length) throw new Error(problems.join('\n'));
  } finally {
    await page.setViewportSize(viewport);
  }
}
