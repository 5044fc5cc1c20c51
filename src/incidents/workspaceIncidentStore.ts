// The workspace incident file `.claude/state/active-incidents.json` (CONTRACT.md "Incidents"):
// `{"incidents": Incident[]}`, each valid against incident.schema.json. vscode-free; takes a path.
// Writes are atomic (temp file + rename), keep every other incident and unknown top-level keys, and
// refuse to touch a file that cannot be parsed (nothing is ever lost to a write).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Incident } from '../api/schemas';
import { writeFileSafe } from '../shared/safeWrite';
import { applyIncidentPatch, type IncidentFilePatch } from './incidentPatch';

export { applyIncidentPatch, draftIncident, type IncidentFilePatch, newIncidentId } from './incidentPatch';

/** Where the file lives inside a workspace folder. */
import { INCIDENT_FILE } from './incidentFilePath';

export { INCIDENT_FILE, incidentFilePath } from './incidentFilePath';

export interface IncidentFileContents {
  path: string;
  /** False when the file does not exist yet (an empty list; the first write creates it). */
  exists: boolean;
  incidents: Incident[];
  /** Top-level keys besides `incidents`, kept as they are on every write. */
  other: Record<string, unknown>;
  /** The file's top-level keys in their order (writes keep it). */
  keyOrder?: string[];
}

/** The file exists but cannot be read as an incident file; writes refuse to touch it. */
export class IncidentFileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: 'json' | 'schema' | 'io',
    detail: string,
  ) {
    super(
      `${path} ${reason === 'json' ? 'is not valid JSON' : reason === 'schema' ? 'is not a valid incident file' : 'cannot be read'}: ${detail}. Nothing was written; fix or move the file, then retry.`,
    );
    this.name = 'IncidentFileError';
  }
}

const zodIssues = (issues: readonly { path: PropertyKey[]; message: string }[]) =>
  issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');

/** Parses the text of an incident file (exported for tests and for documents not yet saved). */
export function parseIncidentFile(
  text: string,
  file = INCIDENT_FILE,
): Omit<IncidentFileContents, 'path' | 'exists'> {
  if (text.trim() === '') return { incidents: [], other: {}, keyOrder: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new IncidentFileError(file, 'json', (e as Error).message);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new IncidentFileError(file, 'schema', 'the top level must be an object {"incidents": [...]}');
  const { incidents, ...other } = raw as Record<string, unknown>;
  const keyOrder = Object.keys(raw);
  if (incidents === undefined) return { incidents: [], other, keyOrder };
  if (!Array.isArray(incidents)) throw new IncidentFileError(file, 'schema', '"incidents" must be a list');
  const { valid, invalid } = validateIncidentEntries(incidents);
  const first = invalid[0];
  if (first) {
    throw new IncidentFileError(
      file,
      'schema',
      `incident ${first.index + 1}${first.id !== undefined ? ` (${first.id})` : ''}: ${first.issues}`,
    );
  }
  return { incidents: valid, other, keyOrder };
}

/** Checks each entry of an `incidents` list against the schema: the valid ones, and what is wrong with the rest. */
export function validateIncidentEntries(list: readonly unknown[]): {
  valid: Incident[];
  invalid: { index: number; id?: string; issues: string }[];
} {
  const valid: Incident[] = [];
  const invalid: { index: number; id?: string; issues: string }[] = [];
  list.forEach((entry, index) => {
    const r = Incident.safeParse(entry);
    if (r.success) valid.push(r.data);
    else {
      const id = (entry as { id?: unknown })?.id;
      invalid.push({ index, id: typeof id === 'string' ? id : undefined, issues: zodIssues(r.error.issues) });
    }
  });
  return { valid, invalid };
}

/** Reads the file; a missing file is an empty list. Throws IncidentFileError when it is unusable. */
export async function readIncidentFile(file: string): Promise<IncidentFileContents> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      return { path: file, exists: false, incidents: [], other: {} };
    throw new IncidentFileError(file, 'io', (e as Error).message);
  }
  return { path: file, exists: true, ...parseIncidentFile(text, file) };
}

// One write at a time per file inside this process (read-modify-write must not interleave).
const queues = new Map<string, Promise<unknown>>();
function serialized<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const key = path.resolve(file);
  const run = (queues.get(key) ?? Promise.resolve()).then(fn, fn);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

/**
 * Writes `text` to `file` atomically (unpredictable temp file, fsync, rename), keeping the
 * workspace's file mode. Inside a workspace (`…/.claude/state/active-incidents.json`) a linked
 * `.claude` or `.claude/state` folder is refused: a planted link must not redirect the write.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const resolved = path.resolve(file);
  const root = resolved.endsWith(path.sep + INCIDENT_FILE)
    ? resolved.slice(0, -(INCIDENT_FILE.length + 1))
    : undefined;
  await writeFileSafe(resolved, text, { root });
}

async function modify<T>(
  file: string,
  change: (incidents: Incident[]) => { incidents: Incident[]; result: T },
): Promise<T> {
  return serialized(file, async () => {
    const current = await readIncidentFile(file); // throws on an unusable file: nothing is written
    const { incidents, result } = change([...current.incidents]);
    for (const i of incidents) Incident.parse(i);
    // `incidents` keeps its place among the other top-level keys (first when it was missing).
    const body: Record<string, unknown> = {};
    if (!current.keyOrder?.includes('incidents')) body.incidents = incidents;
    for (const k of current.keyOrder ?? []) body[k] = k === 'incidents' ? incidents : current.other[k];
    await writeFileAtomic(file, `${JSON.stringify(body, null, 2)}\n`);
    return result;
  });
}

/** Appends an incident (a duplicate id is refused). Returns it as written. */
export async function addIncident(file: string, incident: Incident): Promise<Incident> {
  const valid = Incident.parse(incident);
  return modify(file, (incidents) => {
    if (incidents.some((i) => i.id === valid.id))
      throw new Error(`${file} already holds an incident ${valid.id}`);
    return { incidents: [...incidents, valid], result: valid };
  });
}

/** Updates one incident in place, keeping all others. Returns the updated incident. */
export async function updateIncident(file: string, id: string, patch: IncidentFilePatch): Promise<Incident> {
  return modify(file, (incidents) => {
    const index = incidents.findIndex((i) => i.id === id);
    if (index < 0) throw new Error(`${file} holds no incident ${id}`);
    const updated = applyIncidentPatch(incidents[index], patch);
    incidents[index] = updated;
    return { incidents, result: updated };
  });
}
