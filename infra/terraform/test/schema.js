// The Terraform schema of a provider's resource and data source types, read from the code npm's @cdktf/provider-*
// packages generate from that provider's schema (they ship no schema JSON): each type's class lists its arguments in
// synthesizeHclAttributes() (with isBlock for nested blocks, whose own arguments are in a xxxToHclTerraform function)
// and its readable attributes as getXAttribute('name') getters.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const packages = { aws: '@cdktf/provider-aws', random: '@cdktf/provider-random' };
const cache = new Map();

function libDirectory(provider) {
  const name = packages[provider];
  if (!name) return null;
  return path.join(path.dirname(require.resolve(`${name}/package.json`)), 'lib');
}

/** The provider version the package was generated from, e.g. "5.99.1". */
function providerVersion(provider) {
  const json = require(`${packages[provider]}/package.json`);
  return json.cdktf.provider.version;
}

function findFile(lib, kind, type) {
  const marker = `.tfResourceType = "${type}";`;
  const base = type.split('_').slice(1).join('-');
  const guess = path.join(lib, kind === 'data' ? `data-${type.split('_')[0]}-${base}` : base, 'index.js');
  if (fs.existsSync(guess) && fs.readFileSync(guess, 'utf8').includes(marker)) return guess;
  // Folder names differ from the type for a few (random_string is string-resource/): look through the rest.
  for (const folder of fs.readdirSync(lib)) {
    if ((kind === 'data') !== folder.startsWith('data-')) continue;
    const file = path.join(lib, folder, 'index.js');
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(marker)) return file;
  }
  return null;
}

const entry = /(\w+): \{\s*value: ([^\n]*),\s*isBlock: (true|false),\s*type: "(\w+)"/g;
const nested = /(?<![.\w])([a-z]\w*ToHclTerraform)\b/;

function argumentsIn(source, body) {
  const args = new Map();
  for (const m of body.matchAll(entry)) {
    const isBlock = m[3] === 'true';
    let block = null;
    if (isBlock) {
      const fn = nested.exec(m[2]);
      if (!fn) throw new Error(`no nested function for block ${m[1]}`);
      block = argumentsIn(source, functionBody(source, fn[1]));
    }
    args.set(m[1], { isBlock, block });
  }
  return args;
}

function functionBody(source, name) {
  const start = source.indexOf(`function ${name}(struct) {`);
  if (start < 0) throw new Error(`function ${name} not found`);
  const end = source.indexOf('\n}\n', start);
  return source.slice(start, end);
}

/**
 * The schema of one type: { arguments: Map(name -> { isBlock, block }), attributes: Set(name) }, or null when the
 * provider has no such type. kind is "resource", "data" or "provider" (type is then the provider's name).
 */
function schemaOf(kind, type) {
  const key = `${kind}.${type}`;
  if (cache.has(key)) return cache.get(key);
  const lib = libDirectory(type.split('_')[0]);
  // A provider's own configuration (provider "aws" { ... }) is the package's provider/ class.
  const file = kind === 'provider' ? lib && path.join(lib, 'provider', 'index.js') : lib && findFile(lib, kind, type);
  let schema = null;
  if (file) {
    const source = fs.readFileSync(file, 'utf8');
    const marker = source.indexOf(`.tfResourceType = "${type}";`);
    const classStart = source.lastIndexOf('\nclass ', marker);
    const classBody = source.slice(classStart, marker);
    const hcl = classBody.slice(classBody.indexOf('synthesizeHclAttributes() {'));
    const args = argumentsIn(source, hcl);
    const attributes = new Set(args.keys());
    for (const m of classBody.matchAll(/(?:get\w*Attribute|interpolationForAttribute)\('(\w+)'\)/g)) attributes.add(m[1]);
    schema = { arguments: args, attributes };
  }
  cache.set(key, schema);
  return schema;
}

module.exports = { schemaOf, providerVersion };
