"""One JSON line on stdout per log call:

    {"time":"2026-11-22T21:40:23.870Z","level":"info","function":"hello","requestId":"...","message":"..."}

print() (one line per call, whatever it prints), sys.stdout/sys.stderr writes (one line per line written) and the
logging module (one line per record, traceback included) all go through write(). The request id comes from a
ContextVar the server sets for each call, so concurrent calls (threads, asyncio tasks) are told apart.
"""

import builtins
import contextvars
import io
import os
import sys
import threading
import time

request_id = contextvars.ContextVar("epsilon_request_id", default=None)

_state = {"function": None, "fd": 1}
_lock = threading.Lock()
_original_print = builtins.print

LOGGING_LEVELS = {"DEBUG": "debug", "INFO": "info", "WARNING": "warn", "ERROR": "error", "CRITICAL": "error"}


def set_function_name(name):
    _state["function"] = name


def set_output_fd(fd):
    """Where lines go (fd 1 unless a test says otherwise)."""
    _state["fd"] = fd


def _now():
    now = time.time()
    seconds = int(now)
    t = time.gmtime(seconds)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
        t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, int((now - seconds) * 1000))


def _quote(text):
    # json.dumps without importing json here: the same escaping for a str (ensure_ascii off, valid UTF-8 out).
    return _encoder(text)


def _make_encoder():
    import json.encoder
    return json.encoder.encode_basestring


_encoder = _make_encoder()


def write(level, message, rid=None):
    """Writes one log line; rid defaults to the current call's request id."""
    if rid is None:
        rid = request_id.get()
    name = _state["function"]
    line = '{"time":"%s","level":"%s","function":%s,"requestId":%s,"message":%s}\n' % (
        _now(), level, "null" if name is None else _quote(name), "null" if rid is None else _quote(rid),
        _quote(message if isinstance(message, str) else str(message)))
    data = line.encode("utf-8", "backslashreplace")
    with _lock:
        try:
            view = memoryview(data)
            while view:
                written = os.write(_state["fd"], view)
                view = view[written:]
        except OSError:
            pass  # stdout gone (EPIPE and the like): nothing sensible left to do with a log line


def debug(message):
    write("debug", message)


def info(message):
    write("info", message)


def warn(message):
    write("warn", message)


def error(message):
    write("error", message)


def describe_exception(exc):
    """A traceback as text (for one log line)."""
    import traceback
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip("\n")


class LogStream(io.TextIOBase):
    """sys.stdout / sys.stderr: every complete line written becomes a log line (partial lines wait per thread)."""

    def __init__(self, level, name):
        super().__init__()
        self.level = level
        self._name = name
        self._pending = threading.local()

    @property
    def name(self):
        return self._name

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "backslashreplace"

    @property
    def buffer(self):
        return _ByteStream(self)

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        raise io.UnsupportedOperation("the function's %s is a log stream without a file descriptor" % self._name)

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        pending = getattr(self._pending, "text", "") + text
        lines = pending.split("\n")
        self._pending.text = lines.pop()
        for line in lines:
            write(self.level, line)
        return len(text)

    def write_call(self, text):
        """What one print() call printed: one line, the final newline dropped."""
        pending = getattr(self._pending, "text", "")
        if pending:
            self._pending.text = ""
            text = pending + text
        write(self.level, text[:-1] if text.endswith("\n") else text)

    def flush(self):
        pending = getattr(self._pending, "text", "")
        if pending:
            self._pending.text = ""
            write(self.level, pending)


class _ByteStream(io.RawIOBase):
    """sys.stdout.buffer: bytes are decoded (UTF-8, invalid bytes escaped) and logged as text."""

    def __init__(self, stream):
        super().__init__()
        self._stream = stream

    def writable(self):
        return True

    def write(self, data):
        self._stream.write(bytes(data).decode("utf-8", "backslashreplace"))
        return len(data)

    def flush(self):
        self._stream.flush()


def _print(*args, sep=" ", end="\n", file=None, flush=False):
    target = sys.stdout if file is None else file
    if not isinstance(target, LogStream):
        return _original_print(*args, sep=sep, end=end, file=file, flush=flush)
    if sep is None:
        sep = " "
    if end is None:
        end = "\n"
    if not isinstance(sep, str):
        raise TypeError("sep must be None or a string, not %s" % type(sep).__name__)
    if not isinstance(end, str):
        raise TypeError("end must be None or a string, not %s" % type(end).__name__)
    target.write_call(sep.join(arg if isinstance(arg, str) else str(arg) for arg in args) + end)
    return None


_installed = {"stdio": False, "logging": False}


def install_stdio():
    """print(), sys.stdout and sys.stderr become JSON log lines (info and error)."""
    if _installed["stdio"]:
        return
    _installed["stdio"] = True
    sys.stdout = LogStream("info", "<stdout>")
    sys.stderr = LogStream("error", "<stderr>")
    builtins.print = _print


def install_logging():
    """The root logger writes JSON lines at INFO and above (a function may change the level; basicConfig is then a
    no-op). Done when something first imports logging (importing it costs ~5 ms of every cold start otherwise)."""
    if _installed["logging"]:
        return
    _installed["logging"] = True
    if "logging" in sys.modules:
        _configure_logging(sys.modules["logging"])
    else:
        sys.meta_path.insert(0, _LoggingImportHook())


class _LoggingImportHook:
    """A meta path finder that lets the standard one find logging, then configures it once it has run."""

    def find_spec(self, name, path=None, target=None):
        if name != "logging":
            return None
        try:
            sys.meta_path.remove(self)
        except ValueError:
            pass
        import importlib.machinery
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _ConfigureAfterLoading(spec.loader)
        return spec

    def invalidate_caches(self):
        pass


class _ConfigureAfterLoading:
    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        module.__loader__ = self._loader
        if module.__spec__ is not None:
            module.__spec__.loader = self._loader
        _configure_logging(module)

    def __getattr__(self, name):
        return getattr(self._loader, name)


def _configure_logging(logging):
    class JsonHandler(logging.Handler):
        def emit(self, record):
            try:
                message = self.format(record)
                write(LOGGING_LEVELS.get(record.levelname, "info"), message)
            except Exception:  # pylint: disable=broad-except
                self.handleError(record)

    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = JsonHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
