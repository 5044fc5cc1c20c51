// What dist/reports.js exports: the report panels' host and the panel-state check a restored panel
// needs. The activation side (index.ts) requires it when a report first opens or is restored.
export { parsePanelState } from './protocol';
export { ReportsHost } from './reportsHost';
