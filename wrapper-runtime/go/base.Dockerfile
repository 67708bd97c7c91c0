# Base image of every Go function (epsilon/runtime-go): no distribution at all, since a function is one static
# binary (CGO_ENABLED=0). What the binary needs from a file system: the CA certificates (for HTTPS calls; the
# function's image replaces the bundle with the system's plus the build's extra-ca.crt), /etc/passwd and /etc/group
# naming the function's user 10001, nsswitch.conf for the resolver order, an empty /tmp (a tmpfs in the container).
# Time zones are compiled into the binary (time/tzdata).
FROM epsilon/debian:bookworm AS files
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates >/dev/null \
 && mkdir -p /rootfs/etc/ssl/certs /rootfs/tmp /rootfs/opt/epsilon/bin /rootfs/opt/epsilon/function \
 && chmod 1777 /rootfs/tmp \
 && cp /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/ca-certificates.crt \
 && printf 'root:x:0:0:root:/root:/sbin/nologin\nepsilon:x:10001:10001:epsilon:/nonexistent:/sbin/nologin\n' > /rootfs/etc/passwd \
 && printf 'root:x:0:\nepsilon:x:10001:\n' > /rootfs/etc/group \
 && printf 'hosts: files dns\n' > /rootfs/etc/nsswitch.conf

FROM scratch
COPY --from=files /rootfs/ /
USER 10001:10001
WORKDIR /opt/epsilon/function
EXPOSE 8080
