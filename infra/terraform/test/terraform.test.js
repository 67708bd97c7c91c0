// Checks infra/terraform without terraform or AWS: parses every .tf file with npm's @cdktf/hcl2json (Terraform's own
// HCL parser compiled to WebAssembly), checks every type, argument and reference against the AWS and random providers'
// schemas (schema.js) and the declarations, and checks the wiring Epsilon relies on, including the exact IAM actions.
// Set EPSILON_TF_DIR to check another copy (the test of the test breaks a copy on purpose).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const hcl = require('@cdktf/hcl2json');
const YAML = require('yaml');
const { schemaOf, providerVersion } = require('./schema');

const dir = process.env.EPSILON_TF_DIR || path.resolve(__dirname, '..');
const infra = path.resolve(dir, '..');
const repoRoot = path.resolve(infra, '..');

// What each role may do, exactly: README "Running on AWS with Terraform" names the same lists.
const expectedActions = {
  gateway: [
    'autoscaling:CompleteLifecycleAction',
    'ecr:BatchCheckLayerAvailability',
    'ecr:BatchGetImage',
    'ecr:GetAuthorizationToken',
    'ecr:GetDownloadUrlForLayer',
    'ssm:GetParameter',
  ],
  builder: [
    'ecr:BatchCheckLayerAvailability',
    'ecr:BatchDeleteImage',
    'ecr:BatchGetImage',
    'ecr:CompleteLayerUpload',
    'ecr:GetAuthorizationToken',
    'ecr:GetDownloadUrlForLayer',
    'ecr:InitiateLayerUpload',
    'ecr:PutImage',
    'ecr:UploadLayerPart',
    'ssm:GetParameter',
  ],
};

const metaArguments = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection', 'dynamic']);

let parsed;
async function config() {
  if (parsed) return parsed;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.tf')).sort();
  const merged = { files, resource: {}, data: {}, variable: {}, locals: {}, output: {}, module: {}, provider: {}, terraform: [] };
  for (const file of files) {
    const json = await hcl.parse(file, fs.readFileSync(path.join(dir, file), 'utf8'));
    for (const kind of ['resource', 'data']) {
      for (const [type, byName] of Object.entries(json[kind] ?? {})) {
        merged[kind][type] ??= {};
        for (const [name, bodies] of Object.entries(byName)) {
          assert.ok(!(name in merged[kind][type]), `${kind} ${type}.${name} is declared twice`);
          merged[kind][type][name] = { body: bodies[0], file };
        }
      }
    }
    for (const kind of ['variable', 'output', 'module', 'provider']) {
      for (const [name, bodies] of Object.entries(json[kind] ?? {})) {
        assert.ok(!(name in merged[kind]), `${kind} ${name} is declared twice`);
        merged[kind][name] = { body: bodies[0], file };
      }
    }
    for (const block of json.locals ?? []) {
      for (const [name, value] of Object.entries(block)) {
        assert.ok(!(name in merged.locals), `local ${name} is declared twice`);
        merged.locals[name] = { value, file };
      }
    }
    merged.terraform.push(...(json.terraform ?? []));
  }
  parsed = merged;
  return merged;
}

const resource = (c, type, name) => c.resource[type]?.[name]?.body;
const all = (c, type) => Object.entries(c.resource[type] ?? {}).map(([name, { body }]) => ({ name, body }));
const ref = (text) => /^\$\{(.+)\}$/.exec(String(text))?.[1];
function strings(value, out = []) {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => strings(v, out));
  return out;
}
function variableDefault(c, expression) {
  const name = /^var\.(\w+)$/.exec(ref(expression) ?? '')?.[1];
  return name ? c.variable[name]?.body.default : expression;
}

test('every .tf file parses', async () => {
  const c = await config();
  assert.ok(c.files.length >= 5, `only ${c.files.length} .tf files in ${dir}`);
});

test('the providers are pinned to the versions the schema comes from', async () => {
  const c = await config();
  const required = Object.assign({}, ...c.terraform.flatMap((t) => t.required_providers ?? []));
  assert.equal(required.aws?.source, 'hashicorp/aws');
  assert.equal(required.aws?.version, '~> 5.0');
  assert.match(providerVersion('aws'), /^5\./, 'the schema must be a 5.x AWS provider');
  assert.equal(required.random?.source, 'hashicorp/random');
  assert.match(providerVersion('random'), /^3\./);
});

test('every resource and data source type exists in its provider', async () => {
  const c = await config();
  const missing = [];
  for (const kind of ['resource', 'data']) {
    for (const type of Object.keys(c[kind])) if (!schemaOf(kind, type)) missing.push(`${kind} ${type}`);
  }
  assert.deepEqual(missing, []);
});

function unknownArguments(schemaArgs, body, where, out) {
  for (const [key, value] of Object.entries(body)) {
    if (key === 'dynamic') {
      for (const [blockName, dynamics] of Object.entries(value)) {
        const arg = schemaArgs.get(blockName);
        if (!arg?.isBlock) { out.push(`${where}: dynamic "${blockName}" is no block`); continue; }
        for (const d of dynamics) for (const content of d.content ?? []) unknownArguments(arg.block, content, `${where}.${blockName}`, out);
      }
      continue;
    }
    const arg = schemaArgs.get(key);
    if (!arg) { out.push(`${where}: unknown argument "${key}"`); continue; }
    if (arg.isBlock) {
      if (!Array.isArray(value)) { out.push(`${where}: "${key}" is a block, written as an attribute`); continue; }
      for (const block of value) unknownArguments(arg.block, block, `${where}.${key}`, out);
    }
  }
}

test('every argument and block exists for its type', async () => {
  const c = await config();
  const unknown = [];
  for (const kind of ['resource', 'data']) {
    for (const [type, byName] of Object.entries(c[kind])) {
      const schema = schemaOf(kind, type);
      if (!schema) continue;
      for (const [name, { body }] of Object.entries(byName)) {
        const own = Object.fromEntries(Object.entries(body).filter(([k]) => !metaArguments.has(k) || k === 'dynamic'));
        unknownArguments(schema.arguments, own, `${kind === 'data' ? 'data.' : ''}${type}.${name}`, unknown);
      }
    }
  }
  for (const [name, { body }] of Object.entries(c.provider)) {
    const schema = schemaOf('provider', name);
    assert.ok(schema, `provider ${name} is unknown`);
    unknownArguments(schema.arguments, body, `provider ${name}`, unknown);
  }
  assert.deepEqual(unknown, []);
});

test('every reference resolves to a declaration and an attribute its type has', async () => {
  const c = await config();
  const broken = [];
  const check = async (where, value, scope) => {
    for (const text of strings(value)) {
      if (!text.includes('${')) continue;
      for (const { value: reference } of await hcl.getReferencesInExpression(`${where}.tf`, text)) {
        const parts = reference.split('.').filter((p) => !/^\d+$/.test(p));
        const [head] = parts;
        const fail = (why) => broken.push(`${where}: ${reference} (${why})`);
        if (head === 'var') { if (!c.variable[parts[1]]) fail('no such variable'); }
        else if (head === 'local') { if (!(parts[1] in c.locals)) fail('no such local'); }
        else if (head === 'module') { if (!c.module[parts[1]]) fail('no such module'); }
        else if (head === 'path') { if (!['module', 'root', 'cwd'].includes(parts[1])) fail('no such path'); }
        else if (head === 'terraform') { if (parts[1] !== 'workspace') fail('no such terraform value'); }
        else if (head === 'count') { if (!scope?.count || parts[1] !== 'index') fail('count.index outside a counted resource'); }
        else if (head === 'each') { if (!scope?.for_each || !['key', 'value'].includes(parts[1])) fail('each outside a for_each'); }
        else if (head === 'data') {
          const [, type, name, attribute] = parts;
          if (!c.data[type]?.[name]) fail('no such data source');
          else if (attribute && !schemaOf('data', type).attributes.has(attribute)) fail(`data ${type} has no attribute ${attribute}`);
        } else if (/^(aws|random)_/.test(head)) {
          const [type, name, attribute] = parts;
          if (!c.resource[type]?.[name]) fail('no such resource');
          else if (attribute && !schemaOf('resource', type).attributes.has(attribute)) fail(`${type} has no attribute ${attribute}`);
        } else if (head !== 'self') {
          fail('unknown kind of reference');
        }
      }
    }
  };
  for (const kind of ['resource', 'data']) {
    for (const [type, byName] of Object.entries(c[kind])) {
      for (const [name, { body }] of Object.entries(byName)) await check(`${type}.${name}`, body, body);
    }
  }
  for (const [name, { value }] of Object.entries(c.locals)) await check(`local.${name}`, value);
  for (const [name, { body }] of Object.entries(c.output)) await check(`output.${name}`, body);
  for (const [name, { body }] of Object.entries(c.variable)) await check(`var.${name}`, body.validation ?? [], {});
  for (const [name, { body }] of Object.entries(c.provider)) await check(`provider.${name}`, body);
  assert.deepEqual(broken, []);
});

test('the autoscaling group runs the launch template in the private subnets, behind the target group', async () => {
  const c = await config();
  const groups = all(c, 'aws_autoscaling_group');
  assert.equal(groups.length, 1, 'one autoscaling group of gateways');
  const { name, body: group } = groups[0];
  const lt = group.launch_template?.[0];
  const ltName = /^aws_launch_template\.(\w+)\.id$/.exec(ref(lt?.id) ?? '')?.[1];
  assert.ok(ltName && resource(c, 'aws_launch_template', ltName), 'launch_template.id names a declared aws_launch_template');
  assert.equal(lt.version, `\${aws_launch_template.${ltName}.latest_version}`);
  assert.equal(group.vpc_zone_identifier, '${aws_subnet.private[*].id}');
  assert.equal(group.health_check_type, 'ELB');

  const attached = (strings(group.target_group_arns ?? []))
    .concat(all(c, 'aws_autoscaling_attachment').filter((a) => a.body.autoscaling_group_name === `\${aws_autoscaling_group.${name}.id}` || a.body.autoscaling_group_name === `\${aws_autoscaling_group.${name}.name}`).map((a) => a.body.lb_target_group_arn))
    .map((arn) => /^\$\{aws_lb_target_group\.(\w+)\.arn\}$/.exec(arn)?.[1]).filter(Boolean);
  assert.equal(attached.length, 1, 'the group is attached to one ALB target group');
  const tg = resource(c, 'aws_lb_target_group', attached[0]);
  assert.equal(tg.port, '${var.gateway_port}');
  assert.equal(tg.health_check?.[0]?.path, '/_epsilon/health');

  const listeners = all(c, 'aws_lb_listener').map((l) => l.body);
  const https = listeners.find((l) => l.protocol === 'HTTPS');
  assert.ok(https, 'an HTTPS listener');
  assert.equal(https.certificate_arn, '${var.certificate_arn}');
  assert.equal(https.default_action[0].target_group_arn, `\${aws_lb_target_group.${attached[0]}.arn}`);
  const http = listeners.find((l) => l.protocol === 'HTTP');
  assert.equal(http?.default_action?.[0]?.type, 'redirect', 'HTTP redirects');
  assert.equal(http.default_action[0].redirect[0].protocol, 'HTTPS');
  assert.equal(https.load_balancer_arn, http.load_balancer_arn);

  const policies = all(c, 'aws_autoscaling_policy').filter((p) => p.body.autoscaling_group_name === `\${aws_autoscaling_group.${name}.name}`);
  assert.ok(policies.some((p) => p.body.policy_type === 'TargetTrackingScaling'), 'a target-tracking policy on the group');
});

test('the termination lifecycle hook holds a gateway longer than its drain', async () => {
  const c = await config();
  const { name, body: group } = all(c, 'aws_autoscaling_group')[0];
  const hooks = (group.initial_lifecycle_hook ?? [])
    .concat(all(c, 'aws_autoscaling_lifecycle_hook').map((h) => h.body).filter((h) => h.autoscaling_group_name === `\${aws_autoscaling_group.${name}.name}`))
    .filter((h) => h.lifecycle_transition === 'autoscaling:EC2_INSTANCE_TERMINATING');
  assert.equal(hooks.length, 1, 'one termination hook on the group');
  const [hook] = hooks;
  assert.equal(hook.default_result, 'CONTINUE');
  assert.ok(Number(variableDefault(c, hook.heartbeat_timeout)) > 35, 'heartbeat timeout above DrainDelay + DrainTimeout (35 s)');
  // The gateway completes the hook by the name its configuration gives.
  assert.equal(hook.name, '${local.lifecycle_hook_name}');
  assert.equal(group.name, '${local.gateway_group_name}');
});

test('the launch template boots the cloud-init with the fleet configuration and IMDSv2 one hop only', async () => {
  const c = await config();
  const { body: lt } = all(c, 'aws_launch_template')[0];
  assert.equal(lt.metadata_options[0].http_tokens, 'required');
  assert.equal(lt.metadata_options[0].http_put_response_hop_limit, 1);
  assert.equal(lt.iam_instance_profile[0].arn, '${aws_iam_instance_profile.gateway.arn}');
  assert.match(lt.user_data, /templatefile\("\$\{path\.module\}\/\.\.\/cloud-init\/user-data\.yaml\.tpl", merge\(local\.user_data_vars, \{ role = "gateway" \}\)\)/);
  const builder = resource(c, 'aws_instance', 'builder');
  assert.match(builder.user_data, /merge\(local\.user_data_vars, \{ role = "builder" \}\)/);
  assert.equal(builder.iam_instance_profile, '${aws_iam_instance_profile.builder.name}');

  const template = fs.readFileSync(path.join(infra, 'cloud-init', 'user-data.yaml.tpl'), 'utf8');
  assert.ok(!template.includes('%{'), 'no template directives');
  const placeholders = new Set([...template.matchAll(/(?<!\$)\$\{(\w+)\}/g)].map((m) => m[1]));
  const given = new Set([...Object.keys(c.locals.user_data_vars.value), 'role']);
  assert.deepEqual([...placeholders].sort(), [...given].sort(), 'the template uses exactly the variables terraform gives it');
  const rendered = template.replace(/\$\{(\w+)\}/g, (_, k) => `x-${k}`);
  assert.ok(rendered.startsWith('#cloud-config\n'));
  const cloud = YAML.parse(rendered);
  const env = cloud.write_files.find((f) => f.path === '/etc/epsilon/epsilon.env').content;
  for (const line of ['Epsilon__Store__Provider=Postgres', 'Epsilon__Registry__Provider=Ecr', 'Epsilon__Registry__Address=x-registry',
    'Epsilon__Aws__Region=x-region', 'Epsilon__Gateway__Aws__LifecycleHookName=x-lifecycle_hook_name',
    'Epsilon__Gateway__Aws__AutoScalingGroupName=x-group_name', 'EPSILON_DB_PASSWORD_PARAMETER=x-db_password_parameter',
    'Epsilon__Gateway__TrustedProxies__0=x-trusted_proxies', 'EPSILON_SECRETS_KEY_PARAMETER=x-secrets_key_parameter']) {
    assert.ok(env.split('\n').includes(line), `epsilon.env sets ${line}`);
  }
  assert.match(cloud.runcmd.join('\n'), /infra\/systemd\/install\.sh 'x-role'/);
  assert.match(cloud.runcmd.join('\n'), /fetch -q --depth 1 origin 'x-ref'/);
  assert.equal(c.locals.user_data_vars.value.lifecycle_hook_name, '${local.lifecycle_hook_name}');
  assert.equal(c.locals.user_data_vars.value.group_name, '${local.gateway_group_name}');
  assert.equal(c.locals.user_data_vars.value.trusted_proxies, '${var.vpc_cidr}');
});

test('the database is PostgreSQL 15 in the private subnets, TLS required, its password in SSM', async () => {
  const c = await config();
  const dbs = all(c, 'aws_db_instance');
  assert.equal(dbs.length, 1);
  const db = dbs[0].body;
  assert.equal(db.engine, 'postgres');
  assert.match(String(db.engine_version), /^15(\.|$)/);
  assert.equal(db.publicly_accessible, false);
  assert.equal(db.storage_encrypted, true);
  const pg = /^aws_db_parameter_group\.(\w+)\.name$/.exec(ref(db.parameter_group_name) ?? '')?.[1];
  const group = resource(c, 'aws_db_parameter_group', pg);
  assert.ok(group, 'the instance uses a declared parameter group');
  assert.equal(group.family, 'postgres15');
  assert.ok(group.parameter.some((p) => p.name === 'rds.force_ssl' && String(p.value) === '1'), 'rds.force_ssl = 1');
  const subnets = /^aws_db_subnet_group\.(\w+)\.name$/.exec(ref(db.db_subnet_group_name) ?? '')?.[1];
  assert.equal(resource(c, 'aws_db_subnet_group', subnets)?.subnet_ids, '${aws_subnet.private[*].id}');
  const secret = all(c, 'aws_ssm_parameter').find((p) => p.body.value === db.password);
  assert.ok(secret, 'the password the database gets is the one in SSM');
  assert.equal(secret.body.type, 'SecureString');
  assert.match(db.password, /^\$\{random_password\.\w+\.result\}$/);
});

test('every function repository in ECR has a lifecycle policy keeping the newest images', async () => {
  const c = await config();
  const repos = all(c, 'aws_ecr_repository');
  assert.ok(repos.length > 0);
  for (const { name } of repos) {
    const policy = all(c, 'aws_ecr_lifecycle_policy').find((p) => p.body.for_each === `\${aws_ecr_repository.${name}}`);
    assert.ok(policy, `aws_ecr_repository.${name} has a lifecycle policy for each of its repositories`);
    assert.match(policy.body.policy, /countType\s*=\s*"imageCountMoreThan"/);
    assert.match(policy.body.policy, /countNumber\s*=\s*var\.images_kept/);
    assert.match(policy.body.policy, /type = "expire"/);
  }
  assert.equal(c.variable.images_kept.body.default, 30);
});

test('each role is granted exactly its listed IAM actions, and nothing else is attached', async () => {
  const c = await config();
  for (const forbidden of ['aws_iam_role_policy_attachment', 'aws_iam_policy_attachment', 'aws_iam_policy', 'aws_iam_user', 'aws_iam_group']) {
    assert.deepEqual(all(c, forbidden).map((r) => r.name), [], `no ${forbidden}`);
  }
  const roles = all(c, 'aws_iam_role');
  assert.deepEqual(roles.map((r) => r.name).sort(), Object.keys(expectedActions).sort());
  for (const { name, body } of roles) {
    assert.ok(!body.managed_policy_arns && !body.inline_policy, `aws_iam_role.${name} attaches no other policy`);
    const assume = c.data.aws_iam_policy_document[/^data\.aws_iam_policy_document\.(\w+)\.json$/.exec(ref(body.assume_role_policy))[1]].body;
    assert.deepEqual(assume.statement.flatMap((s) => s.principals.flatMap((p) => p.identifiers)), ['ec2.amazonaws.com']);
    const policies = all(c, 'aws_iam_role_policy').filter((p) => p.body.role === `\${aws_iam_role.${name}.id}` || p.body.role === `\${aws_iam_role.${name}.name}`);
    assert.ok(policies.length > 0, `aws_iam_role.${name} has a policy`);
    const statements = policies.flatMap((p) => {
      const doc = /^data\.aws_iam_policy_document\.(\w+)\.json$/.exec(ref(p.body.policy) ?? '')?.[1];
      assert.ok(doc, `aws_iam_role_policy.${p.name} is a declared policy document`);
      return c.data.aws_iam_policy_document[doc].body.statement;
    });
    for (const s of statements) {
      assert.ok(!s.effect || s.effect === 'Allow');
      assert.ok(!s.not_actions && !s.not_resources, 'no NotAction or NotResource');
      for (const action of s.actions) assert.ok(!action.includes('*'), `${action}: no wildcard actions`);
      if (strings(s.resources).includes('*')) assert.deepEqual(s.actions, ['ecr:GetAuthorizationToken'], 'only the ECR login has no resource');
    }
    const actions = [...new Set(statements.flatMap((s) => s.actions))].sort();
    assert.deepEqual(actions, expectedActions[name], `aws_iam_role.${name}'s actions`);
  }
});

test('security groups: the internet reaches only the ALB, the database only gateways and the builder', async () => {
  const c = await config();
  const ingress = all(c, 'aws_vpc_security_group_ingress_rule').map((r) => r.body);
  const into = (sg) => ingress.filter((r) => r.security_group_id === `\${aws_security_group.${sg}.id}`);
  assert.deepEqual(into('alb').map((r) => [r.cidr_ipv4, r.from_port]).sort(), [['0.0.0.0/0', 443], ['0.0.0.0/0', 80]].sort());
  assert.deepEqual(into('gateway').map((r) => [r.referenced_security_group_id, r.from_port]).sort(),
    [['${aws_security_group.alb.id}', '${var.gateway_port}'], ['${aws_security_group.gateway.id}', '${var.gateway_port}']]);
  assert.deepEqual(into('db').map((r) => [r.referenced_security_group_id, r.from_port]).sort(),
    [['${aws_security_group.builder.id}', 5432], ['${aws_security_group.gateway.id}', 5432]]);
  assert.ok(into('builder').every((r) => r.cidr_ipv4 === '${each.value}' && r.for_each === '${toset(var.builder_ingress_cidrs)}'));
  assert.equal(all(c, 'aws_security_group').flatMap((s) => s.body.ingress ?? []).length, 0, 'rules only as separate resources');
});

test('the outputs name the URLs, the registry and the database endpoint', async () => {
  const c = await config();
  for (const name of ['gateway_url', 'builder_url', 'ecr_registry', 'db_endpoint']) assert.ok(c.output[name], `output ${name}`);
});

test('the systemd units run the built services with the shared configuration', () => {
  const unit = (name) => fs.readFileSync(path.join(infra, 'systemd', name), 'utf8').split('\n');
  for (const [name, project] of [['epsilon-gateway.service', 'gateway/Epsilon.Gateway'], ['epsilon-builder.service', 'builder/Epsilon.Builder']]) {
    const lines = unit(name);
    const value = (key) => lines.filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));
    assert.ok(value('EnvironmentFile').includes('/etc/epsilon/epsilon.env'), `${name} reads /etc/epsilon/epsilon.env`);
    const role = name.split('-')[1].split('.')[0];
    assert.deepEqual(value('ExecStartPre'), [`+/usr/local/lib/epsilon/epsilon-env ${role}`, '+/bin/bash ${EPSILON_HOME}/scripts/egress.sh up']);
    assert.ok(fs.existsSync(path.join(repoRoot, 'scripts', 'egress.sh')), 'the egress policy script exists');
    assert.ok(value('EnvironmentFile').includes(`-/run/epsilon/${role}.env`));
    const dll = value('ExecStart')[0].split(' ')[1].replace('${EPSILON_HOME}/', '');
    assert.ok(fs.existsSync(path.join(repoRoot, project, `${path.basename(project)}.csproj`)), `${project} exists`);
    assert.equal(dll, `${project}/bin/Release/net10.0/${path.basename(project)}.dll`);
  }
  const gateway = unit('epsilon-gateway.service');
  const stop = Number(gateway.find((l) => l.startsWith('TimeoutStopSec=')).split('=')[1]);
  assert.ok(stop > 35, 'systemd waits for the drain before SIGKILL');
  assert.ok(fs.statSync(path.join(infra, 'systemd', 'epsilon-env')).mode & 0o111, 'epsilon-env is executable');
  assert.ok(fs.statSync(path.join(infra, 'systemd', 'install.sh')).mode & 0o111, 'install.sh is executable');
});

test('the fleet registry unit serves HTTPS with basic auth from the files install.sh puts in place', () => {
  const systemd = path.join(infra, 'systemd');
  const lines = fs.readFileSync(path.join(systemd, 'epsilon-registry.service'), 'utf8').split('\n');
  const value = (key) => lines.filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));
  assert.deepEqual(value('ExecStart'), ['/usr/bin/docker-registry serve /etc/epsilon/registry.yml']);
  assert.deepEqual(value('User'), ['docker-registry']);
  const config = YAML.parse(fs.readFileSync(path.join(systemd, 'epsilon-registry.yml'), 'utf8'));
  assert.deepEqual(value('ReadWritePaths'), [config.storage.filesystem.rootdirectory]);
  assert.ok(config.http.tls.certificate && config.http.tls.key, 'TLS only: a certificate and a key');
  assert.ok(config.auth.htpasswd.path, 'basic auth from an htpasswd file');
  const install = fs.readFileSync(path.join(systemd, 'install.sh'), 'utf8');
  assert.ok(install.includes('"$ROOT/infra/systemd/epsilon-registry.yml" /etc/epsilon/registry.yml'), 'install.sh installs the config the unit serves');
  for (const file of [config.http.tls.certificate, config.http.tls.key, config.auth.htpasswd.path, config.storage.filesystem.rootdirectory]) {
    assert.ok(install.includes(file), `install.sh provides ${file}`);
  }
  assert.ok(install.includes('"/etc/docker/certs.d/$registry_address/ca.crt"'), 'the engine trusts the registry by certs.d');
  const example = fs.readFileSync(path.join(systemd, 'epsilon.env.example'), 'utf8');
  for (const setting of ['EPSILON_REGISTRY_SERVE', 'EPSILON_REGISTRY_CA', 'Epsilon__Registry__Username', 'Epsilon__Registry__PasswordFile']) {
    assert.ok(example.includes(`#${setting}=`), `epsilon.env.example shows ${setting}`);
    assert.ok(install.includes(`setting ${setting})`), `install.sh reads ${setting}`);
  }
});

test('epsilon-env writes the secrets key from SSM to a file only the service reads, and points the service at it', () => {
  const { execFileSync } = require('node:child_process');
  const os = require('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'epsilon-env-'));
  try {
    // A stand-in for the AWS CLI: prints the parameter's value for the name it is asked.
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'aws'), '#!/bin/sh\ncase "$*" in *"--name /epsilon/secrets/key"*) printf "a2V5LWZyb20tc3Nt";; *) exit 3;; esac\n', { mode: 0o755 });
    const run = path.join(dir, 'run');
    execFileSync(path.join(infra, 'systemd', 'epsilon-env'), ['builder'], {
      env: { PATH: `${bin}:${process.env.PATH}`, EPSILON_RUN_DIR: run, AWS_REGION: 'x-region', EPSILON_SECRETS_KEY_PARAMETER: '/epsilon/secrets/key',
        EPSILON_SERVICE_USER: String(os.userInfo().uid) },
    });
    const keyfile = path.join(run, 'secrets.key');
    assert.equal(fs.readFileSync(keyfile, 'utf8'), 'a2V5LWZyb20tc3Nt');
    assert.equal(fs.statSync(keyfile).mode & 0o777, 0o600);
    assert.ok(fs.readFileSync(path.join(run, 'builder.env'), 'utf8').split('\n').includes(`Epsilon__Secrets__KeyFile=${keyfile}`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
