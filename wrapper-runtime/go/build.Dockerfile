# Build stage image of every Go function (epsilon/runtime-go-build): Debian's Go 1.19, git (for `go mod download`
# of modules fetched "direct") and the CA certificates. Built by scripts/setup.sh; the function's Dockerfile.template
# starts its build stages FROM it. Nothing of it reaches a function's final image.
FROM epsilon/debian:bookworm
RUN printf 'path-exclude=/usr/share/doc/*\npath-exclude=/usr/share/man/*\npath-exclude=/usr/share/info/*\n' \
      > /etc/dpkg/dpkg.cfg.d/01-epsilon-nodoc \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends golang-go git ca-certificates >/dev/null \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /var/cache/apt/*.bin
# Static binaries (CGO_ENABLED=0); -mod=mod lets go add go.sum lines for what it already downloaded; no go.work.
# GOPROXY stays Go's default (https://proxy.golang.org,direct); SSL_CERT_FILE is set by the template to the system
# bundle plus the build context's extra-ca.crt.
ENV PATH=/usr/lib/go-1.19/bin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    GOPATH=/go \
    GOCACHE=/go/cache \
    GOMODCACHE=/go/pkg/mod \
    CGO_ENABLED=0 \
    GOFLAGS=-mod=mod \
    GOWORK=off \
    GOTOOLCHAIN=local
# The standard library packages every function links (net/http and what the wrapper uses), compiled once here with
# the flags of a function build, so each build compiles only the wrapper and the function's own code.
RUN go build -trimpath net/http encoding/json log os/signal crypto/rand runtime/debug time/tzdata \
      go/build go/parser go/ast text/template \
 && go version
