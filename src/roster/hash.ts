// Hashes that make runs comparable: canonical JSON (sorted keys, no whitespace) -> sha256 hex.
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level and no whitespace; `undefined` members are dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The solver config's hash (sha256 of its canonical JSON). */
export function configHash(config: object): string {
  return sha256Hex(canonicalJson(config));
}

export interface HashedAssignment {
  driver_id: string;
  day: number;
  tour_id: string;
}

/** Assignments sorted by (driver_id, day, tour id); a new array. */
export function sortAssignments<T extends HashedAssignment>(assignments: readonly T[]): T[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...assignments].sort(
    (a, b) => cmp(a.driver_id, b.driver_id) || a.day - b.day || cmp(a.tour_id, b.tour_id),
  );
}

/**
 * CONTRACT.md's output_hash: sha256 of the canonical JSON of {config_hash, assignments sorted by
 * (driver_id, day, tour id)}; each assignment contributes exactly {driver_id, day, tour_id}.
 */
export function outputHash(config_hash: string, assignments: readonly HashedAssignment[]): string {
  return sha256Hex(outputHashText(config_hash, assignments));
}

/** A member of a canonical JSON object, or '' for an undefined value (which canonicalJson drops). */
const member = (key: string, value: unknown, first: boolean) =>
  value === undefined ? '' : `${first ? '' : ','}"${key}":${canonicalJson(value)}`;

/**
 * The canonical JSON behind output_hash, written directly: canonicalJson would build and sort the
 * keys of one object per assignment, which a large plan pays for in garbage collection.
 */
export function outputHashText(config_hash: string, assignments: readonly HashedAssignment[]): string {
  const sorted = sortAssignments(assignments);
  const items: string[] = new Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) {
    const { day, driver_id, tour_id } = sorted[i]!;
    const head = member('day', day, true);
    const mid = member('driver_id', driver_id, !head);
    items[i] = `{${head}${mid}${member('tour_id', tour_id, !head && !mid)}}`;
  }
  return `{"assignments":[${items.join(',')}]${member('config_hash', config_hash, false)}}`;
}
