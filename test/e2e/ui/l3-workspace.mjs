// UI: the L3 workspace as an engineer meets it. "Open Evidence" on the seeded run with duplicate tours
// opens its input from the verified pack and fills the Problems panel with its audit findings (source
// "SOLVEREIGN Overlap", runbook code ERR_AUDIT_002, on the input's lines); "Reproduce Run Locally"
// solves that input here and shows the run with its seven audits in the Testing view; "Compare Runs…"
// on the ERROR week's re-run offers the failed run first and opens the input diff and the report.
// Screenshots: l3-problems, l3-testing, compare-report.
import { adminKey, api, closeAll, command, pick, reportFrame, signIn } from '../reportSteps.mjs';

export const timeout = 120000;

const state = { key: '', run: '', error: '', rerun: '' };

export async function step1OpenEvidenceFillsTheProblemsPanel({ page, wb, sandboxUrl, screenshot }) {
  state.key = await adminKey();
  const list = await api(sandboxUrl, state.key, 'GET', '/api/v1/platform/dispatcher/runs?limit=50');
  const run = (list.runs ?? list).find((r) => r.status === 'FAIL' && /Duplicate tours/.test(r.notes ?? ''));
  if (!run) throw new Error('the seed has no FAIL run with duplicate tours');
  state.run = run.run_id;
  state.error = (list.runs ?? list).find((r) => r.status === 'ERROR')?.run_id ?? '';
  state.rerun = (list.runs ?? list).find((r) => r.notes === 'Re-run after solver timeout')?.run_id ?? '';
  await signIn(page, wb, state.key);
  await closeAll(page, wb);
  await command(page, wb, 'SOLVEREIGN: Open Evidence');
  await pick(page, wb, state.run);
  // The input forecast of the pack opens in an editor tab.
  await page.locator('.tabs-container .tab', { hasText: 'forecast.txt' }).first().waitFor({ timeout: 30000 });
  await command(page, wb, 'View: Focus Problems (Errors, Warnings, Infos)');
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'SOLVEREIGN Overlap' }).first();
  await row.waitFor({ timeout: 30000 });
  const text = (await page.locator('.markers-panel').textContent()) ?? '';
  if (!/ERR_AUDIT_002/.test(text))
    throw new Error(`no runbook code in the Problems panel: ${text.slice(0, 400)}`);
  if (!/forecast\.txt/.test(text))
    throw new Error(`the findings are not on the input: ${text.slice(0, 400)}`);
  await command(page, wb, 'Notifications: Clear All Notifications');
  await screenshot('l3-problems');
}

export async function step2ReproduceRunLocallyShowsTheAuditsInTheTestingView({ page, wb, screenshot }) {
  await command(page, wb, 'SOLVEREIGN: Reproduce Run Locally');
  await pick(page, wb, state.run);
  // The Testing view opens with the run and its seven audits, run here.
  const testing = page
    .locator('.part.sidebar .test-explorer, .part.sidebar [id="workbench.view.testing"]')
    .first();
  await testing.waitFor({ timeout: 30000 }).catch(() => undefined);
  const runRow = page.locator(`${wb.SELECTORS.treeRow}`, { hasText: state.run }).first();
  await runRow.waitFor({ timeout: 30000 });
  if ((await runRow.getAttribute('aria-expanded')) === 'false') await runRow.click();
  for (const audit of ['Coverage', 'Overlap', 'Reproducibility'])
    await page.locator(wb.SELECTORS.treeRow, { hasText: audit }).first().waitFor({ timeout: 30000 });
  // The local solve of the same input breaks no rule: the Overlap row says it passed.
  await page.waitForFunction(
    (sel) =>
      [...document.querySelectorAll(sel)].some((r) =>
        /Overlap.*(Passed|passed)|(Passed|passed).*Overlap/.test(r.getAttribute('aria-label') ?? ''),
      ),
    wb.SELECTORS.treeRow,
    { timeout: 30000 },
  );
  await command(page, wb, 'Notifications: Clear All Notifications');
  await screenshot('l3-testing');
}

export async function step3CompareRunsShowsTheDiffAndTheReport({ page, wb, screenshot }) {
  if (!state.error || !state.rerun) throw new Error('the seed has no ERROR run with its re-run');
  await closeAll(page, wb);
  await command(page, wb, 'SOLVEREIGN: Compare Runs…');
  await pick(page, wb, state.rerun);
  // The second picker opens on the default: the run the re-run replaced.
  await page.waitForFunction(
    (want) => (document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? '') === want,
    `Compare ${state.rerun} with…`,
    { timeout: 15000 },
  );
  await pick(page, wb, state.error, { type: false });
  await page
    .locator('.tabs-container .tab', { hasText: `${state.error} ↔ ${state.rerun}: input` })
    .first()
    .waitFor({ timeout: 30000 });
  const frame = await reportFrame(page, wb, 'compare');
  const audits = frame.locator('#table-audits tbody tr');
  if ((await audits.count()) !== 7) throw new Error(`audit rows: ${await audits.count()}`);
  // The ERROR run never got to its audits: each row says in words that it differs.
  const changed = await frame.locator('#table-audits tbody tr td:last-child').allTextContents();
  if (!changed.every((t) => t.startsWith('differs: status not run →')))
    throw new Error(`audit changes: ${changed.join(' | ')}`);
  const notice = await frame.locator('.notice', { hasText: 'Plans not compared' }).textContent();
  if (!notice?.includes(`${state.error} has no plan`)) throw new Error(`notice: ${notice}`);
  await command(page, wb, 'Notifications: Clear All Notifications');
  await page.mouse.move(5, 5);
  await screenshot('compare-report');
}
