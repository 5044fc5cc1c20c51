// The roster's day abbreviations (the forecast language is German) and English day names, Monday
// first: index + 1 = day number, and clock times of minutes. Pure and browser-safe: the forecast parser, the audits, the
// evidence findings and the webview's timeline all use them.
export const DAY_ABBREVIATIONS = ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'] as const;
/** English day names, Monday first: what the UI says, and what a CSV forecast's day column may say. */
export const DAY_NAMES_ENGLISH = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;

/** `HH:MM` of minutes (taken modulo one day). */
export function formatMinutes(minutes: number): string {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
