// The extension-host suites (test/extension/index.ts loads this file inside mocha).
// Add one line per suite file; keep them static imports so esbuild bundles them.
import './smoke.test';
import './connection.test';
import './language.test';
import './reports.test';
import './sidebar.test';
import './procedures.test';
import './liveProfile.test';
import './liveProcedures.test';
import './evidence.test';
import './l3.test';
import './compare.test';
import './timeline.test';
