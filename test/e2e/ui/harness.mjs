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
  // The side bar, not the panel: the panel opens the terminal, whose late start re-reveals a panel
  // that was just hidden again on a loaded machine.
  const sideBar = page.locator('.part.sidebar').first();
  const wasVisible = await sideBar.isVisible();
  const states = wasVisible ? ['hidden', 'visible'] : ['visible', 'hidden'];
  for (const state of states) {
    await wb.runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await sideBar.waitFor({ state, timeout: 10000 });
  }
}
