// UI: the roster timeline as an engineer meets it. "Show Roster Timeline" on the seeded FAIL run with
// duplicate tours opens its plan beside the editor: one row per driver, only the rows in view in the
// DOM, violation bars named with their audit. Screenshots timeline-light and timeline-dark; the keyboard
// path (roving focus, arrow keys, Ctrl+End to the last driver, filters, Enter opens the forecast line);
// axe-core in three themes; and measurements printed (never asserted on time): scrolling the grid
// for 2 s with frame times from requestAnimationFrame, and the first paint after a render message.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../support/code-server.mjs';
import {
  frameSummary,
  nextRenderPaint,
  percentile,
  scrollTimeline,
} from '../../support/timeline-measure.mjs';
import {
  adminKey,
  api,
  axeViolations,
  closeAll,
  command,
  contentFrame,
  pick,
  reportFrame,
  setTheme,
  signIn,
  THEMES,
} from '../reportSteps.mjs';

export const timeout = 150000;

const state = { key: '', run: '' };
const [LIGHT, DARK, HIGH_CONTRAST] = THEMES;
// The webview's constants (webview-ui/timeline.ts): fixed row height and rows beyond each edge.
const ROW_HEIGHT = 30;
const OVERSCAN = 8;

const activeInfo = (frame) =>
  frame.evaluate(() => {
    const el = document.activeElement;
    const row = el?.closest('[role="row"]');
    return {
      role: el?.getAttribute('role') ?? '',
      cell: el?.getAttribute('data-cell') ?? '',
      label: el?.getAttribute('aria-label') ?? '',
      title: el?.getAttribute('title') ?? '',
      rowIndex: Number(row?.getAttribute('aria-rowindex') ?? 0),
      tabindex: el?.getAttribute('tabindex') ?? '',
      tabStops: document.querySelectorAll('.tl-grid [tabindex="0"]').length,
    };
  });

async function openTimeline(page, wb) {
  await closeAll(page, wb);
  await command(page, wb, 'SOLVEREIGN: Show Roster Timeline');
  await pick(page, wb, state.run);
  const frame = await reportFrame(page, wb, 'timeline');
  await frame.locator('.tl-grid .tl-row').first().waitFor({ timeout: 20000 });
  return frame;
}

/** Focuses a FAIL bar in view (its details show above the grid) without activating it. */
async function focusViolationBar(frameLocator) {
  const frame = await contentFrame(frameLocator);
  const label = await frame.evaluate(() => {
    const bar = document.querySelector('.tl-grid .tl-tour.tl-v-fail');
    bar?.focus();
    return bar?.getAttribute('aria-label') ?? '';
  });
  if (!label) throw new Error('no FAIL bar among the rows in view');
  return label;
}

export async function step1OpensTheFailRunsPlanAsAWeekOfDriverRows({
  page,
  wb,
  sandboxUrl,
  workspace,
  screenshot,
}) {
  state.key = await adminKey();
  const list = await api(sandboxUrl, state.key, 'GET', '/api/v1/platform/dispatcher/runs?limit=50');
  const run = (list.runs ?? list).find((r) => r.status === 'FAIL' && /Duplicate tours/.test(r.notes ?? ''));
  if (!run) throw new Error('the seed has no FAIL run with duplicate tours');
  state.run = run.run_id;
  // The SOLVEREIGN container shows once the workbench knows the extension's contributions.
  await wb.openViewContainer(page, 'SOLVEREIGN');
  await signIn(page, wb, state.key);
  const frameLocator = await openTimeline(page, wb);
  const frame = await contentFrame(frameLocator);
  const drawn = await frame.evaluate(() => {
    const grid = document.querySelector('.tl-grid');
    return {
      rowCount: Number(grid.getAttribute('aria-rowcount')),
      domRows: grid.querySelectorAll('[role="row"]').length,
      bars: [...grid.querySelectorAll('[role="gridcell"]')].map((b) => b.getAttribute('aria-label')),
      splitBreaks: grid.querySelectorAll('.tl-break').length,
      days: [...document.querySelectorAll('.tl-tick.major')].map((t) => t.textContent),
      count: document.querySelector('.tl-count')?.textContent ?? '',
    };
  });
  if (drawn.rowCount < 100) throw new Error(`a Wien-size plan has more than ${drawn.rowCount} drivers`);
  if (drawn.domRows >= drawn.rowCount) throw new Error(`not virtualised: ${drawn.domRows} rows in the DOM`);
  if (!/^Showing \d+ of \d+ drivers · \d+ tours · \d+ violations$/.test(drawn.count))
    throw new Error(`count line: ${drawn.count}`);
  if (
    drawn.days
      .slice(0, 7)
      .map((d) => d.slice(0, 2))
      .join(' ') !== 'Mo Di Mi Do Fr Sa So'
  )
    throw new Error(`axis: ${drawn.days}`);
  const fail = drawn.bars.find((l) => / FAIL(,|$)/.test(l));
  if (
    !fail ||
    !/^D\d+, (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d\d:\d\d–.*, tour T\d+(, split)?, (Overlap|Rest|Fatigue) FAIL/.test(
      fail,
    )
  )
    throw new Error(`no violation bar names its audit: ${fail ?? drawn.bars.slice(0, 5)}`);
  if (drawn.splitBreaks === 0) throw new Error('no split tour with its break among the rows in view');
  await focusViolationBar(frameLocator);
  await frameLocator.locator('.tl-details .pill.tone-fail').first().waitFor({ timeout: 5000 });
  await command(page, wb, 'Notifications: Clear All Notifications');
  for (const [theme, shot] of [
    [LIGHT, 'timeline-light'],
    [DARK, 'timeline-dark'],
  ]) {
    await setTheme(page, wb, workspace, theme);
    await page.mouse.move(5, 5);
    await screenshot(shot);
  }
}

export async function step2KeyboardMovesThroughDriversAndToursAndEnterOpensTheForecastLine({ page, wb }) {
  const frameLocator = await openTimeline(page, wb);
  const frame = await contentFrame(frameLocator);
  // One tab stop: Tab from the last filter control lands on the first row's header.
  await frameLocator.locator('.tl-filters button').focus();
  await page.keyboard.press('Tab');
  let f = await activeInfo(frame);
  if (f.role !== 'rowheader' || f.rowIndex !== 1 || !/^Driver D\d+, \d+ tours?, /.test(f.label))
    throw new Error(`Tab into the grid landed on ${JSON.stringify(f)}`);
  if (f.tabStops !== 1) throw new Error(`${f.tabStops} tab stops in the grid`);
  await page.keyboard.press('ArrowRight');
  f = await activeInfo(frame);
  if (f.role !== 'gridcell' || f.cell !== '1' || !/^D\d+, Monday /.test(f.label))
    throw new Error(`ArrowRight: ${JSON.stringify(f)}`);
  await page.keyboard.press('ArrowDown');
  f = await activeInfo(frame);
  if (f.rowIndex !== 2 || f.role !== 'gridcell') throw new Error(`ArrowDown: ${JSON.stringify(f)}`);
  if (f.tabStops !== 1) throw new Error(`roving tabindex: ${f.tabStops} tab stops after moving`);
  // Ctrl+End: the last driver, far outside the rows first drawn, is scrolled in and focused.
  await page.keyboard.press('Control+End');
  f = await activeInfo(frame);
  const rowCount = await frameLocator.locator('.tl-grid').getAttribute('aria-rowcount');
  if (f.rowIndex !== Number(rowCount) || f.role !== 'rowheader')
    throw new Error(`Ctrl+End: ${JSON.stringify(f)} of ${rowCount}`);
  await page.keyboard.press('Control+Home');
  f = await activeInfo(frame);
  if (f.rowIndex !== 1) throw new Error(`Ctrl+Home: ${JSON.stringify(f)}`);

  // Filters: a day narrows the axis to its hours; a driver's id and a violation narrow the rows.
  await frameLocator.locator('.tl-filters select').first().selectOption('2');
  const tuesday = await frame.evaluate(() => ({
    labels: [...document.querySelectorAll('.tl-grid [role="gridcell"]')].map((b) =>
      b.getAttribute('aria-label'),
    ),
    ticks: document.querySelectorAll('.tl-tick').length,
  }));
  if (!tuesday.labels.length || tuesday.labels.some((l) => !/, Tuesday /.test(l)))
    throw new Error(`Day Di shows ${tuesday.labels.slice(0, 3)}`);
  if (tuesday.ticks < 24) throw new Error(`a day's axis has ${tuesday.ticks} ticks`);
  await frameLocator.locator('.tl-filters button').click();
  await frameLocator.locator('.tl-filters input').fill('D00');
  await frameLocator
    .locator('.tl-count', { hasText: /^Showing 9 of \d+ drivers/ })
    .waitFor({ timeout: 5000 });
  await frameLocator.locator('.tl-filters input').fill('');
  await frameLocator.locator('.tl-filters select').last().selectOption('Overlap');
  const overlap = await frame.evaluate(() =>
    [...document.querySelectorAll('.tl-grid [role="gridcell"]')].map((b) => b.getAttribute('aria-label')),
  );
  if (!overlap.length || overlap.some((l) => !/Overlap FAIL/.test(l)))
    throw new Error(`the Overlap filter shows ${overlap.slice(0, 3)}`);

  // Enter on a bar opens the run's input at that tour's line, in the editor beside the report.
  await frameLocator.locator('.tl-grid [tabindex="0"]').focus();
  await page.keyboard.press('ArrowRight');
  f = await activeInfo(frame);
  const line = /forecast line (\d+)/.exec(f.title)?.[1];
  if (!line) throw new Error(`the bar names no forecast line: ${JSON.stringify(f)}`);
  const details = await frameLocator.locator('.tl-details').textContent();
  if (!details.includes(`forecast line ${line}`) || !/Overlap FAIL/.test(details))
    throw new Error(`details: ${details}`);
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    (want) => (document.querySelector('[id="status.editor.selection"]')?.textContent ?? '').includes(want),
    `Ln ${line},`,
    { timeout: 20000 },
  );
  const tab = await page.locator('.editor-group-container.active .tab.active').first().textContent();
  if (/Timeline/.test(tab ?? '')) throw new Error(`the focus stayed on ${tab}`);
  // The forecast from the evidence pack is an untitled document: close it unsaved.
  await command(page, wb, 'View: Revert and Close Editor');
}

export async function step3HasNoWcagViolationsInThreeThemes({ page, wb, workspace }) {
  const frameLocator = await openTimeline(page, wb);
  await focusViolationBar(frameLocator);
  const found = [];
  for (const theme of [LIGHT, DARK, HIGH_CONTRAST]) {
    await setTheme(page, wb, workspace, theme);
    for (const v of await axeViolations(frameLocator)) found.push({ theme: theme.slug, ...v });
  }
  await setTheme(page, wb, workspace, DARK);
  if (found.length) throw new Error(`axe found WCAG 2.1 A/AA violations:\n${JSON.stringify(found, null, 1)}`);
}

export async function step4ScrollingReusesABoundedSetOfRowsAndFirstPaintIsMeasured({ page, wb }) {
  const frameLocator = await openTimeline(page, wb);
  const frame = await contentFrame(frameLocator);
  // The focus outside the grid: a focused row would stay in the DOM on purpose.
  await frameLocator.locator('.tl-filters input').focus();
  const scroll = await frame.evaluate(scrollTimeline, { durationMs: 2000, step: 45 });
  const paints = [];
  for (let i = 0; i < 3; i++) {
    // A Refresh re-sends the report: the time from that render message to its first painted frame.
    const measuring = frame.evaluate(nextRenderPaint);
    await frameLocator.locator('#btn-refresh').click();
    paints.push(await measuring);
  }
  const paint = percentile(
    paints.map((p) => p.ms),
    50,
  );
  const numbers = {
    run: state.run,
    drivers: scroll.rowCount,
    scroll: frameSummary(scroll),
    firstPaintMs: paints.map((p) => Math.round(p.ms * 10) / 10),
    firstPaintP50Ms: Math.round(paint * 10) / 10,
  };
  console.log(`    timeline numbers: ${JSON.stringify(numbers)}`);
  const dir = path.join(ROOT, 'test-results', 'e2e');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'timeline-numbers.json'), `${JSON.stringify(numbers, null, 2)}\n`);

  // What is robust to assert: the scroll went through every driver, the DOM held only the rows in
  // view plus the overscan, and the row elements were reused rather than made anew.
  if (scroll.maxIndex !== scroll.rowCount)
    throw new Error(`the scroll never reached the last driver (${scroll.maxIndex} of ${scroll.rowCount})`);
  const bound = Math.ceil(scroll.viewportHeight / ROW_HEIGHT) + 1 + 2 * OVERSCAN;
  if (scroll.maxRows > bound) throw new Error(`${scroll.maxRows} rows in the DOM (bound ${bound})`);
  if (scroll.distinctRowElements > scroll.maxRows)
    throw new Error(
      `${scroll.distinctRowElements} row elements over the scroll for at most ${scroll.maxRows} at once: rows are not reused`,
    );
  if (paints.some((p) => p.rows === 0)) throw new Error('a refresh painted no rows');
}
