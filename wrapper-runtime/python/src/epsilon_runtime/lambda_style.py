"""Lambda style: handler(event, context) with API Gateway's HTTP API event (payload format 2.0) and its response
format: {statusCode, headers, body, isBase64Encoded, cookies}, or any other JSON value for a 200 JSON answer."""

import base64
import json
import os
import time

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_HEX = frozenset("0123456789abcdefABCDEF")
_TEXT_TYPES = ("application/json", "application/xml", "application/javascript", "application/ecmascript",
               "application/x-www-form-urlencoded", "application/graphql", "application/x-ndjson", "application/yaml",
               "application/x-yaml")


class InvalidResponse(Exception):
    """The handler returned something that is no HTTP answer."""


def build_event(request, function_name="function", trusted_proxy=None):
    """The HTTP API v2 event of a request (headers lower-cased, repeated ones comma-joined; cookies apart)."""
    headers = {}
    cookies = []
    for name, value in request.headers:
        if name == "cookie":
            cookies.extend(c.strip() for c in value.split(";") if c.strip())
            continue
        headers[name] = headers[name] + "," + value if name in headers else value
    now = request.received_at
    trusted = is_private_address(request.remote_addr) if trusted_proxy is None else trusted_proxy
    host = (headers.get("x-forwarded-host") if trusted else None) or headers.get("host") or ""
    host = host.split(",")[0].strip()
    domain = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    event = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": request.path,
        "rawQueryString": request.query,
    }
    if cookies:
        event["cookies"] = cookies
    event["headers"] = headers
    if request.query:
        event["queryStringParameters"] = parse_query(request.query)
    event["requestContext"] = {
        "accountId": "epsilon",
        "apiId": function_name,
        "domainName": domain,
        "domainPrefix": domain.split(".")[0],
        "http": {
            "method": request.method,
            "path": request.path,
            "protocol": request.version,
            "sourceIp": source_ip(request, trusted),
            "userAgent": headers.get("user-agent", ""),
        },
        "requestId": request.request_id,
        "routeKey": "$default",
        "stage": "$default",
        "time": _clf_time(now),
        "timeEpoch": int(now * 1000),
    }
    body = request.body
    if body:
        text = _as_text(body, headers.get("content-type"))
        if text is None:
            event["body"] = base64.b64encode(body).decode("ascii")
            event["isBase64Encoded"] = True
        else:
            event["body"] = text
            event["isBase64Encoded"] = False
    else:
        event["isBase64Encoded"] = False
    return event


def parse_query(query):
    """queryStringParameters: decoded names and values, repeated names comma-joined (as API Gateway does)."""
    params = {}
    for part in query.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        name, value = unquote_plus(name), unquote_plus(value)
        params[name] = params[name] + "," + value if name in params else value
    return params


def unquote_plus(text):
    """urllib.parse.unquote_plus without importing urllib (UTF-8, invalid escapes kept as they are)."""
    text = text.replace("+", " ")
    if "%" not in text:
        return text
    pieces = text.split("%")
    out = bytearray(pieces[0].encode("utf-8"))
    for piece in pieces[1:]:
        if len(piece) >= 2 and piece[0] in _HEX and piece[1] in _HEX:
            out.append(int(piece[:2], 16))
            out += piece[2:].encode("utf-8")
        else:
            out += b"%" + piece.encode("utf-8")
    return out.decode("utf-8", "replace")


def is_private_address(address):
    """Loopback, link-local and unique-local addresses: the gateway, on the private bridge network."""
    if not address:
        return False
    if address.startswith("::ffff:"):
        address = address[7:]
    if ":" in address:
        lower = address.lower()
        return lower == "::1" or lower[:2] in ("fc", "fd") or lower[:3] in ("fe8", "fe9", "fea", "feb")
    try:
        a, b = (int(x) for x in address.split(".")[:2])
    except ValueError:
        return False
    return a in (10, 127) or (a == 172 and 16 <= b <= 31) or (a == 192 and b == 168) or (a == 169 and b == 254)


def source_ip(request, trusted):
    """The caller's address: from X-Forwarded-For when the peer is a trusted (private) proxy, the right-most
    address that is not itself a private proxy; else the peer."""
    if not trusted:
        return request.remote_addr
    forwarded = [a.strip() for name, v in request.headers if name == "x-forwarded-for" for a in v.split(",") if a.strip()]
    for address in reversed(forwarded):
        if not is_private_address(address):
            return address
    return forwarded[0] if forwarded else request.remote_addr


def _as_text(body, content_type):
    """The body as text when its declared type is textual and it is valid UTF-8, else None (base64, as for a body
    without a content type)."""
    kind = (content_type or "").split(";")[0].strip().lower()
    textual = kind.startswith("text/") or kind in _TEXT_TYPES or (
        kind.startswith("application/") and (kind.endswith("+json") or kind.endswith("+xml")))
    if not textual:
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _clf_time(now):
    t = time.gmtime(now)
    return "%02d/%s/%04d:%02d:%02d:%02d +0000" % (t.tm_mday, _MONTHS[t.tm_mon - 1], t.tm_year, t.tm_hour, t.tm_min, t.tm_sec)


class LambdaContext:
    """What Lambda's Python runtime passes as context."""

    def __init__(self, function_name, request_id, deadline, memory_mb):
        self.aws_request_id = request_id
        self.function_name = function_name
        self.function_version = os.environ.get("EPSILON_FUNCTION_VERSION") or "$LATEST"
        self.invoked_function_arn = "arn:aws:lambda:epsilon:000000000000:function:%s" % function_name
        self.memory_limit_in_mb = None if memory_mb is None else str(memory_mb)  # a string, as Lambda's
        self.log_group_name = "/aws/lambda/%s" % function_name
        self.log_stream_name = "epsilon/%d" % os.getpid()
        self.identity = None
        self.client_context = None
        self.tenant_id = None
        self._deadline = deadline

    def get_remaining_time_in_millis(self):
        return max(0, int((self._deadline - time.monotonic()) * 1000))

    def __repr__(self):
        return "LambdaContext(aws_request_id=%r, function_name=%r, memory_limit_in_mb=%r)" % (
            self.aws_request_id, self.function_name, self.memory_limit_in_mb)


def to_response(result):
    """(status, [(name, value)], body bytes) of what the handler returned. Raises InvalidResponse."""
    if isinstance(result, dict) and "statusCode" in result:
        return _structured(result)
    # No statusCode: as API Gateway, a 200 JSON answer whose body is the value (a string as it is); None: empty.
    if result is None:
        return 200, [], b""
    if isinstance(result, (bytes, bytearray)):
        body = bytes(result)
    elif isinstance(result, str):
        body = result.encode("utf-8")
    else:
        body = _json_bytes(result, "the returned value")
    return 200, [("Content-Type", "application/json")], body


def _structured(result):
    status = result["statusCode"]
    if isinstance(status, str) and status.strip().isdigit():
        status = int(status)
    if isinstance(status, bool) or not isinstance(status, int) or not 200 <= status <= 599:
        raise InvalidResponse("statusCode %r is not an HTTP status from 200 to 599" % (status,))
    headers = []
    given = result.get("headers") or {}
    if not isinstance(given, dict):
        raise InvalidResponse("headers must be an object of strings, not %s" % type(given).__name__)
    for name, value in given.items():
        headers.append((str(name), _header_value(value)))
    multi = result.get("multiValueHeaders") or {}
    if isinstance(multi, dict):
        for name, values in multi.items():
            for value in values if isinstance(values, (list, tuple)) else [values]:
                headers.append((str(name), _header_value(value)))
    cookies = result.get("cookies") or []
    if isinstance(cookies, str):
        cookies = [cookies]
    for cookie in cookies:
        headers.append(("Set-Cookie", str(cookie)))
    body = result.get("body")
    encoded = bool(result.get("isBase64Encoded"))
    if body is None:
        data = b""
    elif isinstance(body, (bytes, bytearray)):
        data = _b64decode(bytes(body)) if encoded else bytes(body)
    elif isinstance(body, str):
        data = _b64decode(body.encode("ascii", "replace")) if encoded else body.encode("utf-8")
    else:
        data = _json_bytes(body, "the body")  # not a string: sent as its JSON rather than refused
    return status, headers, data


def _header_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(_header_value(v) for v in value)
    return str(value)


def _b64decode(data):
    import binascii
    try:
        return base64.b64decode(b"".join(data.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidResponse("isBase64Encoded is true but the body is not base64: %s" % exc) from None


def _json_bytes(value, what):
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise InvalidResponse("%s is not JSON serializable: %s" % (what, exc)) from None


def error_body(code, message):
    return json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False).encode("utf-8")

