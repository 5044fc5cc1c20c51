// UI: the harness itself works (fixture workspace open, Explorer tree, command palette), so a failing
// SOLVEREIGN UI test points at the extension, not at the driving.

export async function explorerShowsTheFixtureWorkspace({ page, wb }) {
  await wb.openViewContainer(page, 'Explorer');
  await page.waitForFunction(
    (sel) => [...document.querySelectorAll(sel)].some((e) => e.textContent === 'week.forecast'),
    wb.SELECTORS.treeLabel,
    { timeout: 20000 },
  );
  const labels = await wb.treeLabels(page);
  for (const want of ['.claude', 'week.forecast']) {
    if (!labels.includes(want)) throw new Error(`Explorer rows ${JSON.stringify(labels)} lack ${want}`);
  }
}

export async function commandPaletteRunsACommand({ page, wb }) {
  await wb.runCommand(page, 'View: Toggle Panel Visibility');
  await page.locator('.part.panel').first().waitFor({ state: 'visible', timeout: 10000 });
  await wb.runCommand(page, 'View: Toggle Panel Visibility');
  await page.locator('.part.panel').first().waitFor({ state: 'hidden', timeout: 10000 });
}
