// UI: the report webviews in code-server, driven like a person (palette, quick picks, clicks), read
// inside the webview (two nested iframes) and photographed. Tests run in name order and share a page.
import { adminKey, closeAll, command, createRun, pick, reportFrame, signIn } from '../reportSteps.mjs';

export const timeout = 90000;

const state = { key: '', runId: '' };
const NOTE = '<img src=x onerror=alert(1)> <b>bold</b> note';
// Line 3 (a 16 h tour nobody may drive) becomes a Coverage violation that points at forecast line 3.
const FORECAST = '# UI test week\nMo 06:00-14:00\nMo 05:00-21:00\nDi 06:00-14:00 2 Fahrer\n';

export async function step1SignsInWithAnApiKey({ page, wb, sandboxUrl, skip }) {
  if (!sandboxUrl) skip('no sandbox server');
  state.key = await adminKey();
  // A run whose note carries HTML and whose Coverage violation points at a forecast line.
  state.runId = await createRun(sandboxUrl, state.key, { forecast: FORECAST, week: '2026-W49', notes: NOTE });
  await signIn(page, wb, state.key);
}

export async function step2AuditReportShowsTheRunAndLinksToTheForecastLine({ page, wb, screenshot }) {
  if (!state.runId) throw new Error('step 1 did not create the run');
  await closeAll(page, wb);
  await command(page, wb, 'SOLVEREIGN: Open Audit Report');
  await pick(page, wb, state.runId);
  const frame = await reportFrame(page, wb, 'audit');

  const title = await frame.locator('h1').first().textContent();
  if (!title?.includes(`Audit report ${state.runId}`)) throw new Error(`title ${title}`);
  const status = await frame.locator('#report-status').textContent();
  if (status !== 'BLOCKED') throw new Error(`status badge ${status}`);

  // The HTML in the run note is text, not markup.
  const notes = frame.locator('dt', { hasText: /^Notes$/ }).locator('xpath=following-sibling::dd[1]');
  const noteText = await notes.textContent();
  if (noteText !== NOTE) throw new Error(`note rendered as ${JSON.stringify(noteText)}`);
  if ((await notes.locator('img, b').count()) !== 0) throw new Error('the note became markup');

  // The seven checks in a real table with caption and headers.
  const checks = frame.locator('#table-checks');
  const caption = await checks.locator('caption').textContent();
  if (!caption?.includes('seven audit checks')) throw new Error(`caption ${caption}`);
  const names = await checks.locator('tbody th[scope="row"]').allTextContents();
  if (names.join(',') !== 'Coverage,Overlap,Rest,SpanRegular,SpanSplit,Fatigue,Reproducibility')
    throw new Error(`checks ${names}`);
  const coverage = await checks.locator('tbody tr').first().locator('td').allTextContents();
  if (coverage[0] !== 'FAIL' || coverage[1] !== '1') throw new Error(`Coverage row ${coverage}`);

  // Sortable by keyboard and mouse; aria-sort follows.
  const sortButton = checks.locator('thead th', { hasText: 'Violations' }).locator('button');
  await sortButton.click();
  await sortButton.click();
  const sorted = await checks.locator('thead th', { hasText: 'Violations' }).getAttribute('aria-sort');
  if (sorted !== 'descending') throw new Error(`aria-sort ${sorted}`);
  const firstAfterSort = await checks.locator('tbody th[scope="row"]').first().textContent();
  if (firstAfterSort !== 'Coverage') throw new Error(`sorted by violations, first is ${firstAfterSort}`);

  const link = frame.locator('#table-violations button.link', { hasText: 'forecast line 3' });
  await link.waitFor({ timeout: 10000 });
  await command(page, wb, 'Notifications: Clear All Notifications');
  const row = frame.locator('#table-violations tbody tr[tabindex="0"]').first();
  const aria = await row.getAttribute('aria-label');
  if (!aria?.includes('Open forecast line 3')) throw new Error(`violation row aria-label ${aria}`);
  await page.mouse.move(5, 5);
  await screenshot('reports-audit');

  // The link opens the run's forecast (from the evidence pack) at line 3, beside the report.
  await link.click();
  await page.waitForFunction(
    () => /Ln 3,/.test(document.querySelector('[id="status.editor.selection"]')?.textContent ?? ''),
    undefined,
    { timeout: 20000 },
  );
  const lineText = (await page.locator('.monaco-editor .view-line').nth(2).textContent())?.replace(
    /\u00a0/g,
    ' ',
  );
  if (!lineText?.includes('Mo 05:00-21:00')) throw new Error(`line 3 of the opened forecast is ${lineText}`);
  await screenshot('reports-audit-forecast-line');
  // The forecast is an untitled document (the engineer may edit and save it): close it unsaved.
  await command(page, wb, 'View: Revert and Close Editor');
}

export async function step3DriftReportShowsRuleDetectorAndTrend({ page, wb, screenshot }) {
  await closeAll(page, wb);
  await command(page, wb, 'SOLVEREIGN: Open Drift Report');
  await pick(page, wb, 'Latest run', { type: false });
  const frame = await reportFrame(page, wb, 'drift');
  const groups = await frame.locator('.columns .group h3').allTextContents();
  if (groups.join('|') !== 'Runbook rule|Live detector (z-score)') throw new Error(`groups ${groups}`);
  const level = await frame
    .locator('.group', { hasText: 'Live detector' })
    .locator('dt', { hasText: /^Level$/ })
    .locator('xpath=following-sibling::dd[1]')
    .textContent();
  if (!/^(OK|WARNING|ALERT|INCIDENT)$/.test(level ?? '')) throw new Error(`detector level ${level}`);
  const kpis = await frame.locator('#table-drift-metrics tbody th[scope="row"]').allTextContents();
  if (!kpis.includes('Headcount (drivers)')) throw new Error(`drift KPIs ${kpis}`);
  const charts = await frame.locator('svg.chart[role="img"]').count();
  if (charts !== 3) throw new Error(`${charts} charts`);
  const points = await frame.locator('#chart-trend-headcount circle.point').count();
  if (points < 2) throw new Error(`${points} points in the headcount trend`);
  await page.mouse.move(5, 5);
  await screenshot('reports-drift');
}

export async function step4FireDrillHistory({ page, wb, screenshot }) {
  await closeAll(page, wb);
  await command(page, wb, 'SOLVEREIGN: Open Fire-Drill History');
  const frame = await reportFrame(page, wb, 'fireDrills');
  const rows = frame.locator('#table-drills tbody tr');
  if ((await rows.count()) < 1) throw new Error('no drills');
  const first = await rows.first().locator('td').allTextContents();
  if (!/ms ≤ 5 s|s [≤>] 5 s/.test(first[0] ?? '')) throw new Error(`disable toggle cell ${first[0]}`);
  if (!/^(PASS|FAIL)$/.test(first[4] ?? '')) throw new Error(`result cell ${first[4]}`);
  await page.mouse.move(5, 5);
  await screenshot('reports-fire-drills');
}

export async function step5FollowsTheColorTheme({ page, wb, screenshot }) {
  await closeAll(page, wb);
  await command(page, wb, 'SOLVEREIGN: Open Audit Report');
  await pick(page, wb, state.runId);
  const frame = await reportFrame(page, wb, 'audit');
  const kind = async () =>
    /vscode-(light|dark|high-contrast)/.exec((await frame.locator('body').getAttribute('class')) ?? '')?.[1];
  const before = await kind();
  const background = () => frame.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
  const bgBefore = await background();
  await command(page, wb, 'Preferences: Toggle between Light/Dark Themes');
  await frame.locator(`body:not(.vscode-${before})`).waitFor({ timeout: 15000 });
  const after = await kind();
  const bgAfter = await background();
  if (!before || !after || before === after) throw new Error(`theme class ${before} -> ${after}`);
  if (bgBefore === bgAfter) throw new Error(`the background stayed ${bgAfter} across the theme change`);
  await page.mouse.move(5, 5);
  await screenshot(`reports-audit-${after}`);
  await command(page, wb, 'Preferences: Toggle between Light/Dark Themes');
}

export async function step6ComesBackAfterAWindowReload({ page, wb, screenshot }) {
  await closeAll(page, wb);
  await command(page, wb, 'SOLVEREIGN: Open Fire-Drill History');
  await reportFrame(page, wb, 'fireDrills');
  // Reload like a person does (the workbench stores its editors on the way down).
  await page.evaluate(() => {
    window.__solvereignBeforeReload = true;
  });
  await command(page, wb, 'Developer: Reload Window');
  await page.waitForFunction(() => !window.__solvereignBeforeReload, undefined, { timeout: 30000 });
  await wb.waitForWorkbench(page);
  // The serializer revives the panel from the state its webview kept; it loads again by itself.
  const frame = await reportFrame(page, wb, 'fireDrills');
  const rows = await frame.locator('#table-drills tbody tr').count();
  if (rows < 1) throw new Error('the restored fire-drill history shows no drills');
  await page.mouse.move(5, 5);
  await screenshot('reports-restored');
}
