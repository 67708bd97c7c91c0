# Build image of Node functions (epsilon/runtime-node-build): Debian's node and npm, used only by the first stage
# of Dockerfile.template to install a function's dependencies (`npm ci`); never shipped (npm adds ~240 MB).
# Built by scripts/setup.sh with this folder (without node_modules and test/) plus the host's CA bundle as
# extra-ca.crt for the context.
#
# Certificates: npm runs on node, which trusts the bundle NODE_EXTRA_CA_CERTS names in addition to its own.
# The image trusts the set-up's bundle (/etc/epsilon/extra-ca.crt, so npm works here by itself, e.g. when
# debugging); a function build gives npm its own context's extra-ca.crt instead when that one is not empty
# (deps.js sets NODE_EXTRA_CA_CERTS for npm).
FROM epsilon/debian:bookworm
RUN printf 'path-exclude=/usr/share/doc/*\npath-exclude=/usr/share/man/*\npath-exclude=/usr/share/info/*\n' \
      > /etc/dpkg/dpkg.cfg.d/01-epsilon-nodoc \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm ca-certificates >/dev/null \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /var/cache/apt/*.bin
COPY extra-ca.crt /etc/epsilon/extra-ca.crt
# node warns on every start when the bundle it is given is empty: then it gets the system's (trusted anyway).
RUN [ -s /etc/epsilon/extra-ca.crt ] || cp /etc/ssl/certs/ca-certificates.crt /etc/epsilon/extra-ca.crt
ENV NODE_EXTRA_CA_CERTS=/etc/epsilon/extra-ca.crt \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
WORKDIR /opt/epsilon/deps
