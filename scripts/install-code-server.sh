#!/usr/bin/env bash
# Installs code-server 4.99.4 (= VS Code 1.99.3) into .vscode-test/code-server-4.99.4/ for the
# extension-host and UI tests and for `npm run demo` (see docs in shared E2E.md). Works without
# internet beyond the npm registry and Debian's packages: every step that would download a binary
# is skipped (--ignore-scripts) and replaced by a local one (Debian's ripgrep) or a source build.
# Idempotent: a marker file written at the very end says the install is complete; a half-done
# install (no marker) is removed and redone. About 3 minutes on 2 cores.
set -euo pipefail

VERSION=4.99.4
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${SOLVEREIGN_CODE_SERVER_DIR:-$ROOT/.vscode-test/code-server-$VERSION}"
MARKER="$DIR/.install-complete"
CS="$DIR/node_modules/code-server"

complete() { [ -f "$MARKER" ] && [ -f "$CS/out/node/entry.js" ]; }
complete && exit 0

# One installer at a time (the demo and a test run may both ask); the second one finds it done.
mkdir -p "$(dirname "$DIR")"
exec 9>"$DIR.lock"
flock 9
complete && exit 0

started=$(date +%s)
bash "$ROOT/scripts/install-system-deps.sh"

echo "installing code-server@$VERSION into $DIR (one time, about 3 minutes)"
rm -rf "$DIR"
mkdir -p "$DIR"
cd "$DIR"
echo '{"name":"solvereign-code-server-cache","private":true}' >package.json

export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
# Its own postinstall downloads ripgrep from the internet and fails: done by hand below.
npm install --ignore-scripts --loglevel=error "code-server@$VERSION" >/dev/null

cd "$CS/lib/vscode"
npm install --omit=dev --ignore-scripts --loglevel=error >/dev/null
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
# Native modules (node-pty, spdlog, kerberos, watcher, ...) from source.
npm rebuild --loglevel=error >/dev/null
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev --loglevel=error >/dev/null)

cd "$DIR"
npm rebuild argon2 --loglevel=error >/dev/null

echo "code-server@$VERSION ($(date -u +%FT%TZ))" >"$MARKER"
echo "code-server@$VERSION installed in $(($(date +%s) - started)) s"
