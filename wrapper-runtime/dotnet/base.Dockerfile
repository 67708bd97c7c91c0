# Base image of every .NET function (epsilon/runtime-dotnet): Debian bookworm plus the ASP.NET Core runtime only (the
# dotnet muxer, host/, shared/Microsoft.NETCore.App and shared/Microsoft.AspNetCore.App; no SDK), CA certificates,
# user epsilon 10001:10001. Built by scripts/setup.sh: no image can be pulled here and Debian has no dotnet package,
# so the context holds the host's .NET install as dotnet/ (just the runtime parts for this image; see
# dotnet-sdk.include) plus the host's CA bundle as extra-ca.crt, trusted too (functions calling out through the proxy).
# No ICU: globalization is invariant (saves ~35 MB). Each function image adds its published app (Dockerfile.template).
FROM epsilon/debian:bookworm
RUN printf 'path-exclude=/usr/share/doc/*\npath-exclude=/usr/share/man/*\npath-exclude=/usr/share/info/*\npath-exclude=/usr/share/locale/*\n' \
      > /etc/dpkg/dpkg.cfg.d/01-epsilon-nodoc \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates >/dev/null \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
 && groupadd --gid 10001 epsilon \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin epsilon
COPY extra-ca.crt /usr/local/share/ca-certificates/epsilon-extra.crt
RUN if [ -s /usr/local/share/ca-certificates/epsilon-extra.crt ]; then update-ca-certificates >/dev/null 2>&1; \
    else rm /usr/local/share/ca-certificates/epsilon-extra.crt; fi
COPY dotnet/ /usr/share/dotnet/
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
# Read-only root file system: no diagnostics IPC socket, nothing written outside /tmp.
ENV DOTNET_ROOT=/usr/share/dotnet \
    DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 \
    DOTNET_EnableDiagnostics=0 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1 \
    DOTNET_gcServer=0 \
    TMPDIR=/tmp \
    LANG=C.UTF-8
WORKDIR /app
