#!/bin/bash
# Build stage of a .NET function (Dockerfile.template), in the build image (epsilon/runtime-dotnet-build):
#   build.sh restore NAME PROJECT   restores the host (/src/host) and the function's project (/src/function/PROJECT)
#   build.sh publish NAME PROJECT   compiles both and publishes them, ReadyToRun, to /app
# The output goes to the build log as it comes; a failure ends with ONE line the builder reports as the deploy's error:
#   epsilon: function 'NAME': installing dependencies failed: Echo.csproj: error NU1101: Unable to find package ...
#   epsilon: function 'NAME': Echo.cs(12,5): error CS1002: ; expected
set -uo pipefail
mode="$1" name="$2" project="/src/function/$3"
host=/src/host/EpsilonHost.csproj
log="/tmp/epsilon-$mode.log"

# The context's extra CA bundle (a TLS-intercepting proxy) is trusted in addition to the image's.
if [ -s /src/extra-ca.crt ]; then
  cat /etc/ssl/certs/ca-certificates.crt /src/extra-ca.crt > /tmp/epsilon-ca.pem
  export SSL_CERT_FILE=/tmp/epsilon-ca.pem
fi

# First error of an MSBuild log, without the "[project]" suffix and with paths relative to the repository.
first_error() {
  grep -m1 -E ': error [A-Z]+[0-9]+: |: error : ' "$1" | sed -E -e 's/ \[[^]]*\]$//' -e 's#/src/function/##g' -e 's/ +: error /: error /' -e 's/\r$//'
}

case "$mode" in
  restore)
    # A NuGet.config at the repository's root applies as it would to `dotnet restore` there (it is found above the host).
    for config in nuget.config NuGet.config NuGet.Config; do
      if [ -f "/src/function/$config" ]; then cp "/src/function/$config" /src/NuGet.Config; break; fi
    done
    dotnet restore "$host" "-p:EpsilonFunctionProject=$project" -nologo -v m --tl:off 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    if [ "$status" -ne 0 ]; then
      reason="$(first_error "$log")"
      echo "epsilon: function '$name': installing dependencies failed: ${reason:-dotnet restore exited with $status}"
      exit 1
    fi
    ;;
  publish)
    dotnet publish "$host" -c Release --no-restore -o /app "-p:EpsilonFunctionProject=$project" -nologo -v m --tl:off -clp:NoSummary 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    if [ "$status" -ne 0 ]; then
      reason="$(first_error "$log")"
      echo "epsilon: function '$name': ${reason:-compiling failed (dotnet publish exited with $status)}"
      exit 1
    fi
    ;;
  *)
    echo "usage: build.sh restore|publish NAME PROJECT" >&2
    exit 2
    ;;
esac
