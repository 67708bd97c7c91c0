'use strict';
// deps.js: the build-time dependency step of Dockerfile.template (`node deps.js <function> npm ci ...`), run here with
// stand-in commands instead of npm.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { functionDir, wrapperEnv, ROOT } = require('./helpers');
const { npmSummary } = require('../src/deps');

const DEPS = path.join(ROOT, 'src', 'deps.js');

function runDeps(dir, command = [], env = {}) {
  const result = spawnSync(process.execPath, [DEPS, 'node-deps', ...command], { cwd: dir, env: wrapperEnv(env), encoding: 'utf8', timeout: 15000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, lines: result.stdout.split('\n').filter(Boolean) };
}

function withDir(files, body) {
  const dir = functionDir(files);
  try {
    return body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// A stand-in for npm: prints what it is given and does what the script says.
const fake = (script) => [process.execPath, '-e', script];

test('no package.json: nothing runs, an empty node_modules is left for the image', () => {
  withDir({ 'extra-ca.crt': '' }, (dir) => {
    const result = runDeps(dir, fake('process.exit(7)'));
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /no package\.json, no dependencies to install/);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'node_modules')), []);
    assert.ok(!result.lines.some((l) => l.startsWith('epsilon: ')), 'no epsilon: line on success');
  });
});

test('package.json without dependencies and without a lock file: nothing to install', () => {
  withDir({ 'package.json': '{ "type": "module", "devDependencies": { "x": "1" } }' }, (dir) => {
    const result = runDeps(dir, fake('process.exit(7)'));
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /package\.json has no dependencies, nothing to install/);
    assert.ok(fs.existsSync(path.join(dir, 'node_modules')));
  });
});

test('package.json with dependencies but no lock file is refused with what to do', () => {
  withDir({ 'package.json': '{ "dependencies": { "ms": "^2.1.3" } }' }, (dir) => {
    const result = runDeps(dir, fake('process.exit(0)'));
    assert.equal(result.status, 1);
    assert.equal(result.lines.at(-1), "epsilon: function 'node-deps': installing dependencies failed: package.json has dependencies "
      + 'but the repository has no package-lock.json: run `npm install` and commit package-lock.json');
  });
});

test('an invalid package.json is refused on one line', () => {
  withDir({ 'package.json': '{ "dependencies": ', 'package-lock.json': '{}' }, (dir) => {
    const result = runDeps(dir, fake('process.exit(0)'));
    assert.equal(result.status, 1);
    assert.match(result.lines.at(-1), /^epsilon: function 'node-deps': installing dependencies failed: package\.json is not valid JSON: /);
  });
});

test('with a lock file the command runs (its output in the log) and the CA bundle goes to NODE_EXTRA_CA_CERTS', () => {
  withDir({ 'package.json': '{ "dependencies": { "ms": "2.1.3" } }', 'package-lock.json': '{}', 'extra-ca.crt': '-----BEGIN CERTIFICATE-----\n' }, (dir) => {
    const script = "require('fs').mkdirSync('node_modules/ms', { recursive: true }); console.log('added 1 package, ca=' + process.env.NODE_EXTRA_CA_CERTS + ' args=' + process.argv.slice(1).join(' '));";
    const result = runDeps(dir, [...fake(script), 'ci', '--omit=dev'], { EPSILON_EXTRA_CA: path.join(dir, 'extra-ca.crt') });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, new RegExp(`added 1 package, ca=${path.join(dir, 'extra-ca.crt').replace(/[.]/g, '\\.')} args=ci --omit=dev`));
    assert.match(result.stdout, /dependencies installed \(1 top-level entries in node_modules/);
  });
});

test('an empty CA bundle is not given to npm (it keeps what it had: the build image\'s)', () => {
  withDir({ 'package.json': '{ "dependencies": { "ms": "2.1.3" } }', 'package-lock.json': '{}', 'extra-ca.crt': '' }, (dir) => {
    const result = runDeps(dir, fake("console.log('ca=' + (process.env.NODE_EXTRA_CA_CERTS || 'none'))"), { EPSILON_EXTRA_CA: path.join(dir, 'extra-ca.crt') });
    assert.equal(result.status, 0);
    assert.match(result.stdout, new RegExp(`^ca=${process.env.NODE_EXTRA_CA_CERTS || 'none'}$`, 'm'));
  });
});

test("a failing npm gives one 'installing dependencies failed' line with npm's error summary", () => {
  withDir({ 'package.json': '{ "dependencies": { "no-such-package-epsilon": "1.0.0" } }', 'package-lock.json': '{}' }, (dir) => {
    const script = [
      "console.error('npm ERR! code E404');",
      "console.error('npm ERR! 404 Not Found - GET https://registry.npmjs.org/no-such-package-epsilon - Not found');",
      "console.error('npm ERR! 404 ');",
      "console.error(\"npm ERR! 404  'no-such-package-epsilon@1.0.0' is not in this registry.\");",
      "console.error('');",
      "console.error('npm ERR! A complete log of this run can be found in:');",
      "console.error('npm ERR!     /root/.npm/_logs/2026-11-22T21_00_00_000Z-debug-0.log');",
      'process.exit(1);',
    ].join('\n');
    const result = runDeps(dir, fake(script));
    assert.equal(result.status, 1);
    assert.match(result.stderr, /npm ERR! code E404/); // npm's own output stays in the build log
    const epsilonLines = result.lines.filter((l) => l.startsWith('epsilon: '));
    assert.deepEqual(epsilonLines, ["epsilon: function 'node-deps': installing dependencies failed: E404: Not Found - GET "
      + "https://registry.npmjs.org/no-such-package-epsilon - Not found; 'no-such-package-epsilon@1.0.0' is not in this registry."]);
  });
});

test('npm error summaries: lock file out of sync (npm 9), a TLS failure (npm 10), no npm lines at all', () => {
  const npm9 = [
    'npm ERR! code EUSAGE',
    'npm ERR! ',
    'npm ERR! `npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync. Please update your lock file with `npm install` before continuing.',
    'npm ERR! ',
    'npm ERR! Missing: escape-html@1.0.3 from lock file',
    'npm ERR! ',
    'npm ERR! Clean install a project',
    'npm ERR! ',
    'npm ERR! Usage:',
    'npm ERR! npm ci',
    'npm ERR! A complete log of this run can be found in:',
    'npm ERR!     /tmp/npm-cache/_logs/x-debug-0.log',
  ].join('\n');
  assert.equal(npmSummary(npm9, 1), 'EUSAGE: `npm ci` can only install packages when your package.json and package-lock.json or '
    + 'npm-shrinkwrap.json are in sync. Please update your lock file with `npm install` before continuing.; Missing: escape-html@1.0.3 from lock file');
  const npm10 = [
    'npm error code SELF_SIGNED_CERT_IN_CHAIN',
    'npm error errno SELF_SIGNED_CERT_IN_CHAIN',
    'npm error request to https://registry.npmjs.org/ms failed, reason: self-signed certificate in certificate chain',
    'npm error A complete log of this run can be found in: /root/.npm/_logs/x-debug-0.log',
  ].join('\n');
  assert.equal(npmSummary(npm10, 1), 'SELF_SIGNED_CERT_IN_CHAIN: request to https://registry.npmjs.org/ms failed, reason: self-signed certificate in certificate chain');
  assert.equal(npmSummary('something else broke\nbadly\n', 2, 'npm ci'), 'npm ci exited with code 2: something else broke; badly');
});
