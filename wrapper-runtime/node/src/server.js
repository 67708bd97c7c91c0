'use strict';
// The in-container server of a Node function: loads the function once (require() or import()), then serves every
// call through the handler of its style (styles/). See ../README.md for the contract with the gateway.

const startedAt = performance.now(); // ms since the process started: node's own boot comes before this line
const modcache = require('./modcache');

const cache = modcache.use();
const cacheAt = performance.now();
const http = require('node:http');
const logging = require('./logging');
const { readSettings, loadFunction, FunctionLoadError } = require('./loader');
const { createHandler } = require('./styles');
const { background } = require('./calls');

const { log, stackOf } = logging;
const READY_PATH = '/_epsilon/ready';
const KEEP_ALIVE_MS = 65000; // longer than the gateway keeps idle connections (30 s): it always closes first
const SHUTDOWN_GRACE_MS = 2000;

logging.patchConsole();

main().catch((err) => {
  log.error(`epsilon: cannot start: ${stackOf(err)}`);
  process.exit(1);
});

async function main() {
  let fn;
  try {
    const settings = readSettings();
    logging.setFunctionName(settings.functionName);
    installProcessHandlers();
    try {
      process.chdir(settings.functionDir); // relative paths in the function mean its own folder
    } catch {
      // a missing folder is reported by the loader, naming the file
    }
    fn = await loadFunction(settings); // import() for an ES module, so asynchronous
  } catch (err) {
    log.error(err instanceof FunctionLoadError ? err.message : `epsilon: cannot start: ${stackOf(err)}`);
    if (err instanceof FunctionLoadError && err.cause instanceof Error) log.error(stackOf(err.cause));
    process.exit(1);
  }
  const loadedAt = performance.now();

  const handler = createHandler(fn);
  const handlerAt = performance.now();
  serve(fn, handler, { loadedAt, handlerAt });
}

let inFlight = 0;
let stopping = false;
let server;

function serve(fn, handler, { loadedAt, handlerAt }) {
  const readyBody = Buffer.from(JSON.stringify({ status: 'ready', function: fn.name, timeoutMs: fn.timeoutMs }));
  server = http.createServer((req, res) => {
    // Answered before the function's handler: the gateway polls this every few ms while the container starts.
    if (req.url === READY_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': readyBody.length, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : readyBody);
      return;
    }
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (stopping) exitWhenIdle();
    });
    handler(req, res);
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  server.requestTimeout = 0; // the call's own timeout governs; the gateway bounds the rest

  const port = parsePort(process.env.PORT);
  server.on('error', (err) => {
    log.error(`epsilon: cannot listen on 0.0.0.0:${port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(port, '0.0.0.0', () => {
    const ms = (value) => Math.round(value);
    const { port: bound } = server.address();
    const cacheNote = cache ? `module cache ${cache.files} files/${cache.resolutions} paths${modcache.rejectedCount() ? `, ${modcache.rejectedCount()} rejected` : ''}` : 'no module cache';
    const style = `style ${fn.style}${fn.styleDetected ? ' (detected)' : ''}`;
    log.info(`epsilon: function '${fn.name}' (${fn.file}, export '${fn.exportName}', ${style}, timeout ${fn.timeoutMs} ms) ready on `
      + `0.0.0.0:${bound} ${ms(performance.now())} ms after process start (node ${ms(startedAt)}, cache ${ms(cacheAt - startedAt)}, `
      + `function ${ms(loadedAt - cacheAt)}, ${fn.style === 'spec' ? 'express' : 'wrapper'} ${ms(handlerAt - loadedAt)} ms; ${cacheNote})`);
  });
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

function installProcessHandlers() {
  process.on('uncaughtException', (err) => {
    const hint = err && err.code === 'ERR_HTTP_HEADERS_SENT'
      ? ' (the handler answered after it had returned or timed out: await its work or return a promise)' : '';
    log.error(`epsilon: uncaught exception${hint}: ${stackOf(err)}`);
  });
  process.on('unhandledRejection', (reason) => {
    log.error(`epsilon: unhandled promise rejection: ${stackOf(reason)}`);
  });
  process.on('exit', (code) => {
    if (code !== 0) log.warn(`epsilon: process exiting with code ${code}`);
  });
}

function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  log.info(`epsilon: ${signal} received, stopping (${inFlight} call(s) in flight${background.size ? `, ${background.size} waitUntil task(s)` : ''})`);
  if (server) {
    server.close();
    server.closeIdleConnections();
  }
  exitWhenIdle();
  setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
}

/** Exits once no call is in flight and no ctx.waitUntil() work is left (shutdown's grace bounds the wait). */
function exitWhenIdle() {
  if (inFlight > 0) return;
  if (background.size === 0) process.exit(0);
  Promise.allSettled([...background]).then(() => exitWhenIdle());
}

function parsePort(value) {
  if (value === undefined || value === '') return 8080;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    log.error(`epsilon: PORT '${value}' is not a valid port`);
    process.exit(1);
  }
  return n;
}
