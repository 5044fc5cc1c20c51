// Entry of dist/language-server.js: the transport (IPC, stdio or socket) comes from the command line
// vscode-languageclient passes; everything else lives in session.ts so tests can run it in-process.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './session';

startServer(createConnection(ProposedFeatures.all));
