'use strict';
// One JSON line on stdout per log call:
//   {"time":"...","level":"info","function":"hello","requestId":"...","message":"..."}
// The request id comes from an AsyncLocalStorage the server enters for each call, so concurrent calls are told apart.

const util = require('node:util');
const { AsyncLocalStorage } = require('node:async_hooks');

const requestContext = new AsyncLocalStorage();
let functionName = null;

function setFunctionName(name) {
  functionName = name;
}

/** The id of the call the current code runs for, or null outside of a call. */
function currentRequestId() {
  const store = requestContext.getStore();
  return store ? store.requestId : null;
}

function write(level, message) {
  const line = JSON.stringify({
    time: new Date().toISOString(),
    level,
    function: functionName,
    requestId: currentRequestId(),
    message,
  });
  try {
    // Synchronous for pipes and files on Linux, so nothing is lost when the process exits right after.
    process.stdout.write(`${line}\n`);
  } catch {
    // stdout gone: nothing sensible left to do with a log line.
  }
}

const log = {
  debug: (...args) => write('debug', util.format(...args)),
  info: (...args) => write('info', util.format(...args)),
  warn: (...args) => write('warn', util.format(...args)),
  error: (...args) => write('error', util.format(...args)),
};

/** An error's stack (or a description of a thrown non-error) for a log line. */
function stackOf(err) {
  if (err instanceof Error) return err.stack || `${err.name}: ${err.message}`;
  try {
    return `non-error value thrown: ${util.inspect(err, { depth: 2, breakLength: Infinity })}`;
  } catch {
    return 'non-error value thrown';
  }
}

let patched = false;

/** Routes console.log/info/warn/error/debug (and trace) of the whole process through the JSON writer. */
function patchConsole() {
  if (patched) return;
  patched = true;
  process.stdout.on('error', () => {}); // EPIPE and the like must not kill the function
  console.log = log.info;
  console.info = log.info;
  console.warn = log.warn;
  console.error = log.error;
  console.debug = log.debug;
  console.trace = (...args) => {
    const trace = { name: 'Trace', message: util.format(...args) };
    Error.captureStackTrace(trace, console.trace);
    write('debug', trace.stack);
  };
}

module.exports = { requestContext, currentRequestId, setFunctionName, patchConsole, log, stackOf };
