'use strict';
// Shared by the tests: starts src/server.js as a child process on a free port and collects its JSON log lines.
// (node --test runs every .js under test/; this file only defines functions.)

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const SERVER = path.join(ROOT, 'src', 'server.js');
const CHECK = path.join(ROOT, 'src', 'check.js');
const FIXTURES = path.join(__dirname, 'fixtures');

/** The environment of a wrapper process: the test's own, minus anything EPSILON_, plus the given values. */
function wrapperEnv(values) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('EPSILON_') && key !== 'PORT' && key !== 'NODE_OPTIONS') env[key] = value;
  }
  return { ...env, EPSILON_MODULE_CACHE: 'off', ...values };
}

/**
 * Starts the server for one export. Resolves once it logged that it is ready (it listens on PORT=0, so the
 * port comes from that line). Returns { url, port, child, logs, stderr, exited, waitForLog, stop }.
 */
async function startServer({ dir = FIXTURES, file = 'functions.js', exportName, name = exportName, env = {} } = {}) {
  const child = spawn(process.execPath, [SERVER], {
    cwd: ROOT,
    env: wrapperEnv({
      PORT: '0',
      EPSILON_FUNCTION_DIR: dir,
      EPSILON_HANDLER_FILE: file,
      EPSILON_HANDLER_EXPORT: exportName,
      EPSILON_FUNCTION_NAME: name,
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs = [];
  const waiters = new Set();
  let buffered = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        entry = { notJson: line };
      }
      logs.push(entry);
      for (const waiter of waiters) waiter();
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  exited.then(() => { for (const waiter of waiters) waiter(); });

  /** Resolves with the first log entry matching predicate (already logged or to come); rejects after ms. */
  function waitForLog(predicate, ms = 5000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = logs.find(predicate);
        if (found) {
          done();
          resolve(found);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          done();
          reject(new Error(`server exited before the expected log line; logs: ${JSON.stringify(logs)} stderr: ${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching log line within ${ms} ms; logs: ${JSON.stringify(logs)} stderr: ${stderr}`));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  }

  const ready = await waitForLog((e) => typeof e.message === 'string' && / ready on 0\.0\.0\.0:\d+/.test(e.message), 10000);
  const port = Number(/ready on 0\.0\.0\.0:(\d+)/.exec(ready.message)[1]);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    logs,
    get stderr() { return stderr; },
    exited,
    waitForLog,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs check.js for one export; returns { status, stdout, stderr }. */
function runCheck({ dir = FIXTURES, file, exportName, name = 'hello', env = {} }) {
  const result = spawnSync(process.execPath, [CHECK], {
    cwd: ROOT,
    env: wrapperEnv({ EPSILON_FUNCTION_DIR: dir, EPSILON_HANDLER_FILE: file, EPSILON_HANDLER_EXPORT: exportName, EPSILON_FUNCTION_NAME: name, ...env }),
    encoding: 'utf8',
    timeout: 15000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A function folder in a temporary directory with the given files ({ 'index.js': '...' }). */
function functionDir(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'epsilon-node-test-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** One request with node's http (no keep-alive, no body decoding): { status, headers, body: Buffer, error }. */
function request(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (error) => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), error }));
      res.on('aborted', () => {});
    });
    req.on('error', (error) => resolve({ error }));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

module.exports = { startServer, runCheck, functionDir, wrapperEnv, request, FIXTURES, ROOT, SERVER, CHECK };
