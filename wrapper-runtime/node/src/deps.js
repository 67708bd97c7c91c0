'use strict';
// Installs a function's npm dependencies at image build time, in the build stage (FROM the runtime's build image,
// which has npm): `node deps.js <function> npm ci --omit=dev ...`, run in a folder holding only the repository's
// package.json and lock file (copied before the code, so a code-only change keeps this step cached).
//   - no package.json: nothing to install (an empty node_modules is left for the final stage to copy);
//   - package.json without package-lock.json / npm-shrinkwrap.json: fine when it has no dependencies, else refused;
//   - the npm command's output goes to the build log; when it fails, one line
//     "epsilon: function '<name>': installing dependencies failed: <npm's error summary>" and exit 1.
// The build context's extra-ca.crt (EPSILON_EXTRA_CA, when not empty) is given to npm as NODE_EXTRA_CA_CERTS, for
// registries behind a TLS-intercepting proxy.

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const [functionName = 'function', command, ...args] = process.argv.slice(2);
const label = `epsilon: function '${functionName}': installing dependencies failed`;

function fail(reason) {
  process.stdout.write(`${label}: ${oneLine(reason)}\n`);
  process.exit(1);
}

function oneLine(text) {
  const line = String(text).replace(/\s+/g, ' ').trim();
  return line.length > 400 ? `${line.slice(0, 397)}...` : line;
}

/**
 * What went wrong, from npm's output: its error code, then the first two paragraphs of its "npm ERR!" (npm 9) or
 * "npm error" (npm 10+) lines, leaving out the log file's path, usage texts and status-code prefixes.
 */
function npmSummary(output, exitCode, commandLine = 'npm') {
  let lines = output.split('\n')
    .map((l) => l.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trimEnd())
    .filter((l) => /^npm (ERR!|error)/.test(l))
    .map((l) => l.replace(/^npm (ERR!|error)\s?/, '').trim());
  const codeLine = lines.find((l) => /^code \S+$/.test(l));
  const code = codeLine ? codeLine.slice(5) : '';
  lines = lines.filter((l) => l !== codeLine && !/^(errno|syscall) /.test(l)
    && !/^(A complete log of this run|Log files were not written|You can rerun the command)/.test(l) && !/^\/\S+\.log$/.test(l));
  const usage = lines.findIndex((l) => /^(Clean install a project|Usage:)/.test(l)); // npm prints the command's help
  if (usage >= 0) lines = lines.slice(0, usage);
  const status = /^E(\d{3})$/.exec(code);
  if (status) lines = lines.map((l) => (l.startsWith(status[1]) ? l.slice(3).trim() : l)); // "404 Not Found" -> "Not Found"
  const paragraphs = [];
  let current = [];
  for (const line of [...lines, '']) {
    if (line) {
      current.push(line);
    } else if (current.length) {
      paragraphs.push(current.join(' '));
      current = [];
    }
  }
  const noise = /^(Note that you can also install|Run "npm help)/;
  const reason = paragraphs.filter((p) => !noise.test(p)).slice(0, 2).join('; ');
  if (reason) return `${code ? `${code}: ` : ''}${reason}`;
  const tail = output.trim().split('\n').filter(Boolean).slice(-2).join('; ');
  return `${commandLine} exited with code ${exitCode}${code ? ` (${code})` : ''}${tail ? `: ${tail}` : ''}`;
}

function hasDependencies(manifest) {
  for (const key of ['dependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies']) {
    const value = manifest[key];
    if (value && typeof value === 'object' && Object.keys(value).length > 0) return true;
  }
  return false;
}

function main() {
  const modules = path.resolve('node_modules');
  if (!fs.existsSync('package.json')) {
    fs.mkdirSync(modules, { recursive: true });
    process.stdout.write(`function '${functionName}': no package.json, no dependencies to install\n`);
    return;
  }
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync('package.json', 'utf8'));
  } catch (err) {
    fail(`package.json is not valid JSON: ${err.message}`);
  }
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) fail('package.json is not a JSON object');
  const locked = fs.existsSync('package-lock.json') || fs.existsSync('npm-shrinkwrap.json');
  if (!locked) {
    if (hasDependencies(manifest)) {
      fail('package.json has dependencies but the repository has no package-lock.json: run `npm install` and commit package-lock.json');
    }
    fs.mkdirSync(modules, { recursive: true });
    process.stdout.write(`function '${functionName}': package.json has no dependencies, nothing to install\n`);
    return;
  }
  if (!command) fail('no install command given to deps.js');

  const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  const ca = process.env.EPSILON_EXTRA_CA;
  if (ca && fs.existsSync(ca) && fs.statSync(ca).size > 0) env.NODE_EXTRA_CA_CERTS = ca;
  const started = Date.now();
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (stream, target) => stream.on('data', (chunk) => {
    output += chunk;
    target.write(chunk);
  });
  collect(child.stdout, process.stdout);
  collect(child.stderr, process.stderr);
  child.on('error', (err) => fail(`cannot run ${command}: ${err.message}`));
  child.on('close', (code, signal) => {
    const cache = process.env.npm_config_cache;
    if (cache && cache.startsWith('/tmp/')) fs.rmSync(cache, { recursive: true, force: true }); // not kept in the layer
    if (code !== 0) fail(npmSummary(output, signal || code, [path.basename(command), args[0]].filter(Boolean).join(' ')));
    fs.mkdirSync(modules, { recursive: true });
    const count = fs.readdirSync(modules).filter((n) => !n.startsWith('.')).length;
    process.stdout.write(`function '${functionName}': dependencies installed (${count} top-level entries in node_modules, ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  });
}

if (require.main === module) main();

module.exports = { npmSummary, hasDependencies };
