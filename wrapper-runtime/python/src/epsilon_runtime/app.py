"""One call of the function: readiness, request id and log context, the Lambda event and context, the handler
with its timeout (a thread cannot be killed: the caller gets its 504 and the thread runs on), errors."""

import json
import os
import time

from . import invoke, lambda_style, logs

READY_PATH = "/_epsilon/ready"
REQUEST_ID_HEADER = "X-Epsilon-Request-Id"
TIMED_OUT_HEADER = "X-Epsilon-Timed-Out"


class App:
    def __init__(self, fn, memory_mb=None):
        self.fn = fn
        self.memory_mb = memory_limit_mb() if memory_mb is None else memory_mb
        self.watchdog = invoke.Watchdog()
        self.runner = invoke.AsyncRunner()
        self.ready_body = json.dumps({"status": "ready", "function": fn.name, "timeoutMs": fn.timeout_ms}).encode()

    def handle(self, exchange):
        request = exchange.request
        if request.target == READY_PATH and request.method in ("GET", "HEAD"):
            exchange.respond(200, [("Content-Type", "application/json"), ("Cache-Control", "no-store")], self.ready_body)
            return
        rid = request.request_id
        token = logs.request_id.set(rid)
        try:
            self._call(exchange, rid)
        finally:
            logs.request_id.reset(token)

    def _call(self, exchange, rid):
        fn = self.fn
        deadline = time.monotonic() + fn.timeout_ms / 1000.0
        state = {"timed_out": False, "future": None}

        def timed_out():
            state["timed_out"] = True
            message = "function '%s' did not answer within %d ms" % (fn.name, fn.timeout_ms)
            if exchange.respond(504, [("Content-Type", "application/json"), (REQUEST_ID_HEADER, rid),
                                      (TIMED_OUT_HEADER, "true")],
                                lambda_style.error_body("FunctionTimedOut", message), close=True):
                logs.write("error", "epsilon: %s" % message, rid)
            if state["future"] is not None:
                self.runner.cancel(state["future"])

        timer = self.watchdog.add(deadline, timed_out)
        try:
            event = lambda_style.build_event(exchange.request, fn.name)
            context = lambda_style.LambdaContext(fn.name, rid, deadline, self.memory_mb)
            result = fn.handler(event, context)
            if invoke.is_awaitable(result):
                state["future"] = self.runner.submit(result, rid)
                if state["timed_out"]:
                    self.runner.cancel(state["future"])
                result = state["future"].result()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            logs.error("epsilon: function '%s' called sys.exit(%r): the process exits" % (fn.name, exc.code))
            os._exit(code)
        except BaseException as exc:  # pylint: disable=broad-except
            future = state["future"]
            if future is not None and future.cancelled():
                if not state["timed_out"]:
                    self._failed(exchange, rid, "the call was cancelled", None)
                return
            self._failed(exchange, rid, _message_of(exc), exc)
            return
        finally:
            self.watchdog.cancel(timer)

        if state["timed_out"]:
            logs.warn("epsilon: function '%s' returned after its timeout; the answer was dropped" % fn.name)
            return
        try:
            status, headers, body = lambda_style.to_response(result)
        except lambda_style.InvalidResponse as exc:
            self._failed(exchange, rid, "function '%s' returned an invalid response: %s" % (fn.name, exc), None)
            return
        headers.append((REQUEST_ID_HEADER, rid))
        if not exchange.respond(status, headers, body):
            logs.warn("epsilon: function '%s' returned after its timeout; the answer was dropped" % fn.name)

    def _failed(self, exchange, rid, message, exc):
        if exc is not None and exc.__traceback__ is not None and exc.__traceback__.tb_next is not None:
            exc = exc.with_traceback(exc.__traceback__.tb_next)  # from the function's frame on, not the wrapper's
        detail = logs.describe_exception(exc) if exc is not None else message
        logs.error("epsilon: function '%s' failed: %s" % (self.fn.name, detail))
        exchange.respond(500, [("Content-Type", "application/json"), (REQUEST_ID_HEADER, rid)],
                         lambda_style.error_body("FunctionError", message))


def _message_of(exc):
    text = str(exc)
    name = type(exc).__name__
    return "%s: %s" % (name, text) if text else name


def memory_limit_mb():
    """The container's memory limit (cgroup v2 or v1) in MB, or None when unlimited."""
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            with open(path, encoding="ascii") as file:
                text = file.read().strip()
        except OSError:
            continue
        if text.isdigit() and 0 < int(text) < (1 << 50):
            return int(text) // (1024 * 1024)
        return None
    return None
