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

/**
 * The canonical JSON behind output_hash, without canonicalJson's work per assignment (building
 * and sorting its keys, one string per member): JSON.stringify keeps the order keys were added in,
 * so objects built with their keys in sorted order give the same text (it drops undefined members
 * and writes non-finite numbers as null, as canonicalJson does).
 */
export function outputHashText(config_hash: string, assignments: readonly HashedAssignment[]): string {
  return JSON.stringify({
    assignments: sortAssignments(assignments).map(({ day, driver_id, tour_id }) => ({
      day,
      driver_id,
      tour_id,
    })),
    config_hash,
  });
}
