// Where procedure records are written (`solvereign.records.folder`). A folder outside the workspace
// is honoured only from the user's own settings: a cloned repository's `.vscode/settings.json` must
// not make the extension write files elsewhere on the machine. No `vscode` here (pure paths).
import path from 'node:path';

export interface RecordsFolderSetting {
  /** From the user's settings (trusted anywhere). */
  user?: string;
  /** From the workspace or folder settings (kept inside the workspace). */
  workspace?: string;
}

export interface RecordsFolder {
  folder: string;
  /** The folder links are refused below (the workspace root, or the folder itself when outside). */
  root: string;
  /** Why the configured value was not used, when it was not. */
  ignored?: string;
}

function resolveSetting(workspaceRoot: string, value: string): string {
  if (path.isAbsolute(value)) return path.resolve(value);
  return path.join(workspaceRoot, ...value.split(/[\\/]+/).filter((p) => p && p !== '..' && p !== '.'));
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}

export function resolveRecordsFolder(
  workspaceRoot: string,
  setting: RecordsFolderSetting,
  defaultFolder: string,
): RecordsFolder {
  const root = path.resolve(workspaceRoot);
  const fallback = { folder: resolveSetting(root, defaultFolder), root };
  if (setting.workspace) {
    const folder = resolveSetting(root, setting.workspace);
    if (inside(root, folder)) return { folder, root };
    return {
      ...fallback,
      ignored: `solvereign.records.folder "${setting.workspace}" from the workspace settings is outside the workspace; a folder outside it is only taken from your user settings`,
    };
  }
  if (setting.user) {
    const folder = resolveSetting(root, setting.user);
    return { folder, root: inside(root, folder) ? root : folder };
  }
  return fallback;
}
