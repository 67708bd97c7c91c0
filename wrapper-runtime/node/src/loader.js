'use strict';
// Finds, loads and validates the function's export. Shared by server.js (at container start) and check.js (at
// image build time), so a function that passes the build check loads the same way when it runs.

const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');

const DEFAULT_TIMEOUT_MS = 15000;
const MAX_TIMEOUT_MS = 2147483647; // setTimeout's limit

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
    timeoutOverrideMs: undefined,
  };
  const label = `epsilon: function '${settings.functionName}'`;
  if (!settings.handlerFile) throw new FunctionLoadError(`${label}: EPSILON_HANDLER_FILE is not set`);
  if (!settings.handlerExport) throw new FunctionLoadError(`${label}: EPSILON_HANDLER_EXPORT is not set`);
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
 * Requires the handler file once (module-level state lives as long as the process) and validates the export.
 * Returns { name, file, exportName, exported, definition, config, timeoutMs }; throws FunctionLoadError.
 */
function loadFunction(settings) {
  const { functionDir, handlerFile, handlerExport: exportName, functionName: name } = settings;
  const file = path.resolve(functionDir, handlerFile);
  const shown = relative(functionDir, file);
  const label = `epsilon: function '${name}'`;
  const fail = (problem, cause) => { throw new FunctionLoadError(`${label}: ${problem}`, cause); };

  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    fail(`handler file '${shown}' (export '${exportName}') does not exist`);
  }
  if (!stat.isFile()) fail(`handler file '${shown}' (export '${exportName}') is not a file`);

  let exports;
  try {
    exports = require(file);
  } catch (err) {
    fail(`cannot load '${shown}' (export '${exportName}'): ${describeLoadError(err, functionDir)}`, err);
  }

  const exported = exports == null ? undefined : exports[exportName];
  if (exported === undefined) {
    const names = exports != null && typeof exports === 'object' ? Object.keys(exports) : [];
    const listed = names.slice(0, 10).map((n) => `'${n}'`).join(', ') + (names.length > 10 ? ', ...' : '');
    const found = names.length ? `; it exports ${listed}` : '; it exports nothing (module.exports.<name> = { definition })';
    fail(`export '${exportName}' of '${shown}' does not exist${found}`);
  }
  if (typeof exported === 'function') {
    fail(`export '${exportName}' of '${shown}' is a function; expected an object { definition: async (req, res) => {...}, config }`);
  }
  if (exported === null || typeof exported !== 'object') {
    fail(`export '${exportName}' of '${shown}' is ${describeValue(exported)}; expected an object with a 'definition' function`);
  }
  if (typeof exported.definition !== 'function') {
    fail(`export '${exportName}' of '${shown}' has no 'definition' function`);
  }
  const config = exported.config === undefined ? {} : exported.config;
  if (config === null || typeof config !== 'object') {
    fail(`export '${exportName}' of '${shown}' has a 'config' that is ${describeValue(config)}; expected an object`);
  }
  const timeout = config.timeout;
  if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0 || timeout > MAX_TIMEOUT_MS)) {
    fail(`export '${exportName}' of '${shown}' has config.timeout ${show(timeout)}; expected a positive number of milliseconds (at most ${MAX_TIMEOUT_MS})`);
  }

  const timeoutMs = settings.timeoutOverrideMs ?? (timeout === undefined ? DEFAULT_TIMEOUT_MS : Math.ceil(timeout));
  return { name, file: shown, exportName, exported, definition: exported.definition, config, timeoutMs };
}

/** One line for an error thrown while requiring the module: "file:line: Type: message" when a line is known. */
function describeLoadError(err, functionDir) {
  if (!(err instanceof Error)) return `threw ${describeValue(err)}`;
  const firstLine = String(err.message).split('\n')[0];
  if (err.code === 'ERR_REQUIRE_ESM') {
    return 'it is an ES module; Epsilon functions are CommonJS (module.exports.<name> = { definition }, no "type": "module")';
  }
  const stack = typeof err.stack === 'string' ? err.stack : '';
  let where;
  if (err instanceof SyntaxError) {
    // A compile error's stack starts with "/path/file.js:LINE", then the source line and a caret.
    const m = /^(.+):(\d+)\r?$/m.exec(stack.split('\n')[0] || '');
    if (m) where = `${relative(functionDir, m[1])}:${m[2]}`;
  }
  if (!where) {
    // Otherwise the first frame in the function's own code (not node_modules): "at x (/path/file.js:LINE:COL)".
    for (const line of stack.split('\n')) {
      const m = /^\s+at (?:.*?\()?(\/[^()]+?):(\d+):\d+\)?$/.exec(line);
      if (m && isInside(functionDir, m[1]) && !m[1].includes(`${path.sep}node_modules${path.sep}`)) {
        where = `${relative(functionDir, m[1])}:${m[2]}`;
        break;
      }
    }
  }
  const what = `${err.name || 'Error'}: ${firstLine}`;
  return where ? `${where}: ${what}` : what;
}

function describeValue(value) {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return 'an array';
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

module.exports = { readSettings, loadFunction, FunctionLoadError, DEFAULT_TIMEOUT_MS };
