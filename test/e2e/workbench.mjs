// Helpers for driving the VS Code 1.99.3 workbench (code-server) like a person, with the selectors
// that work in that version (shared E2E.md, approach B). UI tests get these as `wb`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/code-server.mjs';

export const SELECTORS = {
  workbench: '.monaco-workbench',
  // Built-in containers add their keybinding to the label ("Explorer (Ctrl+Shift+E)"); a badge adds
  // its tooltip ("SOLVEREIGN - 1 open S0/S1 incident").
  activityIcon: (title) =>
    `.part.activitybar a.action-label:is([aria-label="${title}"], [aria-label^="${title} ("], [aria-label^="${title} - "])`,
  paletteInput: '.quick-input-widget .quick-input-box input',
  paletteFocused: '.quick-input-list .monaco-list-row.focused .label-name',
  notification: '.notifications-toasts .notification-list-item-message',
  treeRow: '.part.sidebar .monaco-list-row[role="treeitem"]',
  treeLabel: '.part.sidebar .monaco-list-row[role="treeitem"] .label-name',
  sidebarTitle: '.part.sidebar .composite.title h2',
  paneHeader: '.part.sidebar .pane-header',
};

/** The manifest as it is now (views are contributed by others while this harness exists). */
export function manifest() {
  return JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
}

/** The activity-bar view containers the extension contributes: [{ id, title, icon }]. */
export function viewContainers() {
  return manifest().contributes?.viewsContainers?.activitybar ?? [];
}

/** Waits for the workbench to be up and the extension host to have settled a little. */
export async function waitForWorkbench(page, timeout = 60000) {
  await page.waitForSelector(SELECTORS.workbench, { timeout });
  await page.waitForSelector('.part.activitybar', { timeout });
}

/** Clicks a view container's activity-bar icon (by its title) and waits for the side bar to show it. */
export async function openViewContainer(page, title, timeout = 30000) {
  const icon = page.locator(SELECTORS.activityIcon(title));
  await icon.waitFor({ timeout });
  // The <li> around the icon says whether the container is open; clicking an open one closes the side bar.
  const expanded = await icon.locator('xpath=..').getAttribute('aria-expanded');
  // Click the <li>: a badge ("1 unsaved file") may cover the icon itself.
  if (expanded !== 'true') await icon.locator('xpath=..').click();
  await page.locator(SELECTORS.sidebarTitle).filter({ hasText: title }).first().waitFor({ timeout });
}

/** Runs a command from the palette by its exact title ("Category: Title" as shown). */
export async function runCommand(page, title, timeout = 15000) {
  const input = page.locator(SELECTORS.paletteInput);
  const deadline = Date.now() + timeout;
  // Right after the workbench loads, the palette may not list the extension's commands yet ("No
  // matching commands"): close it and ask again until the command shows or the time is up.
  for (let round = 0; ; round++) {
    // F1 is lost while the focus is inside a webview's iframes: then move the focus back to the
    // workbench document and try again.
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0)
        await page.evaluate(() =>
          document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined,
        );
      await page.keyboard.press('F1');
      try {
        await input.waitFor({ state: 'visible', timeout: attempt < 2 ? 3000 : timeout });
        break;
      } catch (err) {
        if (attempt >= 2) throw err;
      }
    }
    await input.fill(`>${title}`);
    const left = Math.max(1000, deadline - Date.now());
    try {
      // The palette must still be open and hold the focus: a part that takes the focus late (a
      // terminal the panel just created, under load) closes it, and its hidden rows keep their text.
      await page.waitForFunction(
        ([sel, inputSel, want]) => {
          const box = document.querySelector(inputSel);
          return (
            box !== null &&
            document.activeElement === box &&
            box.closest('.quick-input-widget')?.style.display !== 'none' &&
            document.querySelector(sel)?.textContent?.trim() === want
          );
        },
        [SELECTORS.paletteFocused, SELECTORS.paletteInput, title],
        { timeout: round === 0 ? Math.min(5000, left) : left },
      );
      break;
    } catch (err) {
      if (Date.now() >= deadline || round > 1) throw err;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
    }
  }
  await page.keyboard.press('Enter');
}

/** Labels of the tree rows currently rendered in the side bar. */
export async function treeLabels(page) {
  return page.locator(SELECTORS.treeLabel).allTextContents();
}

/** Waits until at least `min` tree rows are rendered in the side bar; returns their labels. */
export async function waitForTree(page, { min = 1, timeout = 30000 } = {}) {
  await page.waitForFunction(
    ([sel, n]) => document.querySelectorAll(sel).length >= n,
    [SELECTORS.treeRow, min],
    { timeout },
  );
  return treeLabels(page);
}

/**
 * Waits for a notification whose text matches `re`; returns its text. It looks at the toasts, and
 * after half the time in the notification center too: a toast that came while another one (e.g. an
 * SLA alarm of the fixture's incidents) was shown may be collapsed or gone from the toasts already.
 */
export async function waitForNotification(page, re, timeout = 30000) {
  const find = (selector, ms) =>
    page.waitForFunction(
      ([sel, source, flags]) => {
        const r = new RegExp(source, flags);
        for (const el of document.querySelectorAll(sel))
          if (r.test(el.textContent ?? '')) return el.textContent;
        return null;
      },
      [selector, re.source, re.flags],
      { timeout: ms },
    );
  try {
    return await (await find(SELECTORS.notification, timeout / 2)).jsonValue();
  } catch {
    await runCommand(page, 'Notifications: Show Notifications');
    try {
      return await (
        await find(
          `${SELECTORS.notification}, .notifications-center .notification-list-item-message`,
          timeout / 2,
        )
      ).jsonValue();
    } finally {
      await runCommand(page, 'Notifications: Hide Notifications').catch(() => undefined);
    }
  }
}

/** The content frame of the active webview (two nested iframes in 1.99.3). */
export function webviewFrame(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}
