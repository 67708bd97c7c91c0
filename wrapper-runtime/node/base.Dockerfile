# Base image of every Node function: Debian's node (no npm) plus the wrapper's production dependencies.
# Built by scripts/setup.sh as epsilon/runtime-node:<hash of this file and package*.json>; the build context is
# this folder (without node_modules) plus the host's CA bundle as extra-ca.crt, so npm works behind a
# TLS-intercepting proxy. The wrapper's own code (src/) is not in here: each function image copies it
# (Dockerfile.template), so a change to it never rebuilds this image.

# Stage 1: npm (Debian's npm package is large and slow to install) only to fetch the locked dependencies.
FROM epsilon/debian:bookworm AS deps
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
COPY extra-ca.crt /extra-ca.crt
ENV NODE_EXTRA_CA_CERTS=/extra-ca.crt
WORKDIR /opt/epsilon/runtime
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=warn \
 && rm -rf /root/.npm

# Stage 2: what functions run on: node and express, nothing else. /opt/epsilon/cache belongs to the function's
# user so the build-time check (Dockerfile.template) can write the start-up module cache there.
FROM epsilon/debian:bookworm
RUN printf 'path-exclude=/usr/share/doc/*\npath-exclude=/usr/share/man/*\npath-exclude=/usr/share/info/*\n' \
      > /etc/dpkg/dpkg.cfg.d/01-epsilon-nodoc \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs >/dev/null \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /var/cache/apt/*.bin \
 && groupadd --gid 10001 epsilon \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin epsilon \
 && mkdir -p /opt/epsilon/runtime /opt/epsilon/function \
 && install -d -o 10001 -g 10001 -m 0755 /opt/epsilon/cache
ENV NODE_ENV=production
COPY --from=deps /opt/epsilon/runtime/node_modules /opt/epsilon/runtime/node_modules
WORKDIR /opt/epsilon/function
