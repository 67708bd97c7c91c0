"""The in-container server of a Python function (python3 -P -m epsilon_runtime): loads the function once, then
listens on 0.0.0.0:$PORT (8080) and serves every call. See ../../README.md for the contract with the gateway."""

import os
import signal
import time

from . import app as app_module
from . import http11, loader, logs

SHUTDOWN_GRACE_SECONDS = 2.0


class _Stop(BaseException):
    """Raised by the SIGTERM/SIGINT handler in the main thread."""


def process_age_ms():
    """Milliseconds since this process started (from /proc, 10 ms resolution), or None."""
    try:
        with open("/proc/self/stat", "rb") as file:
            fields = file.read().rsplit(b")", 1)[1].split()
        with open("/proc/uptime", "rb") as file:
            uptime = float(file.read().split()[0])
        return max(0, int((uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")) * 1000))
    except (OSError, ValueError, IndexError):
        return None


def _ms(seconds):
    return int(seconds * 1000 + 0.5)


def parse_port(value):
    if value is None or value == "":
        return 8080
    if not value.isdigit() or int(value) > 65535:
        raise ValueError("PORT '%s' is not a valid port" % value)
    return int(value)


def main():
    entered = time.perf_counter()
    logs.install_stdio()
    logs.install_logging()
    try:
        settings = loader.read_settings()
        logs.set_function_name(settings.function_name)
        try:
            os.chdir(settings.function_dir)  # relative paths in the function mean its own folder
        except OSError:
            pass  # a missing folder is reported by the loader, naming the file
        fn = loader.load_function(settings)
    except loader.FunctionLoadError as exc:
        logs.error(exc.message)
        if exc.cause is not None:
            logs.error(logs.describe_exception(exc.cause))
        os._exit(1)
    except BaseException as exc:  # pylint: disable=broad-except
        logs.error("epsilon: cannot start: %s" % logs.describe_exception(exc))
        os._exit(1)
    loaded = time.perf_counter()

    app = app_module.App(fn)
    if fn.is_async:
        app.runner.start()  # before ready, so the first call does not pay for asyncio
    server = http11.Server(app.handle, on_error=lambda message: logs.error("epsilon: " + message))
    try:
        port = parse_port(os.environ.get("PORT"))
        host, bound = server.bind("0.0.0.0", port)
    except (ValueError, OSError) as exc:
        logs.error("epsilon: cannot listen on 0.0.0.0:%s: %s" % (os.environ.get("PORT") or 8080, exc))
        os._exit(1)

    stopping = {"signal": None}

    def on_signal(signum, _frame):
        # Only a flag and an exception: the main thread may hold any lock (a log line being written) when a signal
        # handler runs, so taking one here could deadlock. The exception leaves accept() and main stops below.
        if stopping["signal"] is None:
            stopping["signal"] = signum
            raise _Stop()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        ready = time.perf_counter()
        age = process_age_ms()
        split = "function %d ms, server %d ms" % (_ms(loaded - entered), _ms(ready - loaded))
        if age is not None:  # /proc's start time: exec and, for a container's first process, its set-up too
            split = "%d ms after process start (start-up %d ms, %s)" % (age, max(0, age - _ms(ready - entered)), split)
        logs.info("epsilon: function '%s' (%s, export '%s', style %s, timeout %d ms%s) ready on %s:%d %s" % (
            fn.name, fn.file, fn.export, fn.style, fn.timeout_ms, ", async" if fn.is_async else "", host, bound,
            split if age is not None else "(%s)" % split))
        server.serve_forever()
    except _Stop:
        pass
    name = "SIGTERM" if stopping["signal"] == signal.SIGTERM else "SIGINT"
    server.stop()
    logs.info("epsilon: %s received, stopping (%d call(s) in flight)" % (name, server.in_flight))
    server.wait_idle(SHUTDOWN_GRACE_SECONDS)
    os._exit(0)
