# The builder and the gateway for docker-compose.yml, built from this repository (context: the repository root).
# Nothing is pulled: the build stage is epsilon/runtime-dotnet-build (the host's .NET SDK on the bootstrapped Debian,
# with the host's CA bundle so NuGet restores through a TLS-intercepting proxy) and the runtime stage is
# epsilon/runtime-dotnet (the ASP.NET Core runtime only); scripts/setup.sh builds both. The legacy builder caches per
# instruction: the restore layer is reused until a project file or Directory.*.props changes.
FROM epsilon/runtime-dotnet-build:latest AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY core/Epsilon.Core/Epsilon.Core.csproj core/Epsilon.Core/
COPY core/Epsilon.Aws/Epsilon.Aws.csproj core/Epsilon.Aws/
COPY builder/Epsilon.Builder/Epsilon.Builder.csproj builder/Epsilon.Builder/
COPY gateway/Epsilon.Gateway/Epsilon.Gateway.csproj gateway/Epsilon.Gateway/
RUN dotnet restore builder/Epsilon.Builder/Epsilon.Builder.csproj -nologo -v q \
 && dotnet restore gateway/Epsilon.Gateway/Epsilon.Gateway.csproj -nologo -v q
COPY core/ core/
COPY builder/ builder/
COPY gateway/ gateway/
# The builder ships the wrapper runtimes (their templates and servers) as its runtimes/ folder.
COPY wrapper-runtime/ wrapper-runtime/
RUN dotnet publish builder/Epsilon.Builder/Epsilon.Builder.csproj -c Release --no-restore -nologo -v q -o /out/builder \
 && dotnet publish gateway/Epsilon.Gateway/Epsilon.Gateway.csproj -c Release --no-restore -nologo -v q -o /out/gateway

# Both services run as root in their containers: they drive the host's Docker engine through its socket, which is
# root's in all but name anyway. curl is for the health checks.
FROM epsilon/runtime-dotnet:latest AS runtime
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl >/dev/null \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log

# The builder fetches repositories with the git CLI. The repositories folder is mounted read-only by the operator and
# may belong to another uid than the container's root: git's ownership check would refuse to read it.
FROM runtime AS builder
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git >/dev/null \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
 && git config --system --add safe.directory '*'
COPY --from=build /out/builder/ /app/
ENTRYPOINT ["dotnet", "/app/Epsilon.Builder.dll"]

FROM runtime AS gateway
COPY --from=build /out/gateway/ /app/
ENTRYPOINT ["dotnet", "/app/Epsilon.Gateway.dll"]
