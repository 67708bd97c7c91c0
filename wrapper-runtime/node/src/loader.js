'use strict';
// Finds, loads and validates the function's export and tells its style. Shared by server.js (at container start)
// and check.js (at image build time), so a function that passes the build check loads the same way when it runs.
//
// CommonJS files are require()d; ES modules (.mjs, or .js under a package.json with "type": "module") are
// import()ed, since the image's node 18 cannot require() them. Loading is therefore asynchronous.
//
// Styles (EPSILON_STYLE, from the manifest's `style:`; empty = detect from the export):
//   spec     module.exports.<name> = { definition: async (req, res) => ..., config: { timeout } }  (Express req/res)
//   lambda   exports.handler = async (event, context) => ({ statusCode, headers, body })        (API Gateway v2)
//   workers  export default { fetch(request, env, ctx) }                                       (WHATWG Request/Response)
//   plain    module.exports = (req, res) => ...                                                (node's http req/res)
// Detection, in this order: an object with a 'definition' function -> spec; an object with a 'fetch' method ->
// workers; a function exported as 'handler' -> lambda; any other function taking 2 or 3 parameters -> plain.
// Anything else is refused with what to do (e.g. set `style:`).

const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const { pathToFileURL, fileURLToPath } = require('node:url');

const DEFAULT_TIMEOUT_MS = 15000;
const MAX_TIMEOUT_MS = 2147483647; // setTimeout's limit
const STYLES = ['spec', 'lambda', 'workers', 'plain'];

/** A function that cannot be served; message is one line naming the function, file and export. */
class FunctionLoadError extends Error {
  constructor(message, cause) {
    super(message);
    this.name = 'FunctionLoadError';
    if (cause !== undefined) this.cause = cause;
  }
}

/** The function's settings from the environment (the function image sets them; EPSILON_TIMEOUT_MS the platform). */
function readSettings(env = process.env) {
  const handlerExport = env.EPSILON_HANDLER_EXPORT || '';
  const settings = {
    functionDir: path.resolve(env.EPSILON_FUNCTION_DIR || '/opt/epsilon/function'),
    handlerFile: env.EPSILON_HANDLER_FILE || '',
    handlerExport,
    functionName: env.EPSILON_FUNCTION_NAME || handlerExport || 'function',
    style: env.EPSILON_STYLE || '',
    timeoutOverrideMs: undefined,
  };
  const label = `epsilon: function '${settings.functionName}'`;
  if (!settings.handlerFile) throw new FunctionLoadError(`${label}: EPSILON_HANDLER_FILE is not set`);
  if (!settings.handlerExport) throw new FunctionLoadError(`${label}: EPSILON_HANDLER_EXPORT is not set`);
  if (settings.style && !STYLES.includes(settings.style)) {
    throw new FunctionLoadError(`${label}: unknown style '${settings.style}'; expected one of ${STYLES.join(', ')} `
      + '(or no style: to detect it from the export)');
  }
  const override = env.EPSILON_TIMEOUT_MS;
  if (override !== undefined && override !== '') {
    const ms = Number(override);
    if (!Number.isInteger(ms) || ms <= 0 || ms > MAX_TIMEOUT_MS) {
      throw new FunctionLoadError(`${label}: EPSILON_TIMEOUT_MS '${override}' is not a positive whole number of milliseconds`);
    }
    settings.timeoutOverrideMs = ms;
  }
  return settings;
}

/**
 * Loads the handler file once (module-level state lives as long as the process), picks the export, tells or checks
 * its style. Resolves to { name, file, exportName, exported, style, styleDetected, moduleType, thisArg, definition
 * (spec), handler (lambda, plain), worker (workers), config, timeoutMs }; rejects with FunctionLoadError.
 */
async function loadFunction(settings) {
  const { functionDir, handlerFile, handlerExport: exportName, functionName: name } = settings;
  const file = path.resolve(functionDir, handlerFile);
  const shown = relative(functionDir, file);
  const label = `epsilon: function '${name}'`;
  const fail = (problem, cause) => { throw new FunctionLoadError(`${label}: ${problem}`, cause); };
  const what = `export '${exportName}' of '${shown}'`;

  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    fail(`handler file '${shown}' (export '${exportName}') does not exist`);
  }
  if (!stat.isFile()) fail(`handler file '${shown}' (export '${exportName}') is not a file`);

  const moduleType = moduleTypeOf(file);
  let loaded;
  try {
    loaded = moduleType === 'module' ? await import(pathToFileURL(file).href) : require(file);
  } catch (err) {
    fail(`cannot load '${shown}' (export '${exportName}'): ${describeLoadError(err, functionDir, file, moduleType)}`, err);
  }

  const { exported, container } = pickExport(loaded, exportName, moduleType);
  if (exported === undefined) fail(`${what} does not exist${describeExports(loaded, shown, moduleType)}`);

  const style = settings.style || detectStyle(exported, exportName, what, fail);
  const fn = {
    name,
    file: shown,
    exportName,
    exported,
    style,
    styleDetected: !settings.style,
    moduleType,
    thisArg: container,
    config: {},
    timeoutMs: settings.timeoutOverrideMs ?? DEFAULT_TIMEOUT_MS,
  };

  if (style === 'spec') {
    if (typeof exported === 'function') {
      fail(`${what} is a function; style spec expects an object { definition: async (req, res) => {...}, config }`);
    }
    if (exported === null || typeof exported !== 'object') {
      fail(`${what} is ${describeValue(exported)}; style spec expects an object with a 'definition' function`);
    }
    if (typeof exported.definition !== 'function') fail(`${what} has no 'definition' function`);
    const config = exported.config === undefined ? {} : exported.config;
    if (config === null || typeof config !== 'object') {
      fail(`${what} has a 'config' that is ${describeValue(config)}; expected an object`);
    }
    const timeout = config.timeout;
    if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0 || timeout > MAX_TIMEOUT_MS)) {
      fail(`${what} has config.timeout ${show(timeout)}; expected a positive number of milliseconds (at most ${MAX_TIMEOUT_MS})`);
    }
    fn.definition = exported.definition;
    fn.thisArg = exported; // `this` is the export, as for a method
    fn.config = config;
    fn.timeoutMs = settings.timeoutOverrideMs ?? (timeout === undefined ? DEFAULT_TIMEOUT_MS : Math.ceil(timeout));
  } else if (style === 'lambda' || style === 'plain') {
    if (typeof exported !== 'function') {
      const expected = style === 'lambda'
        ? 'style lambda expects a function (event, context) => response'
        : 'style plain expects a function (req, res) => {...}';
      const hint = exported !== null && typeof exported === 'object' && !Array.isArray(exported) ? ` with ${objectHint(exported)}` : '';
      fail(`${what} is ${describeValue(exported)}${hint}; ${expected}`);
    }
    fn.handler = exported;
  } else if (style === 'workers') {
    if (exported === null || typeof exported !== 'object' || typeof exported.fetch !== 'function') {
      const is = typeof exported === 'function' ? 'a function' : describeValue(exported);
      const hint = exported !== null && typeof exported === 'object' ? ' without a fetch method' : '';
      fail(`${what} is ${is}${hint}; style workers expects an object with a fetch(request, env, ctx) method `
        + '(export default { async fetch(request, env, ctx) {...} })');
    }
    fn.worker = exported;
    fn.thisArg = exported;
  }
  return fn;
}

/** 'module' for an ES module (.mjs, or .js in a "type": "module" package), else 'commonjs'. */
function moduleTypeOf(file) {
  if (file.endsWith('.mjs')) return 'module';
  if (file.endsWith('.cjs') || !file.endsWith('.js')) return 'commonjs';
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    let text;
    try {
      text = fs.readFileSync(path.join(dir, 'package.json'), 'utf8');
    } catch {
      if (path.dirname(dir) === dir) return 'commonjs';
      continue;
    }
    try {
      return JSON.parse(text).type === 'module' ? 'module' : 'commonjs';
    } catch {
      return 'commonjs'; // node itself reports the broken package.json when it loads the file
    }
  }
}

/**
 * The export called name: for an ES module its named (or default) export; for CommonJS a property of
 * module.exports, where 'default' means module.exports itself unless it has a 'default' property (transpiled code).
 * container: what `this` is for a call (module.exports or the namespace).
 */
function pickExport(loaded, name, moduleType) {
  if (loaded === null || loaded === undefined) return { exported: undefined, container: undefined };
  const isObject = typeof loaded === 'object' || typeof loaded === 'function';
  if (moduleType === 'commonjs' && name === 'default' && !(isObject && Object.prototype.hasOwnProperty.call(loaded, 'default'))) {
    // module.exports itself, unless nothing was exported (still the initial empty object)
    const nothing = typeof loaded === 'object' && Object.getPrototypeOf(loaded) === Object.prototype && Object.keys(loaded).length === 0;
    return { exported: nothing ? undefined : loaded, container: undefined };
  }
  return { exported: isObject ? loaded[name] : undefined, container: loaded };
}

/** "; it exports 'a', 'b'" (or what to do) for a missing export. */
function describeExports(loaded, shown, moduleType) {
  if (typeof loaded === 'function') {
    return `; the module exports a single function (module.exports = fn): use the handler '${shown}:default'`;
  }
  const names = loaded !== null && typeof loaded === 'object' ? Object.keys(loaded) : [];
  if (names.length === 0) {
    return moduleType === 'module'
      ? '; it exports nothing (export default ..., or export const <name> = ...)'
      : '; it exports nothing (module.exports.<name> = ..., or module.exports = ...)';
  }
  const listed = names.slice(0, 10).map((n) => `'${n}'`).join(', ') + (names.length > 10 ? ', ...' : '');
  return `; it exports ${listed}`;
}

/** The style of an export when the manifest sets none; fails with what to do when it cannot tell. */
function detectStyle(exported, exportName, what, fail) {
  if (typeof exported === 'function') {
    if (exportName === 'handler') return 'lambda';
    if (exported.length === 2 || exported.length === 3) return 'plain';
    const params = `${exported.length} parameter${exported.length === 1 ? '' : 's'}`;
    return fail(`${what} is a function of ${params}, which does not tell its style: export a Lambda handler as 'handler' `
      + 'or set style: lambda ((event, context) => response), or set style: plain ((req, res) => {...}) in epsilon.yaml');
  }
  if (exported !== null && typeof exported === 'object') {
    if (typeof exported.definition === 'function' || 'definition' in exported) return 'spec';
    if (typeof exported.fetch === 'function') return 'workers';
    return fail(`${what} has no 'definition' function (style spec) nor 'fetch' method (style workers)`
      + `; it has ${objectHint(exported)}`);
  }
  return fail(`${what} is ${describeValue(exported)}; expected an object { definition } (spec), an object { fetch } (workers), `
    + "a function exported as 'handler' (lambda) or a function (req, res) (plain)");
}

function objectHint(value) {
  const keys = Object.keys(value);
  if (keys.length === 0) return 'no properties';
  return `${keys.slice(0, 6).map((k) => `'${k}'`).join(', ')}${keys.length > 6 ? ', ...' : ''}`;
}

/** One line for an error thrown while loading the module: "file:line: Type: message" when a line is known. */
function describeLoadError(err, functionDir, file, moduleType) {
  if (!(err instanceof Error)) return `threw ${describeValue(err)}`;
  const firstLine = relativizeText(String(err.message).split('\n')[0], functionDir);
  if (err.code === 'ERR_REQUIRE_ESM') {
    return `${firstLine} (on node ${process.versions.node} CommonJS cannot require() an ES module: import() it, or make this file an ES module too)`;
  }
  const stack = typeof err.stack === 'string' ? err.stack : '';
  let where;
  if (err instanceof SyntaxError) {
    // A CommonJS compile error's stack starts with "/path/file.js:LINE", then the source line and a caret.
    const m = /^(.+):(\d+)\r?$/m.exec(stack.split('\n')[0] || '');
    if (m) where = `${relative(functionDir, fromUrl(m[1]))}:${m[2]}`;
  }
  if (!where) {
    // Otherwise the first frame in the function's own code (not node_modules): "at x (/path/file.js:LINE:COL)",
    // or "at file:///path/file.mjs:LINE:COL" in an ES module.
    for (const line of stack.split('\n')) {
      const m = /^\s+at (?:.*?\()?((?:file:\/\/)?\/[^()]+?):(\d+):\d+\)?$/.exec(line);
      if (!m) continue;
      const frameFile = fromUrl(m[1]);
      if (isInside(functionDir, frameFile) && !frameFile.includes(`${path.sep}node_modules${path.sep}`)) {
        where = `${relative(functionDir, frameFile)}:${m[2]}`;
        break;
      }
    }
  }
  if (!where && err.code === 'ERR_MODULE_NOT_FOUND') {
    const m = / imported from (\/.+)$/.exec(String(err.message).split('\n')[0]);
    if (m && isInside(functionDir, m[1])) where = relative(functionDir, m[1]);
  }
  if (!where && err instanceof SyntaxError && !stackHasLocation(stack)) {
    // ES module parse errors carry no location at all; node --check gives it, file by file.
    where = locateSyntaxError(functionDir, file, `SyntaxError: ${String(err.message).split('\n')[0]}`);
  }
  let hint = '';
  if (err instanceof SyntaxError && moduleType === 'commonjs'
      && /Cannot use import statement outside a module|Unexpected token 'export'|import\.meta/.test(firstLine)) {
    hint = ' (ES module syntax in a CommonJS file: name it .mjs, or add "type": "module" to package.json)';
  }
  const text = `${err.name || 'Error'}: ${firstLine}${hint}`;
  return where ? `${where}: ${text}` : text;
}

/** Whether the stack names a place in some file (not only node's internals or this wrapper). */
function stackHasLocation(stack) {
  const lines = stack.split('\n');
  if (/^(.+):(\d+)\r?$/.test(lines[0] || '')) return true;
  return lines.some((l) => /^\s+at .*:\d+:\d+\)?$/.test(l) && !/\(node:|at node:/.test(l) && !l.includes(__dirname + path.sep));
}

/**
 * "file:line" of an ES module syntax error (import() gives no location at all): `node --check` on the modules the
 * handler file imports (relative imports, followed breadth-first), then on the function's other files (not
 * node_modules); the first one failing with the same message is it. Only runs when loading failed.
 */
function locateSyntaxError(functionDir, handlerFile, message) {
  const candidates = [];
  const seen = new Set();
  const add = (file) => {
    if (candidates.length < 80 && !seen.has(file) && isInside(functionDir, file)) {
      seen.add(file);
      candidates.push(file);
    }
  };
  add(handlerFile);
  for (let i = 0; i < candidates.length; i += 1) { // the import graph first
    let source;
    try {
      source = fs.readFileSync(candidates[i], 'utf8');
    } catch {
      continue;
    }
    const specifiers = /(?:^|[;\s}])(?:import|export)\s*(?:[^'"`;]*?\sfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
    for (const m of source.matchAll(specifiers)) add(path.resolve(path.dirname(candidates[i]), m[1] || m[2]));
  }
  const walk = (dir, depth) => { // then anything else that could be a module
    if (depth > 8 || candidates.length >= 80) return;
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, depth + 1);
      else if (entry.isFile() && /\.(mjs|js|cjs)$/.test(entry.name)) add(full);
    }
  };
  walk(functionDir, 0);
  const started = Date.now();
  for (const candidate of candidates) {
    if (Date.now() - started > 10000) break;
    if (!fs.existsSync(candidate)) continue;
    const result = require('node:child_process').spawnSync(process.execPath, ['--check', candidate], { encoding: 'utf8', timeout: 5000, env: { ...process.env, NODE_OPTIONS: '' } });
    if (result.status === 0 || typeof result.stderr !== 'string') continue;
    const m = /^(.+):(\d+)\r?$/m.exec(result.stderr.split('\n')[0] || '');
    if (m && (!message || result.stderr.includes(message))) return `${relative(functionDir, fromUrl(m[1]))}:${m[2]}`;
  }
  return undefined;
}

function fromUrl(value) {
  if (!value.startsWith('file://')) return value;
  try {
    return fileURLToPath(value);
  } catch {
    return value;
  }
}

/** Absolute paths of the function folder in an error message, made relative to it (file:// URLs too). */
function relativizeText(text, functionDir) {
  const dir = functionDir.endsWith(path.sep) ? functionDir : functionDir + path.sep;
  return text.split(pathToFileURL(dir).href).join('').split(dir).join('');
}

function describeValue(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function show(value) {
  const text = util.inspect(value, { depth: 0, breakLength: Infinity });
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isInside(dir, file) {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function relative(dir, file) {
  return isInside(dir, file) ? path.relative(dir, file).split(path.sep).join('/') : file;
}

module.exports = { readSettings, loadFunction, FunctionLoadError, DEFAULT_TIMEOUT_MS, STYLES, moduleTypeOf };
