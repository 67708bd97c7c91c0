'use strict';
// The workers style: a Cloudflare-Workers-style module, WHATWG Request in, Response out (node's own fetch classes).
//   export default { async fetch(request, env, ctx) { return new Response('hi') } }
// env: the function's environment variables (see functionEnv); ctx.waitUntil(promise) keeps work running after the
// answer; ctx.passThroughOnException() is accepted (there is no origin behind a function: an exception still answers
// 500 FunctionError).

const { once } = require('node:events');
const { createCallHandler, readBody, keepRunning, publicOrigin, RequestError } = require('../calls');
const { log } = require('../logging');

// Variables of the image and of the system, not of the function: left out of env (process.env still has them).
const SYSTEM_VARIABLES = new Set([
  'PATH', 'HOME', 'HOSTNAME', 'PWD', 'OLDPWD', 'SHLVL', 'TERM', 'USER', 'LOGNAME', 'SHELL', '_',
  'PORT', 'NODE_ENV', 'NODE_OPTIONS', 'NODE_PATH', 'NODE_EXTRA_CA_CERTS',
]);

/** The function's own variables: process.env without EPSILON_* and the system's (SYSTEM_VARIABLES). */
function functionEnv(source = process.env) {
  const env = {};
  for (const [name, value] of Object.entries(source)) {
    if (!name.startsWith('EPSILON_') && !SYSTEM_VARIABLES.has(name)) env[name] = value;
  }
  return env;
}

function create(fn) {
  const worker = fn.worker;
  const env = functionEnv();
  return createCallHandler(fn, async (req, res, call) => {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const body = hasBody ? await readBody(req) : null;
    if (call.timedOut) return;
    const request = toRequest(req, body);
    let passThrough = false;
    const ctx = {
      waitUntil(promise) {
        keepRunning(promise, `ctx.waitUntil() of function '${fn.name}'`);
      },
      passThroughOnException() {
        passThrough = true;
      },
    };
    let response;
    try {
      response = await worker.fetch(request, env, ctx);
    } catch (err) {
      if (passThrough) log.warn('epsilon: passThroughOnException() has no origin to pass to here; answering 500');
      throw err;
    }
    if (call.timedOut || res.writableEnded) return;
    await writeResponse(res, response, req.method, call);
  });
}

function toRequest(req, body) {
  const { proto, host } = publicOrigin(req);
  const headers = new Headers();
  const raw = req.rawHeaders;
  try {
    for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
    return new Request(`${proto}://${host}${req.url}`, {
      method: req.method,
      headers,
      body: body && body.length > 0 ? body : (body ? new Uint8Array(0) : null),
    });
  } catch (err) {
    throw new RequestError(400, 'InvalidRequest', `the request cannot be given to the function as a Request: ${err.message}`);
  }
}

async function writeResponse(res, response, method, call) {
  if (response === null || typeof response !== 'object' || typeof response.status !== 'number' || !response.headers) {
    throw new TypeError(`fetch() returned ${describe(response)}; expected a Response`);
  }
  if (response.type === 'error' || response.status < 100 || response.status > 599) {
    throw new TypeError(`fetch() returned a Response with status ${response.status} (Response.error()?)`);
  }
  const setCookies = setCookiesOf(response.headers);
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value);
  }
  if (setCookies.length > 0) res.setHeader('Set-Cookie', setCookies);
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  const body = response.body;
  if (!body || method === 'HEAD') {
    if (body && typeof body.cancel === 'function') body.cancel().catch(() => {});
    res.end();
    return;
  }
  // Streamed as the function produces it (server-sent events, large bodies), with backpressure.
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (call.timedOut || res.destroyed) {
        reader.cancel().catch(() => {});
        return;
      }
      const chunk = typeof value === 'string' ? Buffer.from(value) : value;
      if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
    }
  } finally {
    reader.releaseLock();
  }
  if (!call.timedOut && !res.destroyed) res.end();
}

/**
 * Each Set-Cookie of a Headers on its own. Node 18's Headers has no getSetCookie() and joins them with ", " (also
 * when a Response copies a Headers given to it), so they are split again where a ", " is followed by "name=" (a
 * date's comma, as in Expires=Wed, 21 Oct ..., is not).
 */
function setCookiesOf(headers) {
  if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
  let values;
  for (const symbol of Object.getOwnPropertySymbols(headers)) { // undici's header list keeps them apart when it can
    const list = headers[symbol];
    if (list && Array.isArray(list.cookies)) values = list.cookies.map((entry) => (Array.isArray(entry) ? entry[1] : String(entry)));
  }
  if (!values) {
    const joined = headers.get('set-cookie');
    values = joined ? [joined] : [];
  }
  return values.flatMap((value) => value.split(/,(?=\s*[^;,=\s]+=)/)).map((s) => s.trim()).filter(Boolean);
}

function describe(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined (no return?)';
  if (typeof value === 'object') return `an object (${value.constructor && value.constructor.name ? value.constructor.name : 'Object'})`;
  return `a ${typeof value}`;
}

module.exports = { create, functionEnv, setCookiesOf, SYSTEM_VARIABLES };
