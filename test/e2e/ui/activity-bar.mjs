// UI: the SOLVEREIGN view container in the activity bar opens and shows its tree.
// Each exported async function is one test; it gets { page, wb, sandboxUrl, workspace, screenshot, skip }.

export async function opensSolvereignContainer({ page, wb, screenshot, skip }) {
  const container = wb.viewContainers().find((c) => /solvereign/i.test(`${c.id} ${c.title}`));
  if (!container) skip('package.json contributes no SOLVEREIGN activity-bar container yet');
  await wb.openViewContainer(page, container.title);
  const labels = await wb.waitForTree(page, { min: 1 });
  await page.mouse.move(700, 450); // no activity-bar hover in the picture
  await page.waitForTimeout(300);
  await screenshot('solvereign-view');
  if (labels.length === 0) throw new Error('the SOLVEREIGN tree shows no rows');
}
