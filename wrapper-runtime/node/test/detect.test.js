'use strict';
// Style detection and the deploy-time errors of check.js for the four styles, ES modules and the function's own
// dependencies.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { runCheck, startServer, functionDir, request, FIXTURES } = require('./helpers');

const STYLES_DIR = path.join(FIXTURES, 'styles');

function ok(result) {
  assert.equal(result.status, 0, `stdout: ${result.stdout}; stderr: ${result.stderr}`);
  assert.equal(result.stderr, '');
  return result.stdout.trim();
}

/** The one line check.js printed on stderr (and there must be exactly one). */
function failureLine(result) {
  assert.equal(result.status, 1, `expected exit 1, got ${result.status}; stdout: ${result.stdout}; stderr: ${result.stderr}`);
  const lines = result.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `expected one line on stderr, got: ${result.stderr}`);
  assert.match(lines[0], /^epsilon: /);
  return lines[0];
}

function withDir(files, body) {
  const dir = functionDir(files);
  try {
    return body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('detection: definition -> spec, fetch -> workers, export handler -> lambda, (req, res) -> plain', () => {
  const cases = [
    [FIXTURES, 'functions.js', 'echo', 'spec'],
    [STYLES_DIR, 'workers.mjs', 'default', 'workers'],
    [STYLES_DIR, 'lambda.js', 'handler', 'lambda'],
    [STYLES_DIR, 'plain.js', 'default', 'plain'],
    [STYLES_DIR, 'plain.js', 'rejects', 'plain'], // async (req, res): arity 2
    [path.join(STYLES_DIR, 'esm'), 'handler.js', 'handler', 'lambda'],
    [path.join(STYLES_DIR, 'esm'), 'handler.js', 'default', 'plain'],
  ];
  for (const [dir, file, exportName, style] of cases) {
    const line = ok(runCheck({ dir, file, exportName }));
    assert.match(line, new RegExp(`ok \\(${file.replace('.', '\\.')}, export '${exportName}', style ${style} \\(detected\\), timeout 15000 ms`), line);
  }
});

test('a function of arity 2 exported as handler is lambda; style: overrides detection', () => {
  withDir({ 'index.js': 'exports.handler = (req, res) => res.end("plain after all");\nexports.main = async (event, context) => ({ statusCode: 200 });\n' }, (dir) => {
    assert.match(ok(runCheck({ dir, file: 'index.js', exportName: 'handler' })), /style lambda \(detected\)/);
    assert.match(ok(runCheck({ dir, file: 'index.js', exportName: 'handler', env: { EPSILON_STYLE: 'plain' } })), /style plain, /);
    assert.match(ok(runCheck({ dir, file: 'index.js', exportName: 'main' })), /style plain \(detected\)/);
    assert.match(ok(runCheck({ dir, file: 'index.js', exportName: 'main', env: { EPSILON_STYLE: 'lambda' } })), /style lambda, /);
  });
});

test('a function whose arity does not tell its style asks for style:', () => {
  const line = failureLine(runCheck({ dir: STYLES_DIR, file: 'plain.js', exportName: 'oneParameter' }));
  assert.equal(line, "epsilon: function 'hello': export 'oneParameter' of 'plain.js' is a function of 1 parameter, which does not tell "
    + "its style: export a Lambda handler as 'handler' or set style: lambda ((event, context) => response), or set style: plain "
    + '((req, res) => {...}) in epsilon.yaml');
  assert.match(ok(runCheck({ dir: STYLES_DIR, file: 'plain.js', exportName: 'oneParameter', env: { EPSILON_STYLE: 'lambda' } })), /style lambda,/);
});

test('an unknown style is refused with the known ones', () => {
  const line = failureLine(runCheck({ file: 'functions.js', exportName: 'echo', env: { EPSILON_STYLE: 'express' } }));
  assert.equal(line, "epsilon: function 'hello': unknown style 'express'; expected one of spec, lambda, workers, plain (or no style: to detect it from the export)");
});

test('the wrong shape for the chosen style is refused, saying what the style expects', () => {
  const cases = [
    [{ file: 'lambda.js', exportName: 'notAFunction', env: { EPSILON_STYLE: 'lambda' } },
      "epsilon: function 'hello': export 'notAFunction' of 'lambda.js' is an object with 'handler'; style lambda expects a function (event, context) => response"],
    [{ file: 'workers.mjs', exportName: 'default', env: { EPSILON_STYLE: 'plain' } },
      "epsilon: function 'hello': export 'default' of 'workers.mjs' is an object with 'greeting', 'fetch'; style plain expects a function (req, res) => {...}"],
    [{ file: 'lambda.js', exportName: 'handler', env: { EPSILON_STYLE: 'workers' } },
      "epsilon: function 'hello': export 'handler' of 'lambda.js' is a function; style workers expects an object with a fetch(request, env, ctx) method (export default { async fetch(request, env, ctx) {...} })"],
    [{ file: 'workers.mjs', exportName: 'notWorker', env: { EPSILON_STYLE: 'workers' } },
      "epsilon: function 'hello': export 'notWorker' of 'workers.mjs' is an object without a fetch method; style workers expects an object with a fetch(request, env, ctx) method (export default { async fetch(request, env, ctx) {...} })"],
    [{ file: 'workers.mjs', exportName: 'default', env: { EPSILON_STYLE: 'spec' } },
      "epsilon: function 'hello': export 'default' of 'workers.mjs' has no 'definition' function"],
    [{ file: 'workers.mjs', exportName: 'notWorker' },
      "epsilon: function 'hello': export 'notWorker' of 'workers.mjs' has no 'definition' function (style spec) nor 'fetch' method (style workers); it has 'greeting'"],
  ];
  for (const [options, expected] of cases) assert.equal(failureLine(runCheck({ dir: STYLES_DIR, ...options })), expected);
});

test('a missing export lists what the module exports (ES modules too) or how to name module.exports', () => {
  assert.equal(failureLine(runCheck({ dir: STYLES_DIR, file: 'workers.mjs', exportName: 'fetch' })),
    "epsilon: function 'hello': export 'fetch' of 'workers.mjs' does not exist; it exports 'default', 'notWorker'");
  assert.equal(failureLine(runCheck({ dir: STYLES_DIR, file: 'plain.js', exportName: 'handler' })),
    "epsilon: function 'hello': export 'handler' of 'plain.js' does not exist; the module exports a single function (module.exports = fn): use the handler 'plain.js:default'");
  withDir({ 'index.mjs': 'const x = 1;\n', 'empty.js': '// nothing\n' }, (dir) => {
    assert.match(failureLine(runCheck({ dir, file: 'index.mjs', exportName: 'default' })), /export 'default' of 'index\.mjs' does not exist; it exports nothing \(export default/);
    assert.match(failureLine(runCheck({ dir, file: 'empty.js', exportName: 'default' })), /export 'default' of 'empty\.js' does not exist; it exports nothing \(module\.exports/);
  });
});

test('CommonJS: module.exports = { fetch } with export default is workers; exports.default (transpiled) wins', () => {
  withDir({
    'worker.cjs': 'module.exports = { fetch: async () => new Response("cjs worker") };\n',
    'transpiled.js': 'Object.defineProperty(exports, "__esModule", { value: true });\nexports.default = (req, res) => res.end("ts");\n',
  }, (dir) => {
    assert.match(ok(runCheck({ dir, file: 'worker.cjs', exportName: 'default' })), /style workers \(detected\)/);
    assert.match(ok(runCheck({ dir, file: 'transpiled.js', exportName: 'default' })), /style plain \(detected\)/);
  });
});

test('an ES module syntax error names the file and line, also in a module it imports', () => {
  withDir({
    'index.mjs': "import { helper } from './lib/helper.mjs';\n\nexport default {\n  fetch() { return helper( }\n};\n",
    'ok.mjs': "import { helper } from './lib/helper.mjs';\nexport default { fetch: helper };\n",
    'lib/helper.mjs': "export function helper() {\n  return new Response('x'));\n}\n",
  }, (dir) => {
    assert.match(failureLine(runCheck({ dir, file: 'index.mjs', exportName: 'default' })),
      /^epsilon: function 'hello': cannot load 'index\.mjs' \(export 'default'\): index\.mjs:4: SyntaxError: Unexpected token '\}'$/);
    assert.match(failureLine(runCheck({ dir, file: 'ok.mjs', exportName: 'default' })),
      /^epsilon: function 'hello': cannot load 'ok\.mjs' \(export 'default'\): lib\/helper\.mjs:2: SyntaxError: Unexpected token '\)'$/);
  });
});

test('an ES module that throws while loading, or imports a missing package, names the file', () => {
  withDir({
    'throws.mjs': "const config = {};\nconst port = config.server.port;\nexport default { fetch: () => port };\n",
    'missing.mjs': "import ms from 'not-installed-anywhere';\nexport default { fetch: () => ms };\n",
  }, (dir) => {
    assert.match(failureLine(runCheck({ dir, file: 'throws.mjs', exportName: 'default' })),
      /cannot load 'throws\.mjs' \(export 'default'\): throws\.mjs:2: TypeError: Cannot read properties of undefined \(reading 'port'\)$/);
    assert.match(failureLine(runCheck({ dir, file: 'missing.mjs', exportName: 'default' })),
      /cannot load 'missing\.mjs' \(export 'default'\): missing\.mjs: Error: Cannot find package 'not-installed-anywhere' imported from missing\.mjs$/);
  });
});

test('ES module syntax in a CommonJS file: loads where node detects it, else refused with what to do', () => {
  withDir({ 'index.js': "export const handler = async () => 'hi';\n" }, (dir) => {
    const result = runCheck({ dir, file: 'index.js', exportName: 'handler' });
    if (result.status === 0) {
      assert.ok(process.features.require_module, 'only a node that can require() ES modules detects their syntax');
    } else {
      assert.match(failureLine(result), /cannot load 'index\.js' \(export 'handler'\): index\.js:1: SyntaxError: Unexpected token 'export' \(ES module syntax in a CommonJS file: name it \.mjs, or add "type": "module" to package\.json\)$/);
    }
  });
});

test("the function's own node_modules win for the function; the wrapper's express does not leak into it", async (t) => {
  const dir = functionDir({
    'node_modules/express/package.json': '{ "name": "express", "version": "0.0.1-fake", "main": "index.js" }',
    'node_modules/express/index.js': 'module.exports = { fake: true };\n',
    'node_modules/ms/package.json': '{ "name": "ms", "version": "9.9.9", "main": "index.js" }',
    'node_modules/ms/index.js': 'module.exports = (value) => `ms(${value})`;\n',
    'spec.js': "const express = require('express');\nmodule.exports.app = { definition: async (req, res) => res.json({ fake: express.fake === true, wrapper: typeof res.json }) };\n",
    'esm.mjs': "import ms from 'ms';\nexport default { fetch: () => new Response(ms('2 days')) };\n",
    'leak.js': "const express = require('express');\nmodule.exports = (req, res) => res.end(String(express));\n",
  });
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const server = await startServer({ dir, file: 'spec.js', exportName: 'app' });
  t.after(() => server.stop());
  const response = await request(`${server.url}/`);
  assert.equal(response.status, 200);
  assert.deepEqual(JSON.parse(response.body.toString()), { fake: true, wrapper: 'function' }); // Express serves, the function has its own
  const esm = await startServer({ dir, file: 'esm.mjs', exportName: 'default' });
  t.after(() => esm.stop());
  assert.equal((await request(`${esm.url}/`)).body.toString(), 'ms(2 days)');

  const bare = functionDir({ 'leak.js': "const express = require('express');\nmodule.exports = (req, res) => res.end(String(express));\n" });
  t.after(() => fs.rmSync(bare, { recursive: true, force: true }));
  assert.match(failureLine(runCheck({ dir: bare, file: 'leak.js', exportName: 'default' })),
    /cannot load 'leak\.js' \(export 'default'\): leak\.js:1: Error: Cannot find module 'express'$/);
});
