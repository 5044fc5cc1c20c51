// The extension loads procedures and reports as separately built bundles, each with its own copy of
// the modules they share with the activation bundle. What must stay one thing across the copies:
// API and evidence errors (`instanceof`) and the redactor's known secrets.
import assert from 'node:assert/strict';
import path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.resolve(__dirname, '../..');

/** Bundles `entry` and loads it as a fresh module (what a second dist/*.js bundle would hold). */
async function loadCopy<T>(entry: string): Promise<T> {
  const r = await esbuild.build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
  });
  const module = { exports: {} as T };
  new Function('module', 'exports', 'require', r.outputFiles[0]!.text)(module, module.exports, require);
  return module.exports;
}

type ErrorsModule = typeof import('../../src/api/errors');
type RedactModule = typeof import('../../src/shared/redact');
type EvidenceModule = typeof import('../../src/evidence/runEvidence');

describe('bundles: what separately built copies share', () => {
  it("an API error made by one copy is an instance of the other copy's class", async function () {
    this.timeout(30_000);
    const [a, b] = await Promise.all([
      loadCopy<ErrorsModule>('src/api/errors.ts'),
      loadCopy<ErrorsModule>('src/api/errors.ts'),
    ]);
    assert.notEqual(a.SolvereignApiError, b.SolvereignApiError, 'two copies of the class');
    const e = new a.SolvereignApiError({ kind: 'http', endpoint: 'GET /x', status: 409 });
    assert.ok(e instanceof b.SolvereignApiError);
    assert.ok(!(new Error('plain') instanceof b.SolvereignApiError));
    assert.equal(b.SolvereignApiError[Symbol.hasInstance](null), false);
  });

  it('a secret registered in one copy is redacted by the other', async function () {
    this.timeout(30_000);
    const [a, b] = await Promise.all([
      loadCopy<RedactModule>('src/shared/redact.ts'),
      loadCopy<RedactModule>('src/shared/redact.ts'),
    ]);
    a.globalRedactor.add('copy-shared-secret-123');
    assert.equal(b.redact('key copy-shared-secret-123 here'), `key ${b.REDACTION_MASK} here`);
    a.globalRedactor.remove('copy-shared-secret-123');
  });

  it("an evidence mismatch thrown by the cache's copy is an instance of the L3 workspace's class", async function () {
    this.timeout(30_000);
    const [a, b] = await Promise.all([
      loadCopy<EvidenceModule>('src/evidence/runEvidence.ts'),
      loadCopy<EvidenceModule>('src/evidence/runEvidence.ts'),
    ]);
    assert.notEqual(a.EvidenceMismatchError, b.EvidenceMismatchError, 'two copies of the class');
    const e = new a.EvidenceMismatchError('RUN-1', ['plan.json: sha256 differs']);
    assert.ok(e instanceof b.EvidenceMismatchError);
    assert.ok(!(new Error('plain') instanceof b.EvidenceMismatchError));
  });
});
