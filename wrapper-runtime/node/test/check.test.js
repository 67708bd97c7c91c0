'use strict';
// check.js: run at image build time; one "epsilon: ..." line on stderr and exit 1 when the function cannot be served.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { runCheck, functionDir, FIXTURES } = require('./helpers');

/** The one line check.js printed on stderr (and there must be exactly one). */
function failureLine(result) {
  assert.equal(result.status, 1, `expected exit 1, got ${result.status}; stdout: ${result.stdout}; stderr: ${result.stderr}`);
  const lines = result.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `expected one line on stderr, got: ${result.stderr}`);
  assert.match(lines[0], /^epsilon: /);
  return lines[0];
}

test('a valid function passes with one ok line', () => {
  const result = runCheck({ file: 'functions.js', exportName: 'echo' });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr, '');
  assert.match(result.stdout, /^epsilon: function 'hello' ok \(functions\.js, export 'echo', style spec \(detected\), timeout 15000 ms\)\n$/);
});

test('a handler in a subfolder passes and reports its config timeout', () => {
  const result = runCheck({ dir: path.join(FIXTURES, 'nested'), file: 'src/hello.js', exportName: 'hello' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^epsilon: function 'hello' ok \(src\/hello\.js, export 'hello', style spec \(detected\), timeout 10000 ms\)/);
});

test('a missing export is refused, naming function, file and export, and listing what exists', () => {
  const line = failureLine(runCheck({ file: 'functions.js', exportName: 'nope' }));
  assert.match(line, /^epsilon: function 'hello': export 'nope' of 'functions\.js' does not exist; it exports 'echo', 'counter'/);
});

test('an export without a definition function is refused', () => {
  const line = failureLine(runCheck({ file: 'no-definition.js', exportName: 'hello', env: { EPSILON_STYLE: 'spec' } }));
  assert.equal(line, "epsilon: function 'hello': export 'hello' of 'no-definition.js' has no 'definition' function");
  // Without a style, the object fits no style: both are named.
  assert.equal(failureLine(runCheck({ file: 'no-definition.js', exportName: 'hello' })),
    "epsilon: function 'hello': export 'hello' of 'no-definition.js' has no 'definition' function (style spec) nor 'fetch' method (style workers); it has 'config'");
});

test('with style spec a bare function export is refused with what to export instead', () => {
  const line = failureLine(runCheck({ file: 'no-definition.js', exportName: 'notObject', env: { EPSILON_STYLE: 'spec' } }));
  assert.match(line, /^epsilon: function 'hello': export 'notObject' of 'no-definition\.js' is a function; style spec expects an object \{ definition/);
});

test('a config.timeout that is not a positive number is refused', () => {
  assert.match(failureLine(runCheck({ file: 'no-definition.js', exportName: 'badTimeout' })),
    /export 'badTimeout' of 'no-definition\.js' has config\.timeout -5; expected a positive number of milliseconds/);
  assert.match(failureLine(runCheck({ file: 'no-definition.js', exportName: 'stringTimeout' })),
    /has config\.timeout '10s'; expected a positive number/);
});

test('a syntax error is reported with file and line', () => {
  // Written at test time: node --test would run a broken file kept under test/ as a test of its own.
  const dir = functionDir({
    'index.js': [
      "'use strict';",
      '',
      'module.exports.hello = {',
      '  definition: async (req, res) => {',
      "    res.send('hi'))",
      '  },',
      '};',
      '',
    ].join('\n'),
  });
  try {
    const line = failureLine(runCheck({ dir, file: 'index.js', exportName: 'hello' }));
    assert.match(line, /^epsilon: function 'hello': cannot load 'index\.js' \(export 'hello'\): index\.js:5: SyntaxError: Unexpected token/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a syntax error in a file the handler requires names that file', () => {
  const dir = functionDir({
    'src/handler.js': "'use strict';\nconst util = require('../lib/util');\nmodule.exports.hello = { definition: async () => util };\n",
    'lib/util.js': "'use strict';\n\nmodule.exports = {\n  a: 1\n  b: 2,\n};\n",
  });
  try {
    const line = failureLine(runCheck({ dir, file: 'src/handler.js', exportName: 'hello' }));
    assert.match(line, /cannot load 'src\/handler\.js' \(export 'hello'\): lib\/util\.js:5: SyntaxError: Unexpected identifier/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an error thrown while loading is reported with the line that threw', () => {
  const dir = functionDir({
    'index.js': "'use strict';\n\nconst settings = JSON.parse('{\"broken\":');\nmodule.exports.hello = { definition: async () => settings };\n",
  });
  try {
    const line = failureLine(runCheck({ dir, file: 'index.js', exportName: 'hello' }));
    assert.match(line, /cannot load 'index\.js' \(export 'hello'\): index\.js:3: SyntaxError: .*JSON/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing dependency is reported on one line', () => {
  const dir = functionDir({
    'index.js': "'use strict';\nconst pg = require('not-installed-anywhere');\nmodule.exports.hello = { definition: async () => pg };\n",
  });
  try {
    const line = failureLine(runCheck({ dir, file: 'index.js', exportName: 'hello' }));
    assert.match(line, /cannot load 'index\.js' \(export 'hello'\): index\.js:2: Error: Cannot find module 'not-installed-anywhere'$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing handler file is refused', () => {
  const line = failureLine(runCheck({ file: 'src/missing.js', exportName: 'hello' }));
  assert.equal(line, "epsilon: function 'hello': handler file 'src/missing.js' (export 'hello') does not exist");
});

test('an ES module (.js under "type": "module") loads with import() on every node', () => {
  const dir = functionDir({
    'package.json': '{ "type": "module" }',
    'index.js': 'export const hello = { definition: async () => {} };\n',
  });
  try {
    const result = runCheck({ dir, file: 'index.js', exportName: 'hello' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /ok \(index\.js, export 'hello', style spec \(detected\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the module cache is written when its folder exists', () => {
  const dir = functionDir({});
  try {
    const file = path.join(dir, 'modules.bin');
    const result = runCheck({ file: 'functions.js', exportName: 'echo', env: { EPSILON_MODULE_CACHE: file } });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /module cache \d+ files\/\d+ paths\)/);
    assert.ok(fs.statSync(file).size > 10000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
