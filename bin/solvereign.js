#!/usr/bin/env node
// `solvereign`: runs dist/cli.js with a V8 code cache, so a command does not compile the bundle
// again at every start (Node 20 has no module.enableCompileCache; this is the vm.Script
// `cachedData` way). One cache file per command in the user's own cache folder
// ($XDG_CACHE_HOME/solvereign or ~/.cache/solvereign, mode 700), written once after a run that had
// none (or whose cache V8 rejected: another Node or another bundle). SOLVEREIGN_NO_COMPILE_CACHE=1
// turns it off. Any problem with the cache only means running without it.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');

const bundle = path.join(__dirname, '..', 'dist', 'cli.js');

function cacheFile(stat) {
  if (process.env.SOLVEREIGN_NO_COMPILE_CACHE === '1') return undefined;
  const home = process.env.HOME || process.env.USERPROFILE;
  const base = process.env.XDG_CACHE_HOME || (home && path.join(home, '.cache'));
  if (!base) return undefined;
  const dir = path.join(base, 'solvereign');
  // The command word names the cache (each holds the functions its command compiled): the first
  // argument that is neither an option nor the value of a global option (src/cli/options.ts).
  const args = process.argv.slice(2);
  let word = 'none';
  for (let i = 0; i < args.length; i++) {
    if (/^--(server|tenant|site|credentials|timeout)$/.test(args[i])) i++;
    else if (!args[i].startsWith('-')) {
      if (/^[a-z][a-z-]{0,30}$/.test(args[i])) word = args[i];
      break;
    }
  }
  // Which bundle: its path, size and time (FNV-1a, no crypto needed for a file name).
  let h = 0x811c9dc5;
  for (const c of `${bundle}|${stat.size}|${stat.mtimeMs}|${process.version}`) {
    h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  }
  const prefix = `cli-${h.toString(16)}-`;
  return { dir, prefix, file: path.join(dir, `${prefix}${word}.bin`) };
}

/** Our own folder only: a directory (not a link) owned by us and closed to others. */
function ownDir(dir) {
  try {
    const st = fs.lstatSync(dir);
    const uid = process.getuid?.();
    return st.isDirectory() && (uid === undefined || (st.uid === uid && (st.mode & 0o077) === 0));
  } catch {
    return false;
  }
}

function writeCache(cache, data) {
  try {
    fs.mkdirSync(cache.dir, { recursive: true, mode: 0o700 });
  } catch {}
  if (!ownDir(cache.dir)) return;
  const tmp = `${cache.file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, cache.file);
    // Caches of older bundles are of no use any more.
    for (const f of fs.readdirSync(cache.dir)) {
      if (f.startsWith('cli-') && !f.startsWith(cache.prefix))
        fs.rmSync(path.join(cache.dir, f), { force: true });
    }
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

function load() {
  const source = fs.readFileSync(bundle, 'utf8');
  const cache = cacheFile(fs.statSync(bundle));
  let cachedData;
  if (cache && ownDir(cache.dir)) {
    try {
      cachedData = fs.readFileSync(cache.file);
    } catch {}
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(path.dirname(bundle));
  const run = script.runInThisContext();
  run.call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle));
  if (cache && (!cachedData || script.cachedDataRejected)) {
    // Only after a run that worked: a mistyped command word must not leave a cache behind.
    process.once('exit', (code) => code === 0 && writeCache(cache, script.createCachedData()));
  }
  return mod.exports;
}

load().cli();
