'use strict';
// What every call of the lambda, workers and plain styles goes through, on node's own http (no Express): the
// request id, the log context, the timeout, the 500/504 answers, and reading the body under the 6 MB limit.
// The spec style does the same with Express (app.js) and shares the helpers below.

const { randomUUID } = require('node:crypto');
const { log, requestContext, stackOf } = require('./logging');

const REQUEST_ID_HEADER = 'X-Epsilon-Request-Id';
const TIMED_OUT_HEADER = 'X-Epsilon-Timed-Out';
const BODY_LIMIT = 6 * 1024 * 1024; // 6 MB, as Lambda

/** Work a call left running after its answer (workers' ctx.waitUntil); shutdown waits for it (within its grace). */
const background = new Set();

/** A request the wrapper refuses before the function runs (body too large, unreadable request). */
class RequestError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'RequestError';
    this.status = status;
    this.code = code;
  }
}

/**
 * A node http handler (req, res) running run(req, res, call) for each call, inside the call's log context, with
 * the timeout. run may answer itself or return a promise; a throw or rejection answers 500 (or the RequestError's
 * status). call: { requestId, timedOut, deadline }.
 */
function createCallHandler(fn, run) {
  return function handleCall(req, res) {
    const call = { requestId: requestIdOf(req), timedOut: false, timer: null, deadline: Date.now() + fn.timeoutMs };
    res.setHeader(REQUEST_ID_HEADER, call.requestId);
    res.once('close', () => clearTimeout(call.timer));
    requestContext.run(call, () => {
      // A write after the answer (e.g. after a timeout) must not become an uncaught 'error' event.
      res.on('error', (err) => log.warn(`epsilon: response error: ${err && err.message}`));
      call.timer = setTimeout(timedOut, fn.timeoutMs, fn, res, call);
      let result;
      try {
        result = run(req, res, call);
      } catch (err) {
        failed(fn, res, call, err);
        return;
      }
      if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
        result.then(undefined, (err) => failed(fn, res, call, err));
      }
    });
  };
}

function failed(fn, res, call, err) {
  if (err instanceof RequestError) {
    if (call.timedOut || res.headersSent) return;
    log.warn(`epsilon: request refused (${err.status}): ${err.message}`);
    sendError(res, call, err.status, err.code, err.message, { Connection: 'close' });
    return;
  }
  log.error(`epsilon: function '${fn.name}' failed: ${stackOf(err)}`);
  if (call.timedOut || res.writableEnded) return;
  if (res.headersSent) {
    res.destroy(); // part of the answer is out: cut it so the caller sees it incomplete
    return;
  }
  sendError(res, call, 500, 'FunctionError', err instanceof Error ? String(err.message) : String(err));
}

function timedOut(fn, res, call) {
  if (res.writableEnded) return; // answered, still flushing
  call.timedOut = true;
  const message = `function '${fn.name}' did not answer within ${fn.timeoutMs} ms`;
  log.error(`epsilon: ${message}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendError(res, call, 504, 'FunctionTimedOut', message, { [TIMED_OUT_HEADER]: 'true' });
}

/** A JSON error answer; nothing the function had set leaks into it. */
function sendError(res, call, status, code, message, extraHeaders) {
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.setHeader(REQUEST_ID_HEADER, call.requestId);
  if (extraHeaders) for (const [name, value] of Object.entries(extraHeaders)) res.setHeader(name, value);
  const body = Buffer.from(JSON.stringify({ error: { code, message } }), 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
}

/** The whole request body as a Buffer; rejects with a 413 RequestError past BODY_LIMIT. */
function readBody(req) {
  return new Promise((resolve, reject) => {
    const tooLarge = () => {
      req.resume(); // drain what is left; the 413 goes out with Connection: close
      reject(new RequestError(413, 'PayloadTooLarge', `request body is larger than the limit of ${BODY_LIMIT} bytes (6 MB)`));
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > BODY_LIMIT) {
      tooLarge();
      return;
    }
    const chunks = [];
    let length = 0;
    let done = false;
    req.on('data', (chunk) => {
      if (done) return;
      length += chunk.length;
      if (length > BODY_LIMIT) {
        done = true;
        chunks.length = 0;
        tooLarge();
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length));
    });
    req.once('error', (err) => {
      if (done) return;
      done = true;
      reject(new RequestError(400, 'InvalidRequestBody', `the request body could not be read: ${err.message}`));
    });
    req.once('aborted', () => {
      if (done) return;
      done = true;
      reject(new RequestError(400, 'InvalidRequestBody', 'the request was aborted'));
    });
  });
}

/** Keeps promise in `background` until it settles; its rejection is logged with the call's request id. */
function keepRunning(promise, what) {
  const tracked = Promise.resolve(promise).then(
    () => {},
    (err) => log.error(`epsilon: ${what} failed: ${stackOf(err)}`),
  );
  background.add(tracked);
  tracked.finally(() => background.delete(tracked));
  return tracked;
}

function requestIdOf(req) {
  const given = req.headers['x-epsilon-request-id'];
  return typeof given === 'string' && given.length > 0 && given.length <= 200 ? given : randomUUID();
}

// Addresses the gateway can have (loopback, link-local, private and unique-local): the same as Express's
// 'loopback, linklocal, uniquelocal' trust, so X-Forwarded-* from the gateway are believed and others not.
function isTrustedProxy(address) {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(a)) {
    const [x, y] = a.split('.').map(Number);
    return x === 127 || x === 10 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 169 && y === 254);
  }
  const lower = a.toLowerCase();
  return lower === '::1' || /^f[cd][0-9a-f]{0,2}:/.test(lower) || /^fe[89ab][0-9a-f]?:/.test(lower);
}

/** The caller's address: the socket's, or through trusted proxies the nearest untrusted X-Forwarded-For entry. */
function clientAddress(req) {
  let address = req.socket.remoteAddress || '';
  if (!isTrustedProxy(address)) return stripMapped(address);
  const forwarded = String(req.headers['x-forwarded-for'] || '').split(',').map((s) => s.trim()).filter(Boolean);
  for (let i = forwarded.length - 1; i >= 0; i -= 1) {
    address = forwarded[i];
    if (!isTrustedProxy(address)) break;
  }
  return stripMapped(address);
}

/** Protocol and host the caller used: X-Forwarded-Proto/-Host when the peer is a trusted proxy, else the socket's. */
function publicOrigin(req) {
  const trusted = isTrustedProxy(req.socket.remoteAddress);
  const first = (value) => String(value || '').split(',')[0].trim();
  const proto = (trusted && first(req.headers['x-forwarded-proto'])) || (req.socket.encrypted ? 'https' : 'http');
  const host = (trusted && first(req.headers['x-forwarded-host'])) || req.headers.host || 'localhost';
  return { proto, host };
}

function stripMapped(address) {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

module.exports = {
  createCallHandler,
  failed,
  timedOut,
  sendError,
  readBody,
  keepRunning,
  background,
  requestIdOf,
  clientAddress,
  publicOrigin,
  RequestError,
  REQUEST_ID_HEADER,
  TIMED_OUT_HEADER,
  BODY_LIMIT,
};
