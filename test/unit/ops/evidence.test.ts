// CONTRACT.md's evidence rules on live's layout (checksums cover the whole run folder, the archive
// itself included) and on the sandbox's (checksums of the files inside the archive).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { verifyEvidence } from '../../../src/ops/evidence';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const zip = Buffer.from('PK…pretend archive bytes');
const plan = Buffer.from('{"assignments":[]}');
const meta = Buffer.from('{"run_id":"RUN-1"}');
const entries = new Map([
  ['plan.json', plan],
  ['metadata.json', meta],
]);

describe('evidence verification', () => {
  it("live's layout: header == sha256(zip) == checksums['evidence.zip']; a file outside the archive is not a mismatch", () => {
    const v = verifyEvidence(
      'RUN-1',
      zip,
      sha(zip),
      {
        'evidence.zip': sha(zip),
        'plan.json': sha(plan),
        'metadata.json': sha(meta),
        'input_summary.json': 'e'.repeat(64),
      },
      entries,
    );
    assert.equal(v.verified, true, v.problems.join('; '));
    assert.equal(v.archive.listed_matches, true);
    assert.deepEqual(
      v.files.map((f) => [f.name, f.verdict]),
      [
        ['input_summary.json', 'outside the archive'],
        ['metadata.json', 'match'],
        ['plan.json', 'match'],
      ],
    );
  });
  it('a file whose bytes differ from its checksum is a mismatch (not verified)', () => {
    const v = verifyEvidence(
      'RUN-1',
      zip,
      sha(zip),
      { 'plan.json': sha('other'), 'metadata.json': `sha256:${sha(meta)}` },
      entries,
    );
    assert.equal(v.verified, false);
    assert.match(v.problems.join(), /plan\.json: sha256 /);
    assert.equal(
      v.files.find((f) => f.name === 'metadata.json')?.verdict,
      'match',
      'sha256: prefix accepted',
    );
  });
  it('a header that does not match the archive, or no header, is not verified', () => {
    assert.equal(verifyEvidence('RUN-1', zip, sha('x'), {}, entries).verified, false);
    const none = verifyEvidence('RUN-1', zip, undefined, {}, entries);
    assert.equal(none.verified, false);
    assert.match(none.problems[0] ?? '', /no X-Evidence-SHA256 header/);
  });
  it('checksums listing a different evidence.zip are a mismatch even when the header agrees', () => {
    const v = verifyEvidence('RUN-1', zip, sha(zip), { 'evidence.zip': sha('older archive') }, entries);
    assert.equal(v.verified, false);
    assert.equal(v.archive.listed_matches, false);
  });
  it('files inside the archive but not listed are reported as such, not as mismatches', () => {
    const v = verifyEvidence('RUN-1', zip, sha(zip), { 'plan.json': sha(plan) }, entries);
    assert.equal(v.verified, true);
    assert.equal(v.files.find((f) => f.name === 'metadata.json')?.verdict, 'not listed');
  });
});
