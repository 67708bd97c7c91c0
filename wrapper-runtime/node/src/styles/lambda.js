'use strict';
// The lambda style: an AWS Lambda handler behind API Gateway's HTTP API (payload format 2.0).
//   exports.handler = async (event, context) => ({ statusCode, headers, body, isBase64Encoded, cookies })
// also (event, context, callback) handlers, and context.succeed/fail/done. A result without statusCode (a string,
// an object) is a 200 with Content-Type application/json: a string is the body as it is, anything else its JSON.

const fs = require('node:fs');
const { createCallHandler, readBody, clientAddress, publicOrigin } = require('../calls');

// Content types whose body the event carries as text; any other body (or none declared) comes base64-encoded.
const TEXT_TYPES = /^(text\/|application\/(json|([\w.+-]+\+json)|xml|([\w.+-]+\+xml)|javascript|ecmascript|x-www-form-urlencoded|graphql|x-ndjson|yaml|x-yaml)\b)/i;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function create(fn) {
  const handler = fn.handler;
  const takesCallback = handler.length >= 3;
  const memory = memoryLimitInMB();
  return createCallHandler(fn, async (req, res, call) => {
    const body = await readBody(req);
    if (call.timedOut) return;
    const event = toEvent(req, body, call, fn);
    const context = createContext(fn, call, memory);
    const result = await invoke(handler, fn.thisArg, event, context, takesCallback);
    if (call.timedOut || res.writableEnded) return;
    writeResult(res, result);
  });
}

/** The API Gateway HTTP API (v2) event for one request. */
function toEvent(req, body, call, fn) {
  const url = req.url || '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQueryString = q < 0 ? '' : url.slice(q + 1);

  // Lower-cased names, repeated headers comma-joined; cookies go to event.cookies, not headers (as v2 does).
  const headers = {};
  let cookies;
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    const value = raw[i + 1];
    if (name === 'cookie') {
      cookies ??= [];
      for (const part of value.split(';')) if (part.trim()) cookies.push(part.trim());
    } else {
      headers[name] = name in headers ? `${headers[name]},${value}` : value;
    }
  }

  let queryStringParameters;
  if (rawQueryString) {
    queryStringParameters = {};
    for (const [key, value] of new URLSearchParams(rawQueryString)) {
      queryStringParameters[key] = key in queryStringParameters ? `${queryStringParameters[key]},${value}` : value;
    }
  }

  const now = new Date();
  // API Gateway's domainName is a host name: the port the caller used (X-Forwarded-Host keeps it) is left out.
  const { host } = publicOrigin(req);
  const domain = (host.match(/:/g) || []).length === 1 ? host.slice(0, host.indexOf(':')) : host;
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
  };
  if (cookies) event.cookies = cookies;
  event.headers = headers;
  if (queryStringParameters) event.queryStringParameters = queryStringParameters;
  event.requestContext = {
    accountId: 'epsilon',
    apiId: fn.name,
    domainName: domain,
    domainPrefix: domain.split('.')[0],
    http: {
      method: req.method,
      path: rawPath,
      protocol: `HTTP/${req.httpVersion}`,
      sourceIp: clientAddress(req),
      userAgent: headers['user-agent'] || '',
    },
    requestId: call.requestId,
    routeKey: '$default',
    stage: '$default',
    time: apiGatewayTime(now),
    timeEpoch: now.getTime(),
  };
  if (body.length > 0) {
    const text = TEXT_TYPES.test(String(req.headers['content-type'] || ''));
    event.body = text ? body.toString('utf8') : body.toString('base64');
    event.isBase64Encoded = !text;
  } else {
    event.isBase64Encoded = false;
  }
  return event;
}

function createContext(fn, call, memory) {
  return {
    callbackWaitsForEmptyEventLoop: true, // accepted; the container lives on between calls either way
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:epsilon:000000000000:function:${fn.name}`,
    memoryLimitInMB: memory,
    awsRequestId: call.requestId,
    logGroupName: `/aws/lambda/${fn.name}`,
    logStreamName: `epsilon/${process.pid}`,
    getRemainingTimeInMillis: () => Math.max(0, call.deadline - Date.now()),
  };
}

/**
 * Runs the handler; resolves with its result. A returned promise settles it; otherwise the callback (or
 * context.succeed/fail/done) does, for a handler declaring (event, context, callback); any other handler's return
 * value is its result. Whichever comes first wins.
 */
function invoke(handler, thisArg, event, context, takesCallback) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (err, value) => {
      if (settled) return;
      settled = true;
      if (err !== null && err !== undefined) reject(err instanceof Error ? err : new Error(typeof err === 'string' ? err : JSON.stringify(err)));
      else resolve(value);
    };
    const callback = (err, value) => settle(err, value);
    context.done = callback;
    context.succeed = (value) => settle(null, value);
    context.fail = (err) => settle(err ?? new Error('context.fail() called'));
    let returned;
    try {
      returned = handler.call(thisArg, event, context, callback);
    } catch (err) {
      settle(err);
      return;
    }
    if (returned !== null && typeof returned === 'object' && typeof returned.then === 'function') {
      returned.then((value) => settle(null, value), (err) => settle(err ?? new Error('handler rejected')));
    } else if (!takesCallback) {
      settle(null, returned);
    }
  });
}

/** Writes the handler's result as API Gateway would. */
function writeResult(res, result) {
  if (result !== null && typeof result === 'object' && !Array.isArray(result) && 'statusCode' in result) {
    const status = Number(result.statusCode);
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new Error(`the handler returned statusCode ${JSON.stringify(result.statusCode)}; expected an HTTP status (100-599)`);
    }
    for (const [name, values] of Object.entries(result.multiValueHeaders || {})) { // payload format 1.0
      if (Array.isArray(values)) res.setHeader(name, values.map(String));
    }
    for (const [name, value] of Object.entries(result.headers || {})) {
      if (value !== undefined && value !== null) res.setHeader(name, Array.isArray(value) ? value.map(String) : String(value));
    }
    if (Array.isArray(result.cookies) && result.cookies.length > 0) {
      const existing = res.getHeader('set-cookie');
      const before = existing === undefined ? [] : [].concat(existing);
      res.setHeader('Set-Cookie', [...before, ...result.cookies.map(String)]);
    }
    let body;
    if (result.body === undefined || result.body === null) body = Buffer.alloc(0);
    else if (typeof result.body === 'string') body = Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
    else if (Buffer.isBuffer(result.body)) body = result.body;
    else body = Buffer.from(JSON.stringify(result.body), 'utf8');
    res.setHeader('Content-Length', body.length);
    res.writeHead(status);
    res.end(body);
    return;
  }
  if (result === undefined || result === null) {
    res.writeHead(200, { 'Content-Length': 0 });
    res.end();
    return;
  }
  const body = Buffer.from(typeof result === 'string' ? result : JSON.stringify(result), 'utf8');
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
  res.end(body);
}

/** "12/Mar/2020:19:03:58 +0000", as requestContext.time. */
function apiGatewayTime(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:`
    + `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/** The container's memory limit in MB as a string (as Lambda's context gives it), or undefined when unlimited. */
function memoryLimitInMB() {
  for (const file of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const text = fs.readFileSync(file, 'utf8').trim();
      const bytes = Number(text);
      if (text === 'max' || !Number.isFinite(bytes) || bytes <= 0 || bytes >= 2 ** 50) return undefined;
      return String(Math.floor(bytes / (1024 * 1024)));
    } catch {
      // not this cgroup version
    }
  }
  return undefined;
}

module.exports = { create, toEvent, writeResult, invoke };
