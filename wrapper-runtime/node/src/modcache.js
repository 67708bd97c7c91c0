'use strict';
// A start-up cache of modules, written at image build time (check.js) and read once when the server starts.
//
// Loading express costs node ~80-120 ms in a container, mostly spent resolving ~260 require() calls (stat and
// package.json reads) and compiling ~130 files. The cache, one file, holds:
//   - resolutions: "parent file + request -> file" for every require() seen at build time (the image is
//     immutable, so the answers cannot change); used for the function's own modules too;
//   - for the wrapper's own dependencies (express and its tree, never the function's code): their source and
//     V8's code cache, so they are read from one file and not compiled again.
// Anything not in the cache, or a cache written by another node, falls back to node's normal loading.
// EPSILON_MODULE_CACHE=off disables it; EPSILON_MODULE_CACHE=<path> moves it.

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const FORMAT = 'epsilon-module-cache/1';
const DEFAULT_FILE = '/opt/epsilon/cache/modules.bin';

let installed = null;

/** Path of the cache file, or null when disabled. */
function cacheFile(env = process.env) {
  const value = env.EPSILON_MODULE_CACHE;
  if (value === 'off' || value === '0' || value === 'false') return null;
  return value || DEFAULT_FILE;
}

function stamp() {
  return `${FORMAT} node ${process.version} ${process.arch} v8 ${process.versions.v8}`;
}

/**
 * Server side: reads the cache (if any) and routes module loading through it.
 * Returns { files, resolutions } counts, or null when there is no usable cache.
 */
function use(file = cacheFile()) {
  if (!file || installed) return null;
  let buffer;
  try {
    buffer = fs.readFileSync(file);
  } catch {
    return null;
  }
  try {
    const headerLength = buffer.readUInt32LE(0);
    const header = JSON.parse(buffer.toString('utf8', 4, 4 + headerLength));
    if (header.stamp !== stamp()) return null;
    const entries = new Map();
    let offset = 4 + headerLength;
    for (const [filename, sourceLength, cacheLength] of header.files) {
      entries.set(filename, { buffer, offset, sourceLength, cacheLength });
      offset += sourceLength + cacheLength;
    }
    if (offset !== buffer.length) return null;
    install({ root: header.root, resolutions: new Map(header.resolutions), entries, recording: false });
    return { files: entries.size, resolutions: header.resolutions.length };
  } catch {
    return null;
  }
}

/** Build side: records resolutions and compiled dependencies from here on; save() writes them. */
function record(root) {
  if (installed) throw new Error('module cache already installed');
  install({ root: withSep(root), resolutions: new Map(), entries: new Map(), recording: true });
}

/** Writes what record() saw. Returns { files, resolutions, bytes }. */
function save(file = cacheFile()) {
  if (!installed || !installed.recording) throw new Error('module cache is not recording');
  const parts = [];
  const files = [];
  for (const [filename, { source, script }] of installed.scripts) {
    const sourceBytes = Buffer.from(source, 'utf8');
    const cacheBytes = script.createCachedData(); // after running: includes the functions compiled since
    files.push([filename, sourceBytes.length, cacheBytes.length]);
    parts.push(sourceBytes, cacheBytes);
  }
  const resolutions = [...installed.resolutions];
  const header = Buffer.from(JSON.stringify({ stamp: stamp(), root: installed.root, resolutions, files }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length, 0);
  const data = Buffer.concat([length, header, ...parts]);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, data, { mode: 0o644 });
  fs.renameSync(temporary, file);
  return { files: files.length, resolutions: resolutions.length, bytes: data.length };
}

function install(state) {
  installed = { ...state, scripts: new Map(), rejected: 0 };
  const { root, resolutions, entries, recording } = installed;

  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function cachedResolveFilename(request, parent, isMain, options) {
    if (options !== undefined || isMain || !parent || typeof parent.filename !== 'string' || typeof request !== 'string') {
      return resolveFilename.apply(this, arguments);
    }
    const key = `${parent.filename}\0${request}`;
    const known = resolutions.get(key);
    if (known !== undefined) return known;
    const resolved = resolveFilename.apply(this, arguments);
    if (recording && path.isAbsolute(resolved)) resolutions.set(key, resolved);
    return resolved;
  };

  // Node routes every extension it has no handler for (.mjs included, on some versions) through '.js'.
  const loadJs = Module._extensions['.js'];
  Module._extensions['.js'] = function cachedLoadJs(module, filename) {
    const entry = entries.get(filename);
    if (entry) {
      const { buffer, offset, sourceLength, cacheLength } = entry;
      const source = buffer.toString('utf8', offset, offset + sourceLength);
      const cachedData = buffer.subarray(offset + sourceLength, offset + sourceLength + cacheLength);
      return compile(module, source, filename, cachedData);
    }
    if (recording && filename.startsWith(root) && isCommonJs(filename)) {
      return compile(module, fs.readFileSync(filename, 'utf8'), filename, undefined);
    }
    return loadJs.call(this, module, filename);
  };
}

/** A .cjs file, or a .js file whose package is not "type": "module" (build side only). */
function isCommonJs(filename) {
  if (filename.endsWith('.cjs')) return true;
  if (!filename.endsWith('.js')) return false;
  for (let dir = path.dirname(filename); ; dir = path.dirname(dir)) {
    let text;
    try {
      text = fs.readFileSync(path.join(dir, 'package.json'), 'utf8');
    } catch {
      if (path.dirname(dir) === dir) return true;
      continue;
    }
    try {
      return JSON.parse(text).type !== 'module';
    } catch {
      return false;
    }
  }
}

/** What node's Module.prototype._compile does for CommonJS, through a vm.Script that takes V8's code cache. */
function compile(module, source, filename, cachedData) {
  const script = new vm.Script(Module.wrap(source), { filename, cachedData });
  if (cachedData && script.cachedDataRejected) installed.rejected += 1;
  if (installed.recording) installed.scripts.set(filename, { source, script });
  const wrapper = script.runInThisContext({ displayErrors: true });
  const require = function require(id) {
    return module.require(id);
  };
  require.resolve = function resolve(request, options) {
    return Module._resolveFilename(request, module, false, options);
  };
  require.resolve.paths = function paths(request) {
    return Module._resolveLookupPaths(request, module);
  };
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return wrapper.call(module.exports, module.exports, require, module, filename, path.dirname(filename));
}

/** How many cached compilations V8 refused (a different node or flags); 0 when all were used. */
function rejectedCount() {
  return installed ? installed.rejected : 0;
}

function withSep(dir) {
  return dir.endsWith(path.sep) ? dir : dir + path.sep;
}

module.exports = { cacheFile, use, record, save, rejectedCount, DEFAULT_FILE };
