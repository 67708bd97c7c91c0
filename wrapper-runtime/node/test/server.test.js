'use strict';
// server.js as the gateway sees it: a child process on a free port, serving fixture functions.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer, runCheck, functionDir, request, FIXTURES } = require('./helpers');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function json(response) {
  return JSON.parse(response.body.toString('utf8'));
}

describe('ready endpoint', { timeout: 60000 }, () => {
  let server;
  before(async () => { server = await startServer({ exportName: 'echo', name: 'echo-fn' }); });
  after(() => server.stop());

  test('answers 200 JSON with the function and its timeout', async () => {
    const response = await request(`${server.url}/_epsilon/ready`);
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type'], /^application\/json/);
    assert.deepEqual(json(response), { status: 'ready', function: 'echo-fn', timeoutMs: 15000 });
  });

  test('answers fast (it is polled every few ms during cold start)', async () => {
    const started = performance.now();
    for (let i = 0; i < 20; i += 1) assert.equal((await request(`${server.url}/_epsilon/ready`)).status, 200);
    const each = (performance.now() - started) / 20;
    assert.ok(each < 50, `ready took ${each.toFixed(1)} ms per call`);
  });

  test('the ready log line says how long the start took', () => {
    const line = server.logs.find((e) => / ready on /.test(e.message || ''));
    assert.equal(line.level, 'info');
    assert.equal(line.function, 'echo-fn');
    assert.equal(line.requestId, null);
    assert.match(line.message, /ready on 0\.0\.0\.0:\d+ \d+ ms after process start/);
  });
});

describe('calls', { timeout: 60000 }, () => {
  let server;
  before(async () => { server = await startServer({ exportName: 'echo' }); });
  after(() => server.stop());

  test('method, path, query, headers and JSON body reach the function; its status and headers come back', async () => {
    const response = await request(`${server.url}/orders/42/items?expand=true&tag=a&tag=b&filter[size]=xl`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'X-Custom': 'custom value', Authorization: 'Bearer t' },
      body: JSON.stringify({ quantity: 3, note: 'ünïcode' }),
    });
    assert.equal(response.status, 201);
    assert.equal(response.headers['x-echo'], 'yes');
    assert.equal(response.headers['x-powered-by'], undefined);
    const seen = json(response);
    assert.equal(seen.method, 'PUT');
    assert.equal(seen.path, '/orders/42/items');
    assert.equal(seen.url, '/orders/42/items?expand=true&tag=a&tag=b&filter[size]=xl');
    assert.deepEqual(seen.query, { expand: 'true', tag: ['a', 'b'], filter: { size: 'xl' } });
    assert.equal(seen.headers['x-custom'], 'custom value');
    assert.equal(seen.headers.authorization, 'Bearer t');
    assert.equal(seen.bodyType, 'object');
    assert.deepEqual(seen.body, { quantity: 3, note: 'ünïcode' });
    assert.equal(seen.cwd, FIXTURES);
  });

  for (const method of ['GET', 'POST', 'DELETE', 'PATCH', 'OPTIONS']) {
    test(`${method} goes to the function`, async () => {
      const response = await request(`${server.url}/any/path`, { method });
      assert.equal(response.status, 201);
      assert.equal(json(response).method, method);
    });
  }

  test('HEAD goes to the function too (no body comes back)', async () => {
    const response = await request(`${server.url}/x`, { method: 'HEAD' });
    assert.equal(response.status, 201);
    assert.equal(response.body.length, 0);
  });

  test('bodies: JSON values, +json, text, form fields, raw bytes', async () => {
    const cases = [
      [{ 'Content-Type': 'application/json' }, '"just a string"', 'string', 'just a string'],
      [{ 'Content-Type': 'application/json; charset=utf-8' }, '[1,2]', 'object', [1, 2]],
      [{ 'Content-Type': 'application/vnd.api+json' }, '{"a":1}', 'object', { a: 1 }],
      [{ 'Content-Type': 'text/plain' }, 'plain text', 'string', 'plain text'],
      [{ 'Content-Type': 'text/csv; charset=utf-8' }, 'a,b\n1,2', 'string', 'a,b\n1,2'],
      [{ 'Content-Type': 'application/x-www-form-urlencoded' }, 'a=1&b=two&c[d]=3', 'object', { a: '1', b: 'two', c: { d: '3' } }],
      [{ 'Content-Type': 'application/octet-stream' }, Buffer.from([0, 1, 2, 255]), 'buffer', Buffer.from([0, 1, 2, 255]).toString('base64')],
      [{ 'Content-Type': 'image/png' }, Buffer.from('png'), 'buffer', Buffer.from('png').toString('base64')],
      [{}, Buffer.from('no type'), 'buffer', Buffer.from('no type').toString('base64')],
    ];
    for (const [headers, body, bodyType, expected] of cases) {
      const seen = json(await request(`${server.url}/body`, { method: 'POST', headers, body }));
      assert.equal(seen.bodyType, bodyType, JSON.stringify(headers));
      assert.deepEqual(seen.body, expected, JSON.stringify(headers));
    }
  });

  test('a request without a body gets req.body = {} (as with express.json)', async () => {
    const seen = json(await request(`${server.url}/`));
    assert.equal(seen.bodyType, 'object');
    assert.deepEqual(seen.body, {});
  });

  test('a 6 MB body passes; a larger one is refused with 413 JSON', async () => {
    const limit = 6 * 1024 * 1024;
    const ok = await request(`${server.url}/big`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.alloc(limit, 1) });
    assert.equal(ok.status, 201);
    assert.equal(json(ok).bodyLength, limit);
    const tooBig = await request(`${server.url}/big`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.alloc(limit + 1, 1) });
    assert.equal(tooBig.status, 413);
    assert.equal(json(tooBig).error.code, 'PayloadTooLarge');
    assert.ok(tooBig.headers['x-epsilon-request-id']);
  });

  test('invalid JSON is refused with 400 JSON', async () => {
    const response = await request(`${server.url}/`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{oops' });
    assert.equal(response.status, 400);
    assert.equal(json(response).error.code, 'InvalidRequestBody');
  });

  test('the request id is kept when given and generated when not, and echoed', async () => {
    const given = await request(`${server.url}/`, { headers: { 'X-Epsilon-Request-Id': 'req-123' } });
    assert.equal(given.headers['x-epsilon-request-id'], 'req-123');
    assert.equal(json(given).headers['x-epsilon-request-id'], 'req-123');
    const generated = await request(`${server.url}/`);
    assert.match(generated.headers['x-epsilon-request-id'], UUID);
  });

  test('keep-alive connections are kept longer than the gateway keeps idle ones (30 s)', async () => {
    const response = await request(`${server.url}/`, { headers: { Connection: 'keep-alive' } });
    assert.match(response.headers['keep-alive'], /timeout=65/);
  });
});

describe('answers the function did not give', { timeout: 60000 }, () => {
  test('returning without sending answers 200 OK (async handler)', async (t) => {
    const server = await startServer({ exportName: 'silent' });
    t.after(() => server.stop());
    const response = await request(`${server.url}/`);
    assert.equal(response.status, 200);
    assert.equal(response.body.toString(), 'OK');
    assert.match(response.headers['content-type'], /^text\/plain/);
  });

  test('returning without sending answers 200 OK (sync handler), keeping headers it set', async (t) => {
    const server = await startServer({ exportName: 'silentSync' });
    t.after(() => server.stop());
    const response = await request(`${server.url}/`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
    assert.equal(response.status, 200);
    assert.equal(response.body.toString(), 'OK');
    assert.equal(response.headers['x-kept'], 'yes');
  });
});

describe('errors', { timeout: 60000 }, () => {
  test('a rejected promise answers 500 JSON, is logged with its stack, and the process lives on', async (t) => {
    const server = await startServer({ exportName: 'fail' });
    t.after(() => server.stop());
    const response = await request(`${server.url}/?why=disk%20full`, { headers: { 'X-Epsilon-Request-Id': 'err-1' } });
    assert.equal(response.status, 500);
    assert.deepEqual(json(response), { error: { code: 'FunctionError', message: 'boom: disk full' } });
    assert.equal(response.headers['x-epsilon-request-id'], 'err-1');
    const logged = await server.waitForLog((e) => e.level === 'error' && /boom: disk full/.test(e.message));
    assert.equal(logged.requestId, 'err-1');
    assert.match(logged.message, /at .*functions\.js:\d+/); // the stack
    const next = await request(`${server.url}/?ok=1`);
    assert.equal(next.status, 200);
    assert.equal(server.child.exitCode, null);
  });

  test('a synchronous throw answers 500 without the headers the handler had set', async (t) => {
    const server = await startServer({ exportName: 'failSync' });
    t.after(() => server.stop());
    const response = await request(`${server.url}/`);
    assert.equal(response.status, 500);
    assert.deepEqual(json(response), { error: { code: 'FunctionError', message: 'sync boom' } });
    assert.equal(response.headers['x-leak'], undefined);
    assert.equal((await request(`${server.url}/`)).status, 500); // and again: still alive
  });

  test('an error after the headers went out cuts the response; the process lives on', async (t) => {
    const server = await startServer({ exportName: 'failAfterHeaders' });
    t.after(() => server.stop());
    const response = await request(`${server.url}/`);
    assert.ok(response.error, 'the response must be incomplete');
    await server.waitForLog((e) => e.level === 'error' && /broke mid-stream/.test(e.message));
    assert.ok((await request(`${server.url}/_epsilon/ready`)).status === 200);
  });

  test('uncaught exceptions and unhandled rejections are logged and do not kill the process', async (t) => {
    const server = await startServer({ exportName: 'background' });
    t.after(() => server.stop());
    assert.equal((await request(`${server.url}/?kind=throw`)).status, 200);
    await server.waitForLog((e) => e.level === 'error' && /uncaught exception.*thrown in a timer/s.test(e.message));
    assert.equal((await request(`${server.url}/?kind=reject`)).status, 200);
    await server.waitForLog((e) => e.level === 'error' && /unhandled promise rejection.*rejected, nobody listening/s.test(e.message));
    assert.equal((await request(`${server.url}/`)).status, 200);
    assert.equal(server.child.exitCode, null);
  });

  test('process.exit() in the function exits the process', async (t) => {
    const server = await startServer({ exportName: 'exit' });
    t.after(() => server.stop());
    const response = await request(`${server.url}/`);
    assert.ok(response.error, 'no answer');
    const { code } = await server.exited;
    assert.equal(code, 3);
    assert.ok(server.logs.some((e) => e.level === 'warn' && /exiting with code 3/.test(e.message)));
  });

  test('a function that cannot load stops the server at start with the check message', async () => {
    await assert.rejects(startServer({ file: 'no-definition.js', exportName: 'hello' }),
      /export 'hello' of 'no-definition\.js' has no 'definition' function/);
  });
});

describe('timeout', { timeout: 60000 }, () => {
  let server;
  before(async () => { server = await startServer({ exportName: 'slow' }); }); // config.timeout 300 ms
  after(() => server.stop());

  test('the config timeout is reported by ready', async () => {
    assert.equal(json(await request(`${server.url}/_epsilon/ready`)).timeoutMs, 300);
  });

  test('a call within the timeout answers normally', async () => {
    const response = await request(`${server.url}/?ms=50`);
    assert.equal(response.status, 200);
    assert.deepEqual(json(response), { slept: 50 });
  });

  test('past the timeout: 504 JSON with X-Epsilon-Timed-Out, soon after the timeout, logged', async () => {
    const started = performance.now();
    const response = await request(`${server.url}/?ms=5000`, { headers: { 'X-Epsilon-Request-Id': 'slow-1' } });
    const elapsed = performance.now() - started;
    assert.equal(response.status, 504);
    assert.equal(response.headers['x-epsilon-timed-out'], 'true');
    assert.equal(response.headers['x-epsilon-request-id'], 'slow-1');
    assert.deepEqual(json(response), { error: { code: 'FunctionTimedOut', message: "function 'slow' did not answer within 300 ms" } });
    assert.ok(elapsed >= 295 && elapsed < 300 + 250, `answered after ${elapsed.toFixed(0)} ms`);
    const logged = await server.waitForLog((e) => e.requestId === 'slow-1' && /did not answer within 300 ms/.test(e.message));
    assert.equal(logged.level, 'error');
  });

  test('the process still serves after a timeout', async () => {
    assert.equal((await request(`${server.url}/?ms=1`)).status, 200);
  });

  test('past the timeout after headers went out, the connection is cut', async (t) => {
    const streaming = await startServer({ exportName: 'stream' }); // config.timeout 300 ms
    t.after(() => streaming.stop());
    const started = performance.now();
    const response = await request(`${streaming.url}/?ms=5000`);
    assert.equal(response.status, 200);
    assert.ok(response.error, 'the response must be incomplete');
    assert.ok(performance.now() - started < 300 + 250);
    const ok = await request(`${streaming.url}/?ms=10`);
    assert.equal(ok.body.toString(), 'start end');
  });

  test('EPSILON_TIMEOUT_MS overrides config.timeout', async (t) => {
    const overridden = await startServer({ exportName: 'slow', env: { EPSILON_TIMEOUT_MS: '1000' } });
    t.after(() => overridden.stop());
    assert.equal(json(await request(`${overridden.url}/_epsilon/ready`)).timeoutMs, 1000);
    assert.equal((await request(`${overridden.url}/?ms=500`)).status, 200); // past the config's 300 ms
    const started = performance.now();
    const response = await request(`${overridden.url}/?ms=5000`);
    const elapsed = performance.now() - started;
    assert.equal(response.status, 504);
    assert.match(json(response).error.message, /within 1000 ms/);
    assert.ok(elapsed >= 995 && elapsed < 1000 + 250, `answered after ${elapsed.toFixed(0)} ms`);
  });

  test('without config.timeout the default is 15000 ms', async (t) => {
    const defaulted = await startServer({ exportName: 'defaultTimeout' });
    t.after(() => defaulted.stop());
    assert.equal(json(await request(`${defaulted.url}/_epsilon/ready`)).timeoutMs, 15000);
  });

  test('an invalid EPSILON_TIMEOUT_MS stops the server at start', async () => {
    await assert.rejects(startServer({ exportName: 'slow', env: { EPSILON_TIMEOUT_MS: 'soon' } }), /EPSILON_TIMEOUT_MS 'soon'/);
  });
});

describe('state and logs', { timeout: 60000 }, () => {
  test('module-level state survives between calls to the same process', async (t) => {
    const server = await startServer({ exportName: 'counter' });
    t.after(() => server.stop());
    const seen = [];
    for (let i = 0; i < 3; i += 1) seen.push(json(await request(`${server.url}/`)));
    assert.deepEqual(seen.map((s) => s.calls), [1, 2, 3]);
    assert.equal(new Set(seen.map((s) => s.pid)).size, 1);
  });

  test('every console call is one JSON line with level, function and the right request id, under concurrency', async (t) => {
    const server = await startServer({ exportName: 'logs', name: 'logger' });
    t.after(() => server.stop());
    const tags = Array.from({ length: 12 }, (_, i) => `tag${i}`);
    // Random delays interleave the calls' log lines.
    const responses = await Promise.all(tags.map((tag, i) => request(`${server.url}/?tag=${tag}&ms=${(i * 7) % 25}`,
      i % 3 === 0 ? {} : { headers: { 'X-Epsilon-Request-Id': `id-${tag}` } })));
    const idOf = new Map();
    for (const [i, response] of responses.entries()) {
      assert.equal(response.status, 200);
      const id = response.headers['x-epsilon-request-id'];
      if (i % 3 === 0) assert.match(id, UUID);
      else assert.equal(id, `id-${tags[i]}`);
      idOf.set(tags[i], id);
    }
    await server.waitForLog((e) => e.message === 'timer tag11');
    for (const entry of server.logs) {
      assert.equal(entry.notJson, undefined, `not JSON: ${entry.notJson}`);
      assert.deepEqual(Object.keys(entry), ['time', 'level', 'function', 'requestId', 'message']);
      assert.equal(entry.function, 'logger');
      assert.ok(!Number.isNaN(Date.parse(entry.time)));
    }
    for (const tag of tags) {
      const lines = server.logs.filter((e) => new RegExp(`\\b${tag}\\b`).test(e.message));
      assert.deepEqual(lines.map((e) => [e.level, e.message]), [
        ['info', `start ${tag}`],
        ['info', `info ${tag} { n: 1 }`],
        ['warn', `warn ${tag}`],
        ['error', `err ${tag}`],
        ['debug', `debug ${tag}`],
        ['info', `timer ${tag}`],
      ]);
      for (const line of lines) assert.equal(line.requestId, idOf.get(tag), `${line.message} attributed to ${line.requestId}`);
    }
  });
});

describe('process', { timeout: 60000 }, () => {
  test('SIGTERM stops the server promptly', async () => {
    const server = await startServer({ exportName: 'echo' });
    const started = performance.now();
    server.child.kill('SIGTERM');
    const { code } = await server.exited;
    assert.equal(code, 0);
    assert.ok(performance.now() - started < 1000);
  });

  test('with the module cache written by check.js the server starts and serves the same', async (t) => {
    const dir = functionDir({});
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'modules.bin');
    const check = runCheck({ file: 'functions.js', exportName: 'echo', env: { EPSILON_MODULE_CACHE: file } });
    assert.equal(check.status, 0, check.stderr);
    const server = await startServer({ exportName: 'echo', env: { EPSILON_MODULE_CACHE: file } });
    t.after(() => server.stop());
    const ready = server.logs.find((e) => / ready on /.test(e.message || ''));
    assert.match(ready.message, /module cache \d+ files\/\d+ paths\)$/); // used, nothing rejected
    const response = await request(`${server.url}/p?q=1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' });
    assert.equal(response.status, 201);
    assert.deepEqual(json(response).body, { a: 1 });
  });
});
