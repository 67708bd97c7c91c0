'use strict';
// The lambda, workers and plain styles as the gateway sees them: server.js on a free port, serving fixtures/styles.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { startServer, request, FIXTURES } = require('./helpers');

const DIR = path.join(FIXTURES, 'styles');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const json = (response) => JSON.parse(response.body.toString('utf8'));
const readyLine = (server) => server.logs.find((e) => / ready on /.test(e.message || '')).message;

function lambda(exportName, env = {}) {
  return startServer({ dir: DIR, file: 'lambda.js', exportName, env: exportName === 'handler' ? env : { EPSILON_STYLE: 'lambda', ...env } });
}

describe('lambda style', { timeout: 60000 }, () => {
  let server;
  before(async () => { server = await lambda('handler', { EPSILON_TIMEOUT_MS: '5000' }); });
  after(() => server.stop());

  test('an export named handler is detected as lambda, without loading express', () => {
    assert.match(readyLine(server), /\(lambda\.js, export 'handler', style lambda \(detected\), timeout 5000 ms\)/);
    assert.match(readyLine(server), / wrapper \d+ ms;/);
  });

  test('the event has the API Gateway HTTP API v2 shape', async () => {
    const response = await request(`${server.url}/orders/42?tag=a&tag=b&q=x%20y&empty=&status=201`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Custom': ['one', 'two'],
        Cookie: 'session=abc; theme=dark',
        'User-Agent': 'tests/1.0',
        'X-Epsilon-Request-Id': 'lambda-1',
        'X-Forwarded-For': '203.0.113.7',
        'X-Forwarded-Host': 'api.example.com',
      },
      body: JSON.stringify({ quantity: 3 }),
    });
    assert.equal(response.status, 201);
    assert.equal(response.headers['x-lambda'], 'yes');
    assert.equal(response.headers['x-number'], '42');
    assert.equal(response.headers['x-epsilon-request-id'], 'lambda-1');
    const { event, context } = json(response);
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, '$default');
    assert.equal(event.rawPath, '/orders/42');
    assert.equal(event.rawQueryString, 'tag=a&tag=b&q=x%20y&empty=&status=201');
    assert.deepEqual(event.queryStringParameters, { tag: 'a,b', q: 'x y', empty: '', status: '201' });
    assert.deepEqual(event.cookies, ['session=abc', 'theme=dark']);
    assert.equal(event.headers.cookie, undefined);
    assert.equal(event.headers['x-custom'], 'one,two');
    assert.equal(event.headers['content-type'], 'application/json');
    assert.ok(Object.keys(event.headers).every((name) => name === name.toLowerCase()));
    assert.equal(event.body, '{"quantity":3}');
    assert.equal(event.isBase64Encoded, false);
    assert.equal('pathParameters' in event, false);
    assert.equal('stageVariables' in event, false);
    const rc = event.requestContext;
    assert.deepEqual(rc.http, { method: 'POST', path: '/orders/42', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'tests/1.0' });
    assert.equal(rc.requestId, 'lambda-1');
    assert.equal(rc.stage, '$default');
    assert.equal(rc.routeKey, '$default');
    assert.equal(rc.domainName, 'api.example.com');
    assert.equal(rc.domainPrefix, 'api');
    assert.match(rc.time, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    assert.ok(Math.abs(rc.timeEpoch - Date.now()) < 5000);
    assert.equal(context.awsRequestId, 'lambda-1');
    assert.equal(context.functionName, 'handler');
    assert.equal(context.callbackWaitsForEmptyEventLoop, true);
    assert.ok(context.remaining > 4000 && context.remaining <= 5000, `remaining ${context.remaining}`);
    assert.match(context.invokedFunctionArn, /:function:handler$/);
  });

  test('a GET without query, cookies or body leaves those out; binary bodies come base64-encoded', async () => {
    const { event } = json(await request(`${server.url}/`));
    assert.equal(event.rawPath, '/');
    assert.equal(event.rawQueryString, '');
    assert.equal('queryStringParameters' in event, false);
    assert.equal('cookies' in event, false);
    assert.equal('body' in event, false);
    assert.equal(event.isBase64Encoded, false);
    assert.match(event.requestContext.requestId, UUID);
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const binary = json(await request(`${server.url}/upload`, { method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, body: bytes })).event;
    assert.equal(binary.isBase64Encoded, true);
    assert.equal(binary.body, bytes.toString('base64'));
    const text = json(await request(`${server.url}/form`, { method: 'POST', headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'ünï' })).event;
    assert.equal(text.isBase64Encoded, false);
    assert.equal(text.body, 'ünï');
  });

  test('module-level state lives between calls; console lines carry the request id', async () => {
    const first = json(await request(`${server.url}/state`)).calls;
    const second = json(await request(`${server.url}/state`, { headers: { 'X-Epsilon-Request-Id': 'state-2' } })).calls;
    assert.equal(second, first + 1);
    const logged = await server.waitForLog((e) => e.message === 'lambda called /state' && e.requestId === 'state-2');
    assert.equal(logged.level, 'info');
  });

  test('a body over 6 MB is refused with 413', async () => {
    const response = await request(`${server.url}/big`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.alloc(6 * 1024 * 1024 + 1) });
    assert.equal(response.status, 413);
    assert.equal(json(response).error.code, 'PayloadTooLarge');
  });
});

describe('lambda results', { timeout: 60000 }, () => {
  test('(event, context, callback) handlers answer through the callback, errors too', async (t) => {
    const server = await lambda('withCallback');
    t.after(() => server.stop());
    const ok = await request(`${server.url}/?x=1`);
    assert.equal(ok.status, 202);
    assert.equal(ok.body.toString(), 'callback x=1');
    const failed = await request(`${server.url}/?fail=1`);
    assert.equal(failed.status, 500);
    assert.deepEqual(json(failed), { error: { code: 'FunctionError', message: 'callback failure' } });
  });

  test('a result without statusCode is a 200 JSON body: objects as JSON, strings as they are', async (t) => {
    const object = await lambda('objectResult');
    t.after(() => object.stop());
    const response = await request(`${object.url}/`);
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.deepEqual(json(response), { message: 'no statusCode', list: [1, 2] });
    const string = await lambda('stringResult');
    t.after(() => string.stop());
    const text = await request(`${string.url}/`);
    assert.equal(text.status, 200);
    assert.equal(text.headers['content-type'], 'application/json');
    assert.equal(text.body.toString(), 'just a string');
  });

  test('returning nothing answers 200 with an empty body; a sync return value is the result', async (t) => {
    const nothing = await lambda('nothing');
    t.after(() => nothing.stop());
    const empty = await request(`${nothing.url}/`);
    assert.equal(empty.status, 200);
    assert.equal(empty.body.length, 0);
    const sync = await lambda('syncResult');
    t.after(() => sync.stop());
    assert.equal((await request(`${sync.url}/`, { method: 'DELETE' })).body.toString(), 'sync DELETE');
  });

  test('context.succeed() (legacy) answers', async (t) => {
    const server = await lambda('succeed');
    t.after(() => server.stop());
    const response = await request(`${server.url}/`);
    assert.equal(response.status, 203);
    assert.equal(response.body.toString(), 'legacy');
  });

  test('isBase64Encoded bodies are decoded; cookies become one Set-Cookie each', async (t) => {
    const binary = await lambda('binary');
    t.after(() => binary.stop());
    const png = await request(`${binary.url}/`);
    assert.equal(png.headers['content-type'], 'image/png');
    assert.deepEqual([...png.body], [0x89, 0x50, 0x4e, 0x47, 0, 255]);
    const cookies = await lambda('cookies');
    t.after(() => cookies.stop());
    const response = await request(`${cookies.url}/`);
    assert.deepEqual(response.headers['set-cookie'], ['a=1; Path=/', 'b=2; Expires=Wed, 21 Oct 2037 07:28:00 GMT']);
    assert.equal(response.body.toString(), 'with cookies');
  });

  test('a throw is a 500 FunctionError; an invalid statusCode too; the process lives on', async (t) => {
    const server = await lambda('fails');
    t.after(() => server.stop());
    const response = await request(`${server.url}/`, { headers: { 'X-Epsilon-Request-Id': 'boom-1' } });
    assert.equal(response.status, 500);
    assert.deepEqual(json(response), { error: { code: 'FunctionError', message: 'lambda boom' } });
    assert.equal(response.headers['x-epsilon-request-id'], 'boom-1');
    const logged = await server.waitForLog((e) => e.level === 'error' && /lambda boom/.test(e.message));
    assert.equal(logged.requestId, 'boom-1');
    assert.equal((await request(`${server.url}/`)).status, 500);
    const bad = await lambda('badStatus');
    t.after(() => bad.stop());
    assert.match(json(await request(`${bad.url}/`)).error.message, /statusCode "teapot"/);
  });

  test('past the timeout: 504 FunctionTimedOut', async (t) => {
    const server = await lambda('slow', { EPSILON_TIMEOUT_MS: '300' });
    t.after(() => server.stop());
    assert.equal((await request(`${server.url}/?ms=10`)).status, 200);
    const response = await request(`${server.url}/?ms=3000`);
    assert.equal(response.status, 504);
    assert.equal(response.headers['x-epsilon-timed-out'], 'true');
    assert.equal(json(response).error.code, 'FunctionTimedOut');
  });

  test('an ES module lambda (.js under "type": "module") with its own imports', async (t) => {
    const server = await startServer({ dir: path.join(DIR, 'esm'), file: 'handler.js', exportName: 'handler' });
    t.after(() => server.stop());
    assert.match(readyLine(server), /style lambda \(detected\)/);
    assert.equal((await request(`${server.url}/?name=esm`)).body.toString(), 'hello, esm (esm)');
  });
});

describe('workers style', { timeout: 60000 }, () => {
  let server;
  before(async () => {
    server = await startServer({ dir: DIR, file: 'workers.mjs', exportName: 'default', name: 'worker', env: { API_KEY: 'k-123', EPSILON_TIMEOUT_MS: '2000' } });
  });
  after(() => server.stop());

  test('export default { fetch } of an ES module is detected as workers', () => {
    assert.match(readyLine(server), /\(workers\.mjs, export 'default', style workers \(detected\), timeout 2000 ms\)/);
  });

  test('a WHATWG Request in, the Response out: method, url, query, headers, body, status', async () => {
    const response = await request(`${server.url}/items/7?sort=asc&status=201`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'text/plain', 'X-Custom': 'v', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'fn.example.com' },
      body: 'patch body',
    });
    assert.equal(response.status, 201);
    assert.equal(response.headers['x-workers'], 'yes');
    assert.match(response.headers['content-type'], /^application\/json/);
    assert.ok(response.headers['x-epsilon-request-id']);
    const seen = json(response);
    assert.equal(seen.method, 'PATCH');
    assert.equal(seen.url, 'https://fn.example.com/items/7?sort=asc&status=201');
    assert.equal(seen.path, '/items/7');
    assert.deepEqual(seen.query, { sort: 'asc', status: '201' });
    assert.equal(seen.headers['x-custom'], 'v');
    assert.equal(seen.body, 'patch body');
    assert.equal(seen.thisGreeting, 'hello'); // fetch is called as a method of the export
    assert.deepEqual(seen.ctx, ['passThroughOnException', 'waitUntil']);
  });

  test('env holds the function\'s variables, not EPSILON_* nor the system\'s', async () => {
    const { env } = json(await request(`${server.url}/`));
    assert.equal(env.API_KEY, 'k-123');
    assert.ok(Object.keys(env).every((name) => !name.startsWith('EPSILON_')), Object.keys(env).join());
    for (const name of ['PATH', 'HOME', 'PORT', 'NODE_OPTIONS']) assert.equal(env[name], undefined, name);
  });

  test('module state persists; a GET has no body', async () => {
    const a = json(await request(`${server.url}/`));
    const b = json(await request(`${server.url}/`));
    assert.equal(b.calls, a.calls + 1);
    assert.equal(a.body, '');
  });

  test('a streamed body arrives whole; Set-Cookie headers stay apart; redirects keep their status', async () => {
    const streamed = await request(`${server.url}/stream`);
    assert.equal(streamed.status, 200);
    assert.equal(streamed.body.toString(), 'one two three');
    const cookies = await request(`${server.url}/cookies`);
    assert.deepEqual(cookies.headers['set-cookie'], ['a=1; Path=/', 'b=2; Expires=Wed, 21 Oct 2037 07:28:00 GMT']);
    const redirect = await request(`${server.url}/redirect`);
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.location, 'https://example.com/elsewhere');
  });

  test('ctx.waitUntil work runs after the answer, in the call\'s log context', async () => {
    const response = await request(`${server.url}/wait-until?tag=w1`, { headers: { 'X-Epsilon-Request-Id': 'wait-1' } });
    assert.equal(response.status, 202);
    assert.equal(response.body.toString(), 'answered first');
    const logged = await server.waitForLog((e) => e.message === 'waitUntil done w1');
    assert.equal(logged.requestId, 'wait-1');
  });

  test('a throw (even after passThroughOnException) and a non-Response are 500 FunctionError', async () => {
    const thrown = await request(`${server.url}/throw`);
    assert.equal(thrown.status, 500);
    assert.deepEqual(json(thrown), { error: { code: 'FunctionError', message: 'workers boom' } });
    const notResponse = await request(`${server.url}/not-response`);
    assert.equal(notResponse.status, 500);
    assert.match(json(notResponse).error.message, /expected a Response/);
  });

  test('past the timeout: 504', async () => {
    const response = await request(`${server.url}/slow?ms=5000`);
    assert.equal(response.status, 504);
    assert.equal(response.headers['x-epsilon-timed-out'], 'true');
    assert.equal((await request(`${server.url}/slow?ms=1`)).status, 200);
  });
});

describe('plain style', { timeout: 60000 }, () => {
  let server;
  before(async () => {
    server = await startServer({ dir: DIR, file: 'plain.js', exportName: 'default', name: 'plain', env: { EPSILON_TIMEOUT_MS: '500' } });
  });
  after(() => server.stop());

  test('module.exports = (req, res) => ... is detected as plain', () => {
    assert.match(readyLine(server), /\(plain\.js, export 'default', style plain \(detected\), timeout 500 ms\)/);
  });

  test("node's own req and res: url relative with its query, headers, the body stream, status", async () => {
    const response = await request(`${server.url}/a/b?x=1&status=418`, { method: 'POST', headers: { 'Content-Type': 'text/plain', 'X-Custom': 'c' }, body: 'raw body' });
    assert.equal(response.status, 418);
    assert.equal(response.headers['x-plain'], 'yes');
    assert.ok(response.headers['x-epsilon-request-id']);
    const seen = json(response);
    assert.equal(seen.url, '/a/b?x=1&status=418');
    assert.equal(seen.method, 'POST');
    assert.equal(seen.headers['x-custom'], 'c');
    assert.equal(seen.body, 'raw body');
    assert.equal(seen.express, false);
    assert.equal(seen.incomingMessage, 'IncomingMessage');
  });

  test('a synchronous throw is a 500; no answer within the timeout a 504; the process lives on', async () => {
    const thrown = await request(`${server.url}/throw`);
    assert.equal(thrown.status, 500);
    assert.deepEqual(json(thrown), { error: { code: 'FunctionError', message: 'plain boom' } });
    const slow = await request(`${server.url}/slow`);
    assert.equal(slow.status, 504);
    assert.equal((await request(`${server.url}/ok`)).status, 200);
  });

  test('a rejected promise of an async handler is a 500 (named export with style plain)', async (t) => {
    const rejects = await startServer({ dir: DIR, file: 'plain.js', exportName: 'rejects', env: { EPSILON_STYLE: 'plain' } });
    t.after(() => rejects.stop());
    assert.match(readyLine(rejects), /style plain,/);
    const response = await request(`${rejects.url}/`);
    assert.equal(response.status, 500);
    assert.equal(json(response).error.message, 'plain async boom');
  });

  test('an ES module default export (req, res) is plain', async (t) => {
    const esm = await startServer({ dir: path.join(DIR, 'esm'), file: 'handler.js', exportName: 'default' });
    t.after(() => esm.stop());
    assert.equal((await request(`${esm.url}/`)).body.toString(), 'hello, plain (esm)');
  });
});
