// Reading evidence packs for the reports: which file is the input forecast, where a violation's
// text sits in an evidence file. No `vscode`.
import { extractZipFile } from '../shared/zip';

/** The forecast file of an evidence pack (`input/forecast.txt` in the sandbox's packs). */
export function forecastEntryName(names: readonly string[]): string | undefined {
  return (
    names.find((n) => /^input\/[^/]+$/.test(n) && !n.endsWith('/')) ??
    names.find((n) => /forecast/i.test(n) && !n.endsWith('/'))
  );
}

/** 0-based index of the first line containing `search` (also in its JSON-escaped form), or -1. */
export function findLine(text: string, search: string | undefined): number {
  if (!search) return -1;
  const lines = text.split(/\r?\n/);
  const forms = [search, JSON.stringify(search).slice(1, -1)];
  for (const f of forms) {
    const i = lines.findIndex((l) => l.includes(f));
    if (i >= 0) return i;
  }
  // A long message may be cut in the file: try its start, then its first id-looking token.
  const head = search.slice(0, 40);
  let i = lines.findIndex((l) => l.includes(head));
  if (i >= 0) return i;
  const id = /\b[A-Z]-\d{2,}\b|\bT-[\w-]+\b/.exec(search)?.[0];
  if (id) i = lines.findIndex((l) => l.includes(id));
  return i;
}

/** For tests and the procedures: the forecast of an evidence pack without any UI. */
export function forecastFromZip(zip: Buffer): { name: string; text: string } | undefined {
  const e = extractZipFile(zip, /^input\/[^/]+$/) ?? extractZipFile(zip, /forecast/i);
  return e ? { name: e.name, text: e.data.toString('utf8') } : undefined;
}
