# Base image of every Python function: Debian bookworm's python3 (3.11) and the CA certificates, nothing else.
# Built by scripts/setup.sh as epsilon/runtime-python:<hash>; the build context is this folder (without src/ and test/)
# plus the host's CA bundle as extra-ca.crt (not needed here: nothing is downloaded but Debian packages over plain http).
# The wrapper (src/) is standard library only and copied by each function image (Dockerfile.template), so a change
# to it never rebuilds this image. pip is not in here: dependencies are installed in the build image (build.Dockerfile).
FROM epsilon/debian:bookworm
RUN printf 'path-exclude=/usr/share/doc/*\npath-exclude=/usr/share/man/*\npath-exclude=/usr/share/info/*\npath-exclude=/usr/share/locale/*\npath-include=/usr/share/locale/locale.alias\n' \
      > /etc/dpkg/dpkg.cfg.d/01-epsilon-nodoc \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 ca-certificates >/dev/null \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
 && groupadd --gid 10001 epsilon \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin epsilon \
 && mkdir -p /opt/epsilon/runtime /opt/epsilon/function /opt/epsilon/deps
# No .pyc writes at run time (the root file system is read-only; images are compiled at build time instead), output
# unbuffered so a log line is out the moment it is written, UTF-8 whatever the locale.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONUTF8=1 \
    LANG=C.UTF-8
WORKDIR /opt/epsilon/function
