// UI: the status bar and the trees follow every state change, the extension's own and one made
// elsewhere. A publish through SP-003 shows in the Runs tree at once; a kill switch pulled by another
// client (the API, like a colleague's CLI) turns the status bar into "KILL SWITCH ACTIVE" within one
// refresh interval (set to its minimum, 5 s, here), and its release turns it back. Screenshots of each
// end state. Runs after the other UI files (name order), so its publish and toggles touch no one's data.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { adminKey, api, closeAll, command, createRun, pick, signIn } from '../reportSteps.mjs';

export const timeout = 120000;

const state = { key: '', run: '' };
const STATUS = '.part.statusbar .statusbar-item';

async function statusText(page) {
  return page.evaluate((sel) => {
    for (const el of document.querySelectorAll(sel)) {
      const t = (el.textContent ?? '').trim();
      if (/lts\/wien/.test(t)) return t;
    }
    return '';
  }, STATUS);
}

async function waitForStatus(page, re, timeoutMs) {
  await page.waitForFunction(
    ([sel, source]) =>
      [...document.querySelectorAll(sel)].some((el) =>
        new RegExp(source).test((el.textContent ?? '').trim()),
      ),
    [STATUS, re.source],
    { timeout: timeoutMs },
  );
  return statusText(page);
}

/** Answers the procedure's questions by their titles until the quick input closes. */
async function answerProcedure(page, wb, answers) {
  const input = page.locator(wb.SELECTORS.paletteInput);
  for (let i = 0; i < 12; i++) {
    const open = await input
      .waitFor({ state: 'visible', timeout: 8000 })
      .then(() => true)
      .catch(() => false);
    if (!open) return;
    // The title names the procedure and step; the question is the placeholder or the prompt.
    const title = [
      (await page.locator('.quick-input-widget .quick-input-title').textContent()) ?? '',
      (await input.getAttribute('placeholder')) ?? '',
      (await page
        .locator('.quick-input-widget .quick-input-message')
        .textContent()
        .catch(() => '')) ?? '',
    ].join(' | ');
    const answer = answers.find((a) => a.title.test(title));
    if (!answer) throw new Error(`unexpected question "${title}"`);
    if (answer.pick) await pick(page, wb, answer.pick, { type: answer.type ?? true });
    else {
      await input.fill(answer.text);
      await page.keyboard.press('Enter');
    }
    // The next question replaces this one; wait until the title changed or the widget closed.
    await page
      .waitForFunction(
        ([sel, before]) => {
          const w = document.querySelector('.quick-input-widget');
          if (!w || getComputedStyle(w).display === 'none') return true;
          return (document.querySelector(sel)?.textContent ?? '') !== before;
        },
        ['.quick-input-widget .quick-input-title', title.split(' | ')[0] ?? ''],
        { timeout: 15000 },
      )
      .catch(() => {});
  }
}

export async function step1SignsInWithAShortRefreshInterval({ page, wb, sandboxUrl, workspace }) {
  const dir = path.join(workspace, '.vscode');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'settings.json'),
    JSON.stringify({ 'solvereign.sidebar.refreshIntervalSeconds': 5 }, null, 2),
  );
  state.key = await adminKey();
  // A fresh run nobody else publishes: two day tours, solved by the sandbox.
  state.run = await createRun(sandboxUrl, state.key, {
    week: '2027-W05',
    forecast: 'Mo 06:00-14:00\nDi 06:00-14:00\n',
  });
  await signIn(page, wb, state.key);
  await wb.openViewContainer(page, 'SOLVEREIGN');
  const text = await waitForStatus(page, /Local sandbox · lts\/wien/, 30000);
  if (/KILL SWITCH/.test(text)) throw new Error(`the kill switch is on before the test: ${text}`);
}

export async function step2PublishShowsInTheRunsTreeAtOnce({ page, wb, sandboxUrl, screenshot }) {
  const run = await api(sandboxUrl, state.key, 'GET', `/api/v1/platform/dispatcher/runs/${state.run}`);
  if (run.published) throw new Error(`${state.run} is already published`);
  await closeAll(page, wb);
  await command(page, wb, 'SOLVEREIGN: SP-003 Publish Run');
  await answerProcedure(page, wb, [
    // The confirmation first: it repeats the earlier answers (a WARN override among them).
    { title: /Sends exactly/, pick: 'Publish' },
    { title: /Run to publish/, pick: state.run },
    { title: /WARN override/, pick: 'Yes, publish with WARN override' },
    { title: /Reason for the publish|Why publish/, text: 'UI test: weekly publish of the test week' },
  ]);
  // The server confirms the publish (the procedure ends with its verify step).
  let published = false;
  for (let i = 0; i < 100 && !published; i++) {
    const r = await api(sandboxUrl, state.key, 'GET', `/api/v1/platform/dispatcher/runs/${state.run}`);
    published = !!r.published;
    if (!published) await page.waitForTimeout(200);
  }
  if (!published) {
    await screenshot('state-publish-not-confirmed');
    throw new Error(`${state.run} is not published on the server after SP-003`);
  }
  // The server's answer updates the row at once: no refresh awaited.
  const row = page.locator(wb.SELECTORS.treeRow, { hasText: state.run }).first();
  await row.waitFor({ timeout: 10000 });
  await page.waitForFunction(
    ([sel, id]) =>
      [...document.querySelectorAll(sel)].some(
        (r) =>
          (r.getAttribute('aria-label') ?? r.textContent ?? '').includes(id) &&
          /published/i.test(r.getAttribute('aria-label') ?? r.textContent ?? ''),
      ),
    [wb.SELECTORS.treeRow, state.run],
    { timeout: 10000 },
  );
  await screenshot('state-after-publish');
}

export async function step3AKillSwitchPulledElsewhereShowsWithinOneRefresh({ page, sandboxUrl, screenshot }) {
  await api(sandboxUrl, state.key, 'POST', '/api/v1/platform/dispatcher/kill-switch', {
    action: 'disable',
    mode: 'emergency',
    reason: 'UI test: pulled from another client',
  });
  // One refresh interval is 5 s; the wait allows for a busy CI machine, it is no timing assertion.
  const text = await waitForStatus(page, /^KILL SWITCH ACTIVE/, 30000);
  if (!/lts\/wien/.test(text)) throw new Error(`status bar: ${text}`);
  const background = await page.evaluate((sel) => {
    const el = [...document.querySelectorAll(sel)].find((e) =>
      /KILL SWITCH ACTIVE/.test(e.textContent ?? ''),
    );
    return el ? getComputedStyle(el).backgroundColor : '';
  }, STATUS);
  if (!background || /rgba\(0, 0, 0, 0\)|transparent/.test(background))
    throw new Error(`the KILL SWITCH ACTIVE item has no error background (${background})`);
  // The Sites tree follows in the same refresh: its kill-switch row says ACTIVE.
  await page.waitForFunction(
    (sel) =>
      [...document.querySelectorAll(sel)].some((r) => /Kill switch\s*ACTIVE/.test(r.textContent ?? '')),
    '.part.sidebar .monaco-list-row[role="treeitem"]',
    { timeout: 30000 },
  );
  await screenshot('state-kill-switch-active');
}

export async function step4ItsReleaseShowsWithinOneRefresh({ page, sandboxUrl, screenshot }) {
  await api(sandboxUrl, state.key, 'POST', '/api/v1/platform/dispatcher/kill-switch', {
    action: 'enable',
    mode: 'emergency',
    reason: 'UI test: released after the check',
    rca_ref: 'RCA-UI-TEST',
  });
  await page.waitForFunction(
    (sel) =>
      [...document.querySelectorAll(sel)].some(
        (el) =>
          /Local sandbox · lts\/wien/.test(el.textContent ?? '') && !/KILL SWITCH/.test(el.textContent ?? ''),
      ),
    STATUS,
    { timeout: 30000 },
  );
  await page.waitForFunction(
    (sel) => [...document.querySelectorAll(sel)].some((r) => /Kill switch\s*off/.test(r.textContent ?? '')),
    '.part.sidebar .monaco-list-row[role="treeitem"]',
    { timeout: 30000 },
  );
  await screenshot('state-kill-switch-released');
}
