# Build stage of every Python function (epsilon/runtime-python-build:<hash>, built by scripts/setup.sh): the same
# Debian python3 as the base image plus pip, venv, setuptools and wheel, to install a function's requirements.txt
# into /opt/epsilon/deps (Dockerfile.template), which the function image copies. No compiler: packages must come as
# wheels or be pure Python.
FROM epsilon/debian:bookworm
RUN printf 'path-exclude=/usr/share/doc/*\npath-exclude=/usr/share/man/*\npath-exclude=/usr/share/info/*\n' \
      > /etc/dpkg/dpkg.cfg.d/01-epsilon-nodoc \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      python3 python3-pip python3-venv python3-setuptools python3-wheel ca-certificates >/dev/null \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /var/cache/apt/*.bin
# pip: no cache in layers, no version check (no network to check with), no warning about running as root.
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PIP_NO_INPUT=1 \
    PYTHONUTF8=1 \
    LANG=C.UTF-8
