import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { Incident } from '../../../src/api/schemas';
import {
  addIncident,
  applyIncidentPatch,
  draftIncident,
  IncidentFileError,
  incidentFilePath,
  newIncidentId,
  readIncidentFile,
  updateIncident,
} from '../../../src/incidents/workspaceIncidentStore';
import schema from './fixtures/incident.schema.json';

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateIncident = ajv.compile(schema);

function assertFileValid(file: string): { incidents: Incident[] } & Record<string, unknown> {
  const data = JSON.parse(readFileSync(file, 'utf8'));
  assert.ok(Array.isArray(data.incidents), 'incidents is a list');
  for (const i of data.incidents) {
    assert.ok(validateIncident(i), `${i.id}: ${ajv.errorsText(validateIncident.errors)}`);
  }
  return data;
}

const NOW = new Date('2026-01-14T10:00:00.000Z');
const FIXTURE = path.resolve(__dirname, '../../fixtures/workspace/.claude/state/active-incidents.json');

describe('workspace incident store (the strict reader and atomic writer)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sv-incidents-'));
    file = incidentFilePath(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const seed = (text: string) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  };

  it('ids look like INC-YYYYMMDD-XXXXXX and differ', () => {
    const a = newIncidentId(NOW);
    assert.match(a, /^INC-20260114-[A-Z0-9]{6}$/);
    const ids = new Set(Array.from({ length: 200 }, () => newIncidentId(NOW)));
    assert.ok(ids.size > 195);
    assert.equal(
      newIncidentId(NOW, () => Buffer.from([0, 1, 25, 26, 35, 36])),
      'INC-20260114-ABZ09A',
    );
  });

  it('reads a missing file as an empty list', async () => {
    const c = await readIncidentFile(file);
    assert.equal(c.exists, false);
    assert.deepEqual(c.incidents, []);
  });

  it('reads the fixture workspace file and every incident is schema-valid', async () => {
    const c = await readIncidentFile(FIXTURE);
    assert.equal(c.incidents.length, 2);
    for (const i of c.incidents) assert.ok(validateIncident(i), ajv.errorsText(validateIncident.errors));
  });

  it('creates the file (and its folders) with a schema-valid incident', async () => {
    const draft = draftIncident(
      { type: 'stability', severity: 'S1', summary: 'Solver fails for wien', tenant_id: 'lts' },
      { now: NOW, actor: 'ops@lts-transport.at' },
    );
    await addIncident(file, draft);
    const data = assertFileValid(file);
    assert.equal(data.incidents.length, 1);
    assert.equal(data.incidents[0].status, 'new');
    assert.equal(data.incidents[0].created_at, NOW.toISOString());
    assert.equal(data.incidents[0].timeline?.[0].actor, 'ops@lts-transport.at');
    assert.ok(readFileSync(file, 'utf8').endsWith('}\n'));
  });

  it('refuses a symlinked .claude/state folder instead of writing through it', async () => {
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'sv-incidents-target-'));
    try {
      mkdirSync(path.join(dir, '.claude'));
      symlinkSync(elsewhere, path.join(dir, '.claude', 'state'));
      const draft = draftIncident({ type: 'perf', severity: 'S2', summary: 'Slow' }, { now: NOW });
      await assert.rejects(addIncident(file, draft), /\.claude[\\/]state is a symbolic link/);
      assert.deepEqual(readdirSync(elsewhere), []);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('keeps every other incident and unknown top-level keys, in their order', async () => {
    const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    seed(JSON.stringify({ version: 2, incidents: fixture.incidents, notes: { owner: 'ops' } }));
    const draft = draftIncident({ type: 'perf', severity: 'S2', summary: 'Slow' }, { now: NOW });
    await addIncident(file, draft);
    const data = assertFileValid(file);
    assert.deepEqual(Object.keys(data), ['version', 'incidents', 'notes']);
    assert.deepEqual(data.notes, { owner: 'ops' });
    assert.deepEqual(
      data.incidents.map((i) => i.id),
      ['INC-20260112-A1B2C3', 'INC-20260105-Z9Y8X7', draft.id],
    );
    assert.deepEqual(data.incidents[0], fixture.incidents[0]);
  });

  it('updates one incident: status to the timeline, resolved_at, and leaves the others alone', async () => {
    seed(readFileSync(FIXTURE, 'utf8'));
    const before = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    const later = new Date('2026-01-12T09:00:00.000Z');
    const u = await updateIncident(file, 'INC-20260112-A1B2C3', {
      status: 'resolved',
      root_cause: 'Deploy doubled the solver time limit',
      now: later,
      actor: 'me@x',
    });
    assert.equal(u.status, 'resolved');
    assert.equal(u.resolved_at, later.toISOString());
    assert.deepEqual(u.timeline?.at(-1), {
      timestamp: later.toISOString(),
      action: 'Status investigating -> resolved',
      actor: 'me@x',
    });
    const data = assertFileValid(file);
    assert.deepEqual(data.incidents[1], before.incidents[1]);
    const note = await updateIncident(file, 'INC-20260105-Z9Y8X7', {
      timeline_entry: { action: 'Checked again' },
    });
    assert.equal(note.timeline?.at(-1)?.action, 'Checked again');
    assert.equal(assertFileValid(file).incidents.length, 2);
  });

  it('reopening clears resolved_at', () => {
    const i = draftIncident({ type: 'perf', severity: 'S2', summary: 'x', status: 'resolved' }, { now: NOW });
    assert.equal(i.resolved_at, NOW.toISOString());
    assert.equal(applyIncidentPatch(i, { status: 'active', now: NOW }).resolved_at, null);
  });

  it('refuses to overwrite a file that is not JSON, and leaves it byte for byte', async () => {
    seed('{"incidents": [ {"id": "INC-2026');
    const draft = draftIncident({ type: 'perf', severity: 'S2', summary: 'Slow' }, { now: NOW });
    await assert.rejects(addIncident(file, draft), (e: unknown) => {
      assert.ok(e instanceof IncidentFileError);
      assert.equal(e.reason, 'json');
      assert.match(e.message, /is not valid JSON.*Nothing was written/);
      return true;
    });
    assert.equal(readFileSync(file, 'utf8'), '{"incidents": [ {"id": "INC-2026');
  });

  it('refuses a file whose incidents break the schema', async () => {
    const bad = {
      incidents: [
        { id: 'INC-1', severity: 'S9', status: 'new', type: 'perf', summary: 'x', created_at: 'x' },
      ],
    };
    seed(JSON.stringify(bad));
    await assert.rejects(updateIncident(file, 'INC-1', { status: 'active' }), (e: unknown) => {
      assert.ok(e instanceof IncidentFileError);
      assert.equal(e.reason, 'schema');
      assert.match(e.message, /incident 1 \(INC-1\)/);
      return true;
    });
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), bad);
    seed('[1,2]');
    await assert.rejects(readIncidentFile(file), /top level must be an object/);
  });

  it('refuses an invalid incident and a duplicate id', async () => {
    await assert.rejects(
      addIncident(file, {
        ...draftIncident({ type: 'perf', severity: 'S2', summary: 'x' }, { now: NOW }),
        id: 'bad',
      }),
    );
    const draft = draftIncident({ type: 'perf', severity: 'S2', summary: 'x' }, { now: NOW });
    await addIncident(file, draft);
    await assert.rejects(addIncident(file, draft), /already holds/);
    await assert.rejects(
      updateIncident(file, 'INC-20990101-NOPE00', { status: 'active' }),
      /holds no incident/,
    );
  });

  it('serializes concurrent writes (none is lost) and leaves no temp files', async () => {
    const drafts = Array.from({ length: 12 }, (_, n) =>
      draftIncident({ type: 'quality', severity: 'S3', summary: `n${n}` }, { now: NOW }),
    );
    await Promise.all(drafts.map((d) => addIncident(file, d)));
    const data = assertFileValid(file);
    assert.equal(data.incidents.length, 12);
    assert.deepEqual(readdirSync(path.dirname(file)), ['active-incidents.json']);
  });
});
