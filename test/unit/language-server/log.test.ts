import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, DocumentSymbol, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import {
  closeLargeLogNotification,
  LOG_LANGUAGE_ID,
  largeLogChunkNotification,
  openLargeLogNotification,
} from '../../../src/language/protocol';
import { analyzeLog, LogScanner } from '../../../src/language-server/log';
import { rangeText, startTestServer, type TestClient } from './harness';

const LOG = readFileSync(path.resolve(__dirname, '../../fixtures/language/api.log'), 'utf8');
const uri = 'file:///var/log/solvereign/api.log';
const hoverText = (h: Hover | null) => (h?.contents as MarkupContent | undefined)?.value ?? '';

describe('language server: SOLVEREIGN logs', () => {
  let client: TestClient;
  let diags: Diagnostic[];
  before(async () => {
    client = await startTestServer({ maxLogDiagnostics: 1000 });
    diags = await client.open(uri, LOG_LANGUAGE_ID, LOG);
  });
  after(() => client.dispose());

  describe('diagnostics by severity', () => {
    it('S1 error, S2 warning, S3 information, explicit severity=S0 error, unknown code information', () => {
      assert.deepEqual(
        diags.map((d) => [d.code, d.severity, d.range.start.line, rangeText(LOG, d)]),
        [
          ['ERR_SOLVE_001', 2, 1, 'ERR_SOLVE_001'],
          ['ERR_DB_001', 1, 2, 'ERR_DB_001'],
          ['ERR_AUTH_002', 3, 3, 'ERR_AUTH_002'],
          ['ERR_DB_002', 1, 4, 'ERR_DB_002'],
          ['ERR_WIDGET_009', 3, 5, 'ERR_WIDGET_009'],
          ['ERR_LOCK_002', 2, 6, 'ERR_LOCK_002'],
        ],
      );
      assert.equal(
        diags[1]!.message,
        'ERR_DB_001 Connection failed [S1]: Check DB status. Follow SP-001 (Health Check).',
      );
      assert.match(diags[4]!.message, /not in the runbook's error code reference/);
    });

    it('caps the diagnostics per file and says how many were left out (most severe kept)', async () => {
      const capped = await startTestServer({ maxLogDiagnostics: 2 });
      try {
        const diags = await capped.open(uri, LOG_LANGUAGE_ID, LOG);
        assert.deepEqual(
          diags.map((d) => [d.code, d.severity]),
          [
            ['ERR_DB_001', 1],
            ['ERR_DB_002', 1],
            ['DIAGNOSTICS_CAPPED', 3],
          ],
        );
        assert.equal(
          diags[2]!.message,
          '4 more error codes in this log not shown (2 S2, 1 S3, 1 unknown); the limit is 2 (setting solvereign.logs.maxDiagnostics).',
        );
        // The setting changes at run time: VS Code sends the nested `solvereign` section.
        const next = capped.nextDiagnostics(uri);
        await capped.configure({ solvereign: { logs: { maxDiagnostics: 5 } } });
        const after = (await next).diagnostics;
        assert.equal(after.length, 6);
        assert.match(
          after[5]!.message,
          /^1 more error code in this log not shown \(1 unknown\); the limit is 5/,
        );
      } finally {
        await capped.dispose();
      }
    });
  });

  describe('hover', () => {
    it('an ERR_ code: description, severity, action and procedure from the runbook', async () => {
      const line = LOG.split('\n')[2]!;
      const h = await client.hover(uri, 2, line.indexOf('ERR_DB_001') + 3);
      const text = hoverText(h);
      assert.match(text, /^\*\*ERR_DB_001\*\* — Connection failed/);
      assert.match(text, /\| Severity \| S1 — Critical feature broken; immediate l3 escalation \|/);
      assert.match(text, /\| Action \| Check DB status \|/);
      assert.match(text, /\| Procedure \| SP-001: Health Check \|/);
      assert.match(text, /\| HTTP status \| 503 \|/);
      assert.equal(h?.range?.start.character, line.indexOf('ERR_DB_001'));
    });

    it('an explicit severity on the line is shown beside the runbook one', async () => {
      const line = LOG.split('\n')[4]!;
      const h = await client.hover(uri, 4, line.indexOf('ERR_DB_002'));
      assert.match(hoverText(h), /\| Severity \| S0 \(runbook: S2\)/);
    });

    it('a run id links to the run; plain text has no hover', async () => {
      const line = LOG.split('\n')[0]!;
      const h = await client.hover(uri, 0, line.indexOf('RUN-') + 2);
      assert.match(hoverText(h), /command:solvereign\.revealRun\?/);
      assert.equal(await client.hover(uri, 0, 2), null);
    });
  });

  it('run ids are document links to solvereign.revealRun', async () => {
    const links = (await client.links(uri)) ?? [];
    assert.equal(links.length, 4);
    assert.equal(rangeText(LOG, links[0]!), 'RUN-20260113-001');
    assert.equal(
      links[0]!.target,
      `command:solvereign.revealRun?${encodeURIComponent('["RUN-20260113-001"]')}`,
    );
    assert.deepEqual(JSON.parse(decodeURIComponent(links[3]!.target!.split('?')[1]!)), ['RUN-20260113-002']);
  });

  it('outline: runs with their errors as children, other errors at the top level', async () => {
    const symbols = (await client.symbols(uri)) as DocumentSymbol[];
    assert.deepEqual(
      symbols.map((s) => [s.name, (s.children ?? []).map((c) => c.name)]),
      [
        ['RUN-20260113-001', ['ERR_SOLVE_001']],
        ['ERR_DB_001', []],
        ['ERR_AUTH_002', []],
        ['ERR_DB_002', []],
        ['ERR_WIDGET_009', []],
        ['RUN-20260113-002', ['ERR_LOCK_002']],
      ],
    );
    assert.equal(symbols[0]!.detail, '2 mentions, 1 error');
    assert.deepEqual([symbols[0]!.range.start.line, symbols[0]!.range.end.line], [0, 1]);
    assert.match(symbols[0]!.children![0]!.detail ?? '', /^S2 · Solver timeout after 40 s$/);
  });

  describe('logs VS Code does not sync (above 50 MB)', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'solvereign-log-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('the server reads a file: URI from disk and publishes its diagnostics', async () => {
      const file = path.join(dir, 'solver.log');
      writeFileSync(file, LOG.repeat(3));
      const fileUri = pathToFileURL(file).href;
      const diagnostics = client.nextDiagnostics(fileUri);
      const analyzed = client.nextLogAnalysis(fileUri);
      await client.connection.sendNotification(openLargeLogNotification, { uri: fileUri, source: 'file' });
      const stats = await analyzed;
      assert.equal((await diagnostics).diagnostics.length, 18);
      assert.equal(stats.lines, 21);
      assert.equal(stats.findings, 18);
      assert.equal(stats.runs, 2);
      assert.equal(stats.chars, LOG.length * 3);
      const cleared = client.nextDiagnostics(fileUri);
      await client.connection.sendNotification(closeLargeLogNotification, { uri: fileUri });
      assert.deepEqual((await cleared).diagnostics, []);
    });

    it('or takes the text in ordered chunks from the client (any URI scheme)', async () => {
      const remote = 'vscode-remote://host/var/log/big.solvereign.log';
      const text = LOG.repeat(2);
      const analyzed = client.nextLogAnalysis(remote);
      await client.connection.sendNotification(openLargeLogNotification, { uri: remote, source: 'chunks' });
      // Chunk borders fall inside lines and inside tokens on purpose.
      const cuts = [0, 37, 190, 191, 500, text.length];
      for (let i = 0; i + 1 < cuts.length; i++) {
        await client.connection.sendNotification(largeLogChunkNotification, {
          uri: remote,
          seq: i,
          text: text.slice(cuts[i], cuts[i + 1]),
          last: i + 2 === cuts.length,
        });
      }
      const stats = await analyzed;
      assert.equal(stats.findings, 12);
      assert.equal(client.diagnostics.get(remote)?.diagnostics.length, 12);
    });
  });
});

describe('log scanner', () => {
  it('gives the same findings for any chunking, including CRLF and no final newline', () => {
    const text = `${LOG.replace(/\n/g, '\r\n')}tail ERR_DB_001 RUN-1`;
    const whole = analyzeLog(text);
    for (const size of [1, 2, 7, 64, 1000]) {
      const s = new LogScanner();
      for (let i = 0; i < text.length; i += size) s.push(text.slice(i, i + size));
      const a = s.finish();
      assert.equal(a.lines, whole.lines);
      assert.deepEqual(
        a.errors.map((e) => [e.line, e.start, e.code, e.severity, e.runIds]),
        whole.errors.map((e) => [e.line, e.start, e.code, e.severity, e.runIds]),
      );
      assert.deepEqual([...a.runs.keys()], [...whole.runs.keys()]);
    }
    assert.equal(whole.lines, 8);
    assert.deepEqual(whole.errors.at(-1)?.runIds, ['RUN-1']);
  });

  it('does not take ERR_ inside a word or RUN- without a digit as tokens', () => {
    const a = analyzeLog('XERR_DB_001 RERUN-5 RUN-abc ERR_DB_001x\n');
    assert.equal(a.errors.length, 0);
    assert.equal(a.runs.size, 0);
  });
});
