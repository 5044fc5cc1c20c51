import assert from 'node:assert/strict';
import path from 'node:path';
import { resolveRecordsFolder } from '../../../src/procedures/recordsFolder';

const DEFAULT = '.solvereign/records';

describe('records folder setting', () => {
  const root = path.resolve('/ws/project');
  it('keeps workspace settings inside the workspace', () => {
    assert.deepEqual(resolveRecordsFolder(root, { workspace: 'notes/records' }, DEFAULT), {
      folder: path.join(root, 'notes', 'records'),
      root,
    });
    const abs = resolveRecordsFolder(root, { workspace: path.resolve('/home/victim/.ssh') }, DEFAULT);
    assert.equal(abs.folder, path.join(root, '.solvereign', 'records'));
    assert.match(
      abs.ignored ?? '',
      /outside the workspace; a folder outside it is only taken from your user settings/,
    );
    // `..` cannot climb out either.
    assert.equal(
      resolveRecordsFolder(root, { workspace: '../../etc' }, DEFAULT).folder,
      path.join(root, 'etc'),
    );
  });
  it('takes a folder outside the workspace from the user settings', () => {
    const outside = path.resolve('/home/me/records');
    assert.deepEqual(resolveRecordsFolder(root, { user: outside }, DEFAULT), {
      folder: outside,
      root: outside,
    });
    assert.equal(resolveRecordsFolder(root, {}, DEFAULT).folder, path.join(root, '.solvereign', 'records'));
  });
});
