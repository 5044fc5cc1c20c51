// The roster's day abbreviations (the forecast language is German), Monday first: index + 1 = day
// number. Pure and browser-safe: the forecast parser and the webview's timeline both use them.
export const DAY_ABBREVIATIONS = ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'] as const;
