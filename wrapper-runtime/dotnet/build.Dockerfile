# Build image of .NET functions (epsilon/runtime-dotnet-build): Debian bookworm plus the host's .NET SDK, used only by
# the build stages of Dockerfile.template (restore, compile, ReadyToRun publish); never shipped. Built by
# scripts/setup.sh with this folder (without src/) plus the host's .NET install as dotnet/ (see dotnet-sdk.include)
# and the host's CA bundle as extra-ca.crt: NuGet restores go through a TLS-intercepting proxy here.
FROM epsilon/debian:bookworm
RUN printf 'path-exclude=/usr/share/doc/*\npath-exclude=/usr/share/man/*\npath-exclude=/usr/share/info/*\npath-exclude=/usr/share/locale/*\n' \
      > /etc/dpkg/dpkg.cfg.d/01-epsilon-nodoc \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates >/dev/null \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log
COPY extra-ca.crt /usr/local/share/ca-certificates/epsilon-extra.crt
RUN if [ -s /usr/local/share/ca-certificates/epsilon-extra.crt ]; then update-ca-certificates >/dev/null 2>&1; \
    else rm /usr/local/share/ca-certificates/epsilon-extra.crt; fi
COPY dotnet/ /usr/share/dotnet/
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV DOTNET_ROOT=/usr/share/dotnet \
    DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1 \
    DOTNET_GENERATE_ASPNET_CERTIFICATE=false \
    DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE=1 \
    DOTNET_CLI_USE_MSBUILD_SERVER=0 \
    MSBUILDDISABLENODEREUSE=1 \
    MSBUILDTERMINALLOGGER=off \
    NUGET_CERT_REVOCATION_MODE=offline \
    NUGET_XMLDOC_MODE=skip
# The packages every function build needs whatever its code (the linux-x64 runtime packs and Crossgen2 for
# ReadyToRun, as the host project asks for them), fetched once here instead of by each function's restore.
COPY warmup/ /tmp/warmup/
RUN dotnet restore /tmp/warmup/Warmup.csproj -nologo -v q \
 && rm -rf /tmp/warmup /tmp/NuGetScratch* /root/.local/share/NuGet/http-cache
WORKDIR /src
