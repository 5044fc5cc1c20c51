// Tolerant reading of what a server sends: an enum value this client does not know is kept (typed
// as `UnknownValue`, shown as "unknown: server sent 'X'"), never a parse failure; one record that
// does not fit its schema is dropped from its list with a note, never the whole list. Requests are
// not read through these helpers: what we send stays strictly validated.
import * as z from 'zod/mini';
import { formatIssuePath } from './errors';

declare const unknownValue: unique symbol;
/** A value outside the enum this client knows. At runtime a plain string. */
export type UnknownValue = string & { readonly [unknownValue]: 'unknown' };
/** What the server sends for an enum: one of the known values, or an unknown one kept as sent. */
export type Lenient<T extends string> = T | UnknownValue;

/**
 * An enum field read leniently: any string is kept, typed as the known values or `UnknownValue`.
 * (A plain string schema: zod's transforms would cost the activation bundle ~1.3 KB.)
 */
export function lenientEnum<const T extends readonly string[]>(
  _values: T,
): z.ZodMiniType<Lenient<T[number]>> {
  return z.string() as unknown as z.ZodMiniType<Lenient<T[number]>>;
}

/** What the client needs of a schema: zod's schemas are readers, and so are the list readers below. */
export interface Reader<T> {
  parse(data: unknown): T;
  safeParse(
    data: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

/**
 * A schema followed by a step that completes the value (e.g. records read one by one). The schema
 * is built on the first read (see `lazy` in schemas.ts).
 */
export function reader<S, T>(build: () => z.ZodMiniType<S>, finish: (value: S) => T): Reader<T> {
  let schema: z.ZodMiniType<S> | undefined;
  const built = () => {
    schema ??= build();
    return schema;
  };
  return {
    safeParse(data) {
      const r = built().safeParse(data);
      return r.success ? { success: true, data: finish(r.data) } : { success: false, error: r.error };
    },
    parse(data) {
      return finish(built().parse(data));
    },
  };
}

export { describeValue, isKnown, unknownLabel } from './values';

/** A record left out of a list (or a status) because it did not fit its schema. */
export interface DroppedRecord {
  /** Where it was: `runs[3]`, `latest_run`, … */
  at: string;
  /** Its id when it had one. */
  id?: string;
  problem: string;
}

/** Parses each item on its own: the ones that fit are kept, the others reported. */
export function keepValid<T>(
  schema: z.ZodMiniType<T>,
  items: readonly unknown[],
  where: string,
  idKey?: string,
): { kept: T[]; dropped: DroppedRecord[] } {
  const kept: T[] = [];
  const dropped: DroppedRecord[] = [];
  items.forEach((item, i) => {
    const d = parseOne(schema, item, `${where}[${i}]`, idKey);
    if ('value' in d) kept.push(d.value);
    else dropped.push(d.dropped);
  });
  return { kept, dropped };
}

/** One record: its parsed value, or why it was dropped. */
export function parseOne<T>(
  schema: z.ZodMiniType<T>,
  item: unknown,
  at: string,
  idKey?: string,
): { value: T } | { dropped: DroppedRecord } {
  const r = schema.safeParse(item);
  if (r.success) return { value: r.data };
  const id = idKey && item && typeof item === 'object' ? (item as Record<string, unknown>)[idKey] : undefined;
  const problem = r.error.issues
    .slice(0, 3)
    .map((i) => `${formatIssuePath(i.path)}: ${i.message}`)
    .join('; ');
  return {
    dropped: { at, ...(typeof id === 'string' || typeof id === 'number' ? { id: String(id) } : {}), problem },
  };
}

/** A note for people: "1 record left out (runs[3] RUN-…: status: …)". */
export function droppedNote(dropped: readonly DroppedRecord[] | undefined): string | undefined {
  if (!dropped?.length) return undefined;
  const list = dropped
    .slice(0, 3)
    .map((d) => `${d.at}${d.id ? ` ${d.id}` : ''}: ${d.problem}`)
    .join('; ');
  return `${dropped.length} record${dropped.length === 1 ? '' : 's'} the server sent could not be read and ${dropped.length === 1 ? 'is' : 'are'} left out (${list}${dropped.length > 3 ? '; …' : ''})`;
}

/** A readiness check's value as flat lines: nested objects become `packs.roster: available`. */
export function flattenChecks(
  checks: Record<string, unknown> | undefined,
  prefix = '',
): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const [k, v] of Object.entries(checks ?? {})) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v))
      out.push(...flattenChecks(v as Record<string, unknown>, name));
    else out.push({ name, value: typeof v === 'string' ? v : JSON.stringify(v) });
  }
  return out;
}
