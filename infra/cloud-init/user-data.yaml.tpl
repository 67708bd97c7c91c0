#cloud-config
# Installs Epsilon on a Debian 12 VM as a gateway or as the builder: writes /etc/epsilon/epsilon.env, fetches Epsilon at
# a ref and runs its infra/systemd/install.sh (Debian packages, .NET, scripts/setup.sh, the systemd unit).
# Terraform renders it with templatefile (infra/terraform/gateways.tf and builder.tf). By hand, export the placeholders
# names (role, repository, ref, dotnet_channel, region, registry, db_host, db_password_parameter, db_ca_url,
# gateway_port, builder_port, public_url, lifecycle_hook_name, group_name) and render it with
#   envsubst '$role $repository $ref $dotnet_channel $region $registry $db_host $db_password_parameter $db_ca_url
#             $gateway_port $builder_port $public_url $lifecycle_hook_name $group_name' <user-data.yaml.tpl
# (the template holds no other dollar sign followed by a brace). Each service reads only its own options
# (Epsilon:Gateway:* or Epsilon:Builder:*), so both roles get the same file.
write_files:
  - path: /etc/epsilon/epsilon.env
    owner: root:root
    permissions: "0640"
    content: |
      # Written by cloud-init (infra/cloud-init/user-data.yaml.tpl); read by epsilon-gateway and epsilon-builder.
      # Holds no secret: the database password is read from SSM at each service start (infra/systemd/epsilon-env).
      EPSILON_HOME=/opt/epsilon
      EPSILON_GATEWAY_PORT=${gateway_port}
      EPSILON_BUILDER_PORT=${builder_port}
      AWS_REGION=${region}
      Epsilon__Aws__Region=${region}
      Epsilon__Store__Provider=Postgres
      EPSILON_DB_HOST=${db_host}
      EPSILON_DB_NAME=epsilon
      EPSILON_DB_USER=epsilon
      EPSILON_DB_PASSWORD_PARAMETER=${db_password_parameter}
      EPSILON_SECRETS_KEY_PARAMETER=${secrets_key_parameter}
      EPSILON_DB_CA=/etc/epsilon/db-ca.pem
      EPSILON_DB_CA_URL=${db_ca_url}
      Epsilon__Registry__Provider=Ecr
      Epsilon__Registry__Address=${registry}
      Epsilon__Gateway__Aws__LifecycleHookName=${lifecycle_hook_name}
      Epsilon__Gateway__Aws__AutoScalingGroupName=${group_name}
      Epsilon__Gateway__TrustedProxies__0=${trusted_proxies}
      Epsilon__Builder__GatewayUrl=${public_url}
runcmd:
  - |
    set -eu
    export HOME=/root
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq git ca-certificates
    git init -q /opt/epsilon
    git -C /opt/epsilon remote add origin '${repository}'
    git -C /opt/epsilon fetch -q --depth 1 origin '${ref}'
    git -C /opt/epsilon checkout -q --detach FETCH_HEAD
    EPSILON_DOTNET_CHANNEL='${dotnet_channel}' /opt/epsilon/infra/systemd/install.sh '${role}'
