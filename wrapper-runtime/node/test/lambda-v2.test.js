'use strict';
// The shared golden cases of wrapper-runtime/fixtures/lambda-v2 (see its README) against the lambda style: each case's
// request sent byte for byte to server.js, the event the handler was given compared with the case's, and each case's
// result compared with the answer the wrapper sends for it.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { startServer, FIXTURES } = require('./helpers');

const CASES = path.resolve(__dirname, '..', '..', 'fixtures', 'lambda-v2');
const cases = fs.readdirSync(CASES).filter((f) => f.endsWith('.json')).sort()
  .map((file) => ({ name: file.slice(0, -5), ...JSON.parse(fs.readFileSync(path.join(CASES, file), 'utf8')) }));

/** Where actual differs from the case's expected value, as "path: what" lines (empty when it matches). */
function mismatches(expected, actual, where = '$') {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    const keys = Object.keys(expected);
    if (keys.length === 1 && keys[0] === '$any') {
      return typeOf(actual) === expected.$any ? [] : [`${where}: expected any ${expected.$any}, got ${JSON.stringify(actual)}`];
    }
    if (keys.length === 1 && keys[0] === '$regex') {
      return typeof actual === 'string' && new RegExp(expected.$regex).test(actual)
        ? [] : [`${where}: expected a string matching ${expected.$regex}, got ${JSON.stringify(actual)}`];
    }
    if (typeOf(actual) !== 'object') return [`${where}: expected an object, got ${JSON.stringify(actual)}`];
    const found = [];
    for (const key of new Set([...keys, ...Object.keys(actual)])) {
      if (!(key in actual)) found.push(`${where}.${key}: missing`);
      else if (!(key in expected)) found.push(`${where}.${key}: not expected, got ${JSON.stringify(actual[key])}`);
      else found.push(...mismatches(expected[key], actual[key], `${where}.${key}`));
    }
    return found;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [`${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
    return expected.flatMap((item, i) => mismatches(item, actual[i], `${where}[${i}]`));
  }
  return expected === actual ? [] : [`${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

function typeOf(value) {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function bodyOf(body) {
  if (body === null || body === undefined) return Buffer.alloc(0);
  return 'base64' in body ? Buffer.from(body.base64, 'base64') : Buffer.from(body.text, 'utf8');
}

/** Sends raw bytes on a new connection; resolves with { status, headers: [[lower-case name, value]], body }. */
function exchange(port, bytes) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let settled = false;
    const finish = (error, value) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (error) reject(error); else resolve(value);
    };
    const parse = (ended) => {
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) {
        if (ended) finish(new Error(`connection closed before the answer's headers: ${JSON.stringify(data.toString('latin1'))}`));
        return;
      }
      const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
      const headers = lines.map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).trim().toLowerCase(), Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8')];
      });
      const status = Number(statusLine.split(' ')[1]);
      const length = headers.find(([name]) => name === 'content-length');
      const body = data.subarray(end + 4);
      if (length && body.length >= Number(length[1])) finish(null, { status, headers, body: body.subarray(0, Number(length[1])) });
      else if (!length && (status === 204 || status === 304)) finish(null, { status, headers, body: Buffer.alloc(0) });
      else if (ended) finish(null, { status, headers, body });
    };
    socket.on('data', (chunk) => { data = Buffer.concat([data, chunk]); parse(false); });
    socket.on('end', () => parse(true));
    socket.on('error', (error) => finish(error));
    socket.setTimeout(10000, () => finish(new Error('no answer within 10 s')));
    socket.write(bytes);
  });
}

function requestBytes({ method, target, headers, body }) {
  const head = `${method} ${target} HTTP/1.1\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'utf8'), bodyOf(body)]);
}

describe('lambda style: the shared API Gateway v2 cases (wrapper-runtime/fixtures/lambda-v2)', { timeout: 60000 }, () => {
  let server;
  before(async () => { server = await startServer({ file: 'lambda-v2.js', exportName: 'handler', name: 'fixtures' }); });
  after(() => server.stop());

  test('there are cases', () => assert.ok(cases.length >= 5, `${cases.length} cases in ${CASES}`));

  for (const c of cases.filter((x) => x.request)) {
    test(`${c.name}: the event`, async () => {
      const answer = await exchange(server.port, requestBytes(c.request));
      assert.equal(answer.status, 200, answer.body.toString('utf8'));
      assert.deepEqual(mismatches(c.event, JSON.parse(answer.body.toString('utf8'))), [], c.description);
    });
  }

  for (const c of cases.filter((x) => 'result' in x)) {
    test(`${c.name}: the answer to the result`, async () => {
      const json = Buffer.from(JSON.stringify(c.result), 'utf8');
      const answer = await exchange(server.port, requestBytes({
        method: 'POST',
        target: '/respond',
        headers: [['Host', 'fixtures'], ['Content-Type', 'application/json'], ['Content-Length', String(json.length)], ['Connection', 'close']],
        body: { base64: json.toString('base64') },
      }));
      assert.equal(answer.status, c.response.status, answer.body.toString('utf8'));
      for (const [name, value] of Object.entries(c.response.headers || {})) {
        const lines = answer.headers.filter(([n]) => n === name.toLowerCase()).map(([, v]) => v);
        assert.deepEqual(lines, Array.isArray(value) ? value : [value], `header ${name}`);
      }
      const { body } = c.response;
      if ('json' in body) assert.deepEqual(JSON.parse(answer.body.toString('utf8')), body.json);
      else assert.equal(answer.body.toString('base64'), bodyOf(body).toString('base64'));
    });
  }
});
