'use strict';
// Run at image build time (RUN in the function's Dockerfile, as the function's user): loads the function exactly
// as the server will (require() or import(), the same style rules) and fails the build with one line naming the
// function, file (with line) and export when it cannot be served: a syntax error, a missing export, an export of
// the wrong shape for its style, an unknown style. When it passes, it writes the module cache (modcache.js) the server starts faster with.

const fs = require('node:fs');
const path = require('node:path');
const modcache = require('./modcache');

const cacheFile = modcache.cacheFile();
let recording = false;
if (cacheFile && fs.existsSync(path.dirname(cacheFile))) {
  try {
    modcache.record(path.dirname(path.dirname(require.resolve('express/package.json'))));
    recording = true;
  } catch {
    // no cache then; the check itself still runs
  }
}

const { readSettings, loadFunction, FunctionLoadError } = require('./loader');

main().catch((err) => {
  process.stderr.write(`epsilon: check failed: ${String(err && err.message).split('\n')[0]}\n`);
  process.exit(1);
});

async function main() {
  let settings;
  let fn;
  try {
    settings = readSettings();
    try {
      process.chdir(settings.functionDir);
    } catch {
      // reported by the loader
    }
    fn = await loadFunction(settings); // import() for an ES module, so asynchronous
  } catch (err) {
    const line = err instanceof FunctionLoadError
      ? err.message
      : `epsilon: function '${settings ? settings.functionName : '?'}': check failed: ${err && err.message ? err.message : String(err)}`;
    process.stderr.write(`${line.split('\n')[0]}\n`);
    process.exit(1);
  }

  try {
    // The wrapper itself loads as the server will; for the spec style, express gets into the cache.
    require('./styles').createHandler(fn);
  } catch (err) {
    process.stderr.write(`epsilon: function '${fn.name}': the Node wrapper cannot load: ${String(err && err.message).split('\n')[0]}\n`);
    process.exit(1);
  }

  let cacheNote = '';
  if (recording) {
    try {
      const saved = modcache.save(cacheFile);
      cacheNote = `, module cache ${saved.files} files/${saved.resolutions} paths`;
    } catch (err) {
      cacheNote = `, no module cache: ${String(err && err.message).split('\n')[0]}`;
    }
  }
  const style = `style ${fn.style}${fn.styleDetected ? ' (detected)' : ''}`;
  process.stdout.write(`epsilon: function '${fn.name}' ok (${fn.file}, export '${fn.exportName}', ${style}, timeout ${fn.timeoutMs} ms${cacheNote})\n`);
  process.exit(0);
}
