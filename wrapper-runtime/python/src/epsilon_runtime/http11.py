"""A small threaded HTTP/1.1 server: one thread per connection, keep-alive, Content-Length and chunked request
bodies, Expect: 100-continue, HEAD. Standard library sockets only: http.server alone costs ~25 ms of imports, most
of a cold start.

The connection thread reads a request, then calls handle(exchange), which answers with exchange.respond(). Another
thread may answer first (the timeout watchdog): respond() is thread-safe, the first answer wins, and an answer
sent from elsewhere closes the connection, since its thread is still busy with the function.
"""

import os
import socket
import threading
import time

MAX_BODY_BYTES = 6 * 1024 * 1024  # 6 MB, as Lambda
MAX_LINE_BYTES = 8192
MAX_HEADER_BYTES = 64 * 1024
MAX_HEADERS = 200
KEEP_ALIVE_SECONDS = 65.0  # longer than the gateway keeps idle connections (30 s): it always closes first
REQUEST_ID_HEADER = "x-epsilon-request-id"

REASONS = {
    100: "Continue", 200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information",
    204: "No Content", 205: "Reset Content", 206: "Partial Content", 207: "Multi-Status", 301: "Moved Permanently",
    302: "Found", 303: "See Other", 304: "Not Modified", 307: "Temporary Redirect", 308: "Permanent Redirect",
    400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 406: "Not Acceptable", 408: "Request Timeout", 409: "Conflict", 410: "Gone",
    411: "Length Required", 412: "Precondition Failed", 413: "Payload Too Large", 414: "URI Too Long",
    415: "Unsupported Media Type", 416: "Range Not Satisfiable", 417: "Expectation Failed", 418: "I'm a teapot",
    422: "Unprocessable Entity", 423: "Locked", 425: "Too Early", 426: "Upgrade Required", 428: "Precondition Required",
    429: "Too Many Requests", 431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
    500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
    504: "Gateway Timeout", 505: "HTTP Version Not Supported", 507: "Insufficient Storage",
}

_TOKEN = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_HOP_BY_HOP = frozenset(("content-length", "transfer-encoding", "connection", "keep-alive", "upgrade"))
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def new_request_id():
    """A random (version 4) UUID, without importing uuid."""
    b = bytearray(os.urandom(16))
    b[6] = (b[6] & 0x0F) | 0x40
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def is_token(text):
    return bool(text) and all(c in _TOKEN for c in text)


def http_date(now=None):
    t = time.gmtime(now)
    return "%s, %02d %s %04d %02d:%02d:%02d GMT" % (
        _DAYS[t.tm_wday], t.tm_mday, _MONTHS[t.tm_mon - 1], t.tm_year, t.tm_hour, t.tm_min, t.tm_sec)


class Request:
    """One request as received: method, target, path, query (raw, without '?'), version, headers (list of
    (lower-case name, value) in order), body (bytes), remote address, request id."""

    __slots__ = ("method", "target", "path", "query", "version", "headers", "body", "remote_addr", "request_id",
                 "received_at")

    def __init__(self, method, target, version, headers, body, remote_addr):
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        self.remote_addr = remote_addr
        self.received_at = time.time()
        path = target
        if not path.startswith("/") and "://" in path:  # absolute-form: drop scheme and authority
            rest = path.split("://", 1)[1]
            slash = rest.find("/")
            path = rest[slash:] if slash >= 0 else "/" + ("?" + rest.split("?", 1)[1] if "?" in rest else "")
        path = path.split("#", 1)[0]
        self.path, _, self.query = path.partition("?")
        given = self.header(REQUEST_ID_HEADER)
        self.request_id = given if given and len(given) <= 200 else new_request_id()

    def header(self, name):
        """The first value of a header (name in lower case), or None."""
        for key, value in self.headers:
            if key == name:
                return value
        return None


class ProtocolError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class Exchange:
    """One request and its one answer."""

    def __init__(self, server, conn, request, keep_alive):
        self.server = server
        self.request = request
        self.keep_alive = keep_alive
        self.answered = False
        self._conn = conn
        self._lock = threading.Lock()
        self._owner = threading.get_ident()

    def respond(self, status, headers, body=b"", close=False):
        """Sends the answer unless one was sent already (then returns False). headers: (name, value) pairs;
        Content-Length, Date and Connection are the server's. Thread-safe; an answer from a thread other than the
        connection's closes the connection after it."""
        with self._lock:
            if self.answered:
                return False
            self.answered = True
            from_elsewhere = threading.get_ident() != self._owner
            if close or from_elsewhere or self.server.stopping:
                self.keep_alive = False
            data = serialize_response(status, headers, body, head=self.request.method == "HEAD",
                                      close=not self.keep_alive,
                                      keep_alive_header=self.keep_alive and self.request.version == "HTTP/1.0")
            try:
                self._conn.sendall(data)
                if from_elsewhere:
                    self._conn.shutdown(socket.SHUT_WR)
            except OSError:
                self.keep_alive = False
            return True


def serialize_response(status, headers, body, head=False, close=False, keep_alive_header=False):
    lines = ["HTTP/1.1 %d %s" % (status, REASONS.get(status, "Status %d" % status))]
    has_date = False
    for name, value in headers:
        name = str(name).strip()
        lower = name.lower()
        if lower in _HOP_BY_HOP or not is_token(name):
            continue
        if lower == "date":
            has_date = True
        value = str(value)
        if "\r" in value or "\n" in value or "\0" in value:
            value = value.replace("\r", " ").replace("\n", " ").replace("\0", " ")
        lines.append("%s: %s" % (name, value))
    no_body = status < 200 or status in (204, 304)
    if not no_body:
        lines.append("Content-Length: %d" % len(body))
    if not has_date:
        lines.append("Date: " + http_date())
    if close:
        lines.append("Connection: close")
    elif keep_alive_header:
        lines.append("Connection: keep-alive")  # an HTTP/1.0 client asked to keep the connection
    head_bytes = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
    return head_bytes if head or no_body or not body else head_bytes + body


class Server:
    """Accepts connections on a bound socket and serves each in its own thread with handle(exchange)."""

    def __init__(self, handle, on_error=None, max_body=MAX_BODY_BYTES, keep_alive_seconds=KEEP_ALIVE_SECONDS):
        self.handle = handle
        self.on_error = on_error or (lambda message: None)
        self.max_body = max_body
        self.keep_alive_seconds = keep_alive_seconds
        self.stopping = False
        self._sock = None
        self._lock = threading.Condition()
        self._connections = {}  # socket -> busy (a request is being answered)
        self._in_flight = 0

    def bind(self, host="0.0.0.0", port=8080):
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
            sock.listen(1024)
        except OSError:
            sock.close()
            raise
        self._sock = sock
        return sock.getsockname()[:2]

    def serve_forever(self):
        sock = self._sock
        while not self.stopping:
            try:
                conn, address = sock.accept()
            except OSError as exc:
                if self.stopping:
                    break
                self.on_error("accept failed: %s" % exc)
                time.sleep(0.05)  # out of file descriptors and the like: let connections close
                continue
            try:
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                thread = threading.Thread(target=self._serve_connection, args=(conn, address[0]), daemon=True)
                with self._lock:
                    self._connections[conn] = False
                thread.start()
            except (RuntimeError, OSError) as exc:  # can't start new thread (the container's pids limit)
                self.on_error("cannot serve a new connection: %s" % exc)
                self._forget(conn)
                try:
                    conn.sendall(serialize_response(503, [("Content-Type", "application/json")],
                                                    b'{"error":{"code":"Overloaded","message":"no thread left for this connection"}}',
                                                    close=True))
                except OSError:
                    pass
                conn.close()

    def stop(self):
        """Stops accepting and closes idle connections; calls in flight finish (see wait_idle)."""
        self.stopping = True
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
        with self._lock:
            idle = [conn for conn, busy in self._connections.items() if not busy]
        for conn in idle:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    @property
    def in_flight(self):
        return self._in_flight

    def wait_idle(self, timeout):
        """Waits until no call is in flight; returns whether that happened within timeout seconds."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._in_flight > 0:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
            return True

    def _set_busy(self, conn, busy):
        with self._lock:
            if conn in self._connections:
                self._connections[conn] = busy
            self._in_flight += 1 if busy else -1
            if not busy:
                self._lock.notify_all()

    def _forget(self, conn):
        with self._lock:
            self._connections.pop(conn, None)

    def _serve_connection(self, conn, remote_addr):
        reader = None
        try:
            conn.settimeout(self.keep_alive_seconds)
            reader = conn.makefile("rb", buffering=65536)
            while not self.stopping:
                try:
                    request, keep_alive = self._read_request(reader, conn, remote_addr)
                except ProtocolError as exc:
                    self._refuse(conn, exc)
                    break
                if request is None:
                    break
                self._set_busy(conn, True)
                try:
                    exchange = Exchange(self, conn, request, keep_alive)
                    try:
                        self.handle(exchange)
                    except Exception as exc:  # pylint: disable=broad-except
                        self.on_error("request failed: %r" % (exc,))
                    if not exchange.answered:
                        exchange.respond(500, [("Content-Type", "application/json"),
                                               ("X-Epsilon-Request-Id", request.request_id)],
                                         b'{"error":{"code":"InternalError","message":"the function wrapper failed to handle the request"}}')
                finally:
                    self._set_busy(conn, False)
                if not exchange.keep_alive:
                    break
        except (OSError, ValueError):
            pass  # the peer went away, or the idle timeout passed: nothing to answer
        finally:
            self._forget(conn)
            try:
                if reader is not None:
                    reader.close()
            except OSError:
                pass
            try:
                conn.close()
            except OSError:
                pass

    def _refuse(self, conn, error):
        body = ('{"error":{"code":"%s","message":"%s"}}' % (error.code, error.message.replace("\\", "\\\\").replace('"', '\\"'))).encode()
        try:
            conn.sendall(serialize_response(error.status, [("Content-Type", "application/json"),
                                                           ("X-Epsilon-Request-Id", new_request_id())], body, close=True))
        except OSError:
            pass

    def _read_request(self, reader, conn, remote_addr):
        """(Request, keep_alive), or (None, False) when the connection closed before a request began."""
        line = reader.readline(MAX_LINE_BYTES + 1)
        while line in (b"\r\n", b"\n"):  # a stray empty line before a request is allowed
            line = reader.readline(MAX_LINE_BYTES + 1)
        if not line:
            return None, False
        if len(line) > MAX_LINE_BYTES:
            raise ProtocolError(414, "UriTooLong", "request line longer than %d bytes" % MAX_LINE_BYTES)
        if not line.endswith(b"\n"):
            return None, False  # cut off mid-line
        parts = line.decode("latin-1").rstrip("\r\n").split(" ")
        if len(parts) != 3 or not is_token(parts[0]) or not parts[1]:
            raise ProtocolError(400, "BadRequest", "malformed request line")
        method, target, version = parts
        if version not in ("HTTP/1.1", "HTTP/1.0"):
            if version.startswith("HTTP/"):
                raise ProtocolError(505, "HttpVersionNotSupported", "only HTTP/1.0 and HTTP/1.1 are served")
            raise ProtocolError(400, "BadRequest", "malformed request line")

        headers = []
        total = 0
        while True:
            raw = reader.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return None, False
            total += len(raw)
            if len(raw) > MAX_LINE_BYTES or total > MAX_HEADER_BYTES or len(headers) >= MAX_HEADERS:
                raise ProtocolError(431, "RequestHeaderFieldsTooLarge", "request headers are too large")
            if raw in (b"\r\n", b"\n"):
                break
            if raw[:1] in (b" ", b"\t"):
                raise ProtocolError(400, "BadRequest", "folded header lines are not accepted")
            name, colon, value = raw.partition(b":")
            name_text = name.decode("latin-1")
            if not colon or not is_token(name_text):
                raise ProtocolError(400, "BadRequest", "malformed header line")
            value = value.strip(b" \t\r\n")
            try:
                value_text = value.decode("utf-8")
            except UnicodeDecodeError:
                value_text = value.decode("latin-1")
            headers.append((name_text.lower(), value_text))

        connection = [t.strip().lower() for name, v in headers if name == "connection" for t in v.split(",")]
        keep_alive = "close" not in connection if version == "HTTP/1.1" else "keep-alive" in connection

        transfer = [v for name, v in headers if name == "transfer-encoding"]
        lengths = [v for name, v in headers if name == "content-length"]
        expect = next((v for name, v in headers if name == "expect"), None)
        body = b""
        if transfer:
            codings = [t.strip().lower() for v in transfer for t in v.split(",") if t.strip()]
            if codings != ["chunked"]:
                raise ProtocolError(501, "NotImplemented", "transfer-encoding %s is not supported" % ", ".join(codings))
            keep_alive = keep_alive and not lengths  # both: a smuggling attempt or a confused client; do not reuse
            self._continue(conn, expect, version)
            body = self._read_chunked(reader)
            if body is None:
                return None, False
        elif lengths:
            values = {v.strip() for v in ",".join(lengths).split(",")}
            if len(values) != 1 or not next(iter(values)).isdigit():
                raise ProtocolError(400, "BadRequest", "invalid content-length")
            length = int(next(iter(values)))
            if length > self.max_body:
                raise ProtocolError(413, "PayloadTooLarge", "request body is larger than the limit of %d bytes (%d MB)" % (
                    self.max_body, self.max_body // (1024 * 1024)))
            if length:
                self._continue(conn, expect, version)
                body = reader.read(length)
                if len(body) != length:
                    return None, False
        return Request(method, target, version, headers, body, remote_addr), keep_alive

    @staticmethod
    def _continue(conn, expect, version):
        if expect is not None and expect.strip().lower() == "100-continue" and version == "HTTP/1.1":
            conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")

    def _read_chunked(self, reader):
        parts = []
        size_total = 0
        while True:
            line = reader.readline(MAX_LINE_BYTES + 1)
            if not line.endswith(b"\n"):
                return None
            text = line.split(b";", 1)[0].strip()
            try:
                size = int(text, 16)
            except ValueError:
                raise ProtocolError(400, "BadRequest", "malformed chunk size") from None
            if size < 0:
                raise ProtocolError(400, "BadRequest", "malformed chunk size")
            if size == 0:
                break
            size_total += size
            if size_total > self.max_body:
                raise ProtocolError(413, "PayloadTooLarge", "request body is larger than the limit of %d bytes (%d MB)" % (
                    self.max_body, self.max_body // (1024 * 1024)))
            chunk = reader.read(size)
            if len(chunk) != size:
                return None
            parts.append(chunk)
            if reader.readline(3) not in (b"\r\n", b"\n"):
                raise ProtocolError(400, "BadRequest", "malformed chunk")
        while True:  # trailers, ignored
            line = reader.readline(MAX_LINE_BYTES + 1)
            if not line:
                return None
            if line in (b"\r\n", b"\n"):
                break
        return b"".join(parts)
