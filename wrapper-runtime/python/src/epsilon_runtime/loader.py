"""Finds, loads and validates the function's handler. Shared by the server (at container start) and the build-time
check, so a function that passes the check loads the same way when it runs."""

import importlib
import os
import sys

DEFAULT_TIMEOUT_MS = 15000
MAX_TIMEOUT_MS = 2147483647
STYLES = ("lambda",)
DEFAULT_STYLE = "lambda"

_CO_VARARGS = 0x04
_CO_COROUTINE = 0x80
_CO_ITERABLE_COROUTINE = 0x100
_CO_ASYNC_GENERATOR = 0x200


class FunctionLoadError(Exception):
    """A function that cannot be served; the message is one line starting with "epsilon: function '<name>': "."""

    def __init__(self, message, cause=None):
        super().__init__(message)
        self.message = message
        self.cause = cause


class Settings:
    """The function's settings from the environment (the function image sets them; EPSILON_TIMEOUT_MS the platform)."""

    def __init__(self, function_dir, deps_dir, handler_file, handler_export, function_name, style, timeout_ms):
        self.function_dir = function_dir
        self.deps_dir = deps_dir
        self.handler_file = handler_file
        self.handler_export = handler_export
        self.function_name = function_name
        self.style = style
        self.timeout_ms = timeout_ms


class Function:
    """A loaded handler: name, file (relative), export, handler, style, timeout_ms, is_async, module."""

    def __init__(self, name, file, export, handler, style, timeout_ms, is_async, module):
        self.name = name
        self.file = file
        self.export = export
        self.handler = handler
        self.style = style
        self.timeout_ms = timeout_ms
        self.is_async = is_async
        self.module = module


def read_settings(env=None):
    env = os.environ if env is None else env
    handler_export = env.get("EPSILON_HANDLER_EXPORT", "")
    name = env.get("EPSILON_FUNCTION_NAME") or handler_export or "function"
    label = "epsilon: function '%s'" % name
    handler_file = env.get("EPSILON_HANDLER_FILE", "")
    if not handler_file:
        raise FunctionLoadError("%s: EPSILON_HANDLER_FILE is not set" % label)
    if not handler_export:
        raise FunctionLoadError("%s: EPSILON_HANDLER_EXPORT is not set" % label)
    style = env.get("EPSILON_STYLE", "") or DEFAULT_STYLE
    if style not in STYLES:
        raise FunctionLoadError("%s: style '%s' is not supported by the python runtime; use %s" % (
            label, style, " or ".join(STYLES)))
    timeout_ms = DEFAULT_TIMEOUT_MS
    override = env.get("EPSILON_TIMEOUT_MS", "")
    if override != "":
        try:
            timeout_ms = int(override, 10)
        except ValueError:
            timeout_ms = 0
        if timeout_ms <= 0 or timeout_ms > MAX_TIMEOUT_MS:
            raise FunctionLoadError(
                "%s: EPSILON_TIMEOUT_MS '%s' is not a positive whole number of milliseconds" % (label, override))
    return Settings(
        function_dir=os.path.abspath(env.get("EPSILON_FUNCTION_DIR") or "/opt/epsilon/function"),
        deps_dir=os.path.abspath(env.get("EPSILON_DEPS_DIR") or "/opt/epsilon/deps"),
        handler_file=handler_file,
        handler_export=handler_export,
        function_name=name,
        style=style,
        timeout_ms=timeout_ms)


def prepare_path(settings):
    """sys.path as Lambda's: the function's folder first (then the handler's own folder), the installed
    requirements after the standard library (as site-packages, .pth files honoured)."""
    if os.path.isdir(settings.deps_dir) and settings.deps_dir not in sys.path:
        import site
        site.addsitedir(settings.deps_dir)
    handler_dir = os.path.dirname(os.path.join(settings.function_dir, settings.handler_file))
    for directory in reversed([settings.function_dir, handler_dir]):
        while directory in sys.path:
            sys.path.remove(directory)
        sys.path.insert(0, directory)


def load_function(settings):
    """Imports the handler's module once (module-level state lives as long as the process) and validates the
    export. Raises FunctionLoadError."""
    name, export, function_dir = settings.function_name, settings.handler_export, settings.function_dir
    label = "epsilon: function '%s'" % name
    path = os.path.normpath(os.path.join(function_dir, settings.handler_file))
    shown = _relative(function_dir, path)

    if not os.path.exists(path):
        raise FunctionLoadError("%s: handler file '%s' (export '%s') does not exist" % (label, shown, export))
    if not os.path.isfile(path):
        raise FunctionLoadError("%s: handler file '%s' (export '%s') is not a file" % (label, shown, export))
    if not path.endswith(".py"):
        raise FunctionLoadError("%s: handler file '%s' (export '%s') is not a .py file" % (label, shown, export))

    prepare_path(settings)
    try:
        module = _import(function_dir, path)
    except BaseException as exc:  # pylint: disable=broad-except
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise FunctionLoadError("%s: cannot load '%s' (export '%s'): %s" % (
            label, shown, export, describe_load_error(exc, function_dir, settings.deps_dir)), exc) from None

    if not hasattr(module, export):
        defined = [n for n, v in vars(module).items()
                   if not n.startswith("_") and callable(v) and getattr(v, "__module__", None) == module.__name__]
        listed = ", ".join("'%s'" % n for n in defined[:10]) + (", ..." if len(defined) > 10 else "")
        found = ("; it defines %s" % listed) if defined else "; it defines no function (def %s(event, context): ...)" % export
        raise FunctionLoadError("%s: export '%s' of '%s' does not exist%s" % (label, export, shown, found))
    handler = getattr(module, export)
    if not callable(handler):
        raise FunctionLoadError("%s: export '%s' of '%s' is %s; expected a function %s(event, context)" % (
            label, export, shown, _describe_value(handler), export))
    problem, is_async = _check_signature(handler)
    if problem:
        raise FunctionLoadError("%s: export '%s' of '%s' %s; expected %s(event, context)" % (
            label, export, shown, problem, export))
    return Function(name, shown, export, handler, settings.style, settings.timeout_ms, is_async, module)


def _import(function_dir, path):
    """The module at path: by its dotted name when it has one (packages and relative imports work, and
    'import handler' elsewhere gives the same module), else from its file under a name of its own."""
    parts = _relative(function_dir, path)[:-3].split("/")
    dotted = ".".join(parts)
    importable = all(p.isidentifier() for p in parts)
    if importable and dotted not in sys.modules and parts[0] not in sys.modules:
        try:
            module = importlib.import_module(dotted)
        except ModuleNotFoundError as exc:
            if exc.name is None or not (dotted == exc.name or dotted.startswith(exc.name + ".")):
                raise  # something the module imports is missing
        else:
            if os.path.normcase(os.path.realpath(getattr(module, "__file__", "") or "")) == os.path.realpath(path):
                return module
    # Not importable by name (a folder or file that is no identifier, or a name the standard library or the
    # wrapper already uses, e.g. a file called json.py): load the file itself.
    import importlib.util as import_util
    unique = dotted if importable and dotted not in sys.modules else \
        "_epsilon_function_" + "".join(c if c.isalnum() else "_" for c in dotted)
    spec = import_util.spec_from_file_location(unique, path)
    module = import_util.module_from_spec(spec)
    sys.modules[unique] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(unique, None)
        raise
    return module


def _check_signature(handler):
    """(problem or None, is_async) for handler(event, context), from its code object (no inspect: it is slow to import)."""
    target, skip = handler, 0
    if hasattr(target, "__func__") and hasattr(target, "__self__"):  # a bound method
        target, skip = target.__func__, 1
    code = getattr(target, "__code__", None)
    if code is None:
        return None, False  # a class, a callable object, a builtin, a functools.partial: called as is
    flags = code.co_flags
    if flags & _CO_ASYNC_GENERATOR:
        return "is an async generator", False
    positional = code.co_argcount - skip
    defaults = len(getattr(target, "__defaults__", None) or ())
    required = max(0, positional - defaults)
    kwdefaults = getattr(target, "__kwdefaults__", None) or {}
    kwonly = code.co_varnames[code.co_argcount:code.co_argcount + code.co_kwonlyargcount]
    missing_kw = [n for n in kwonly if n not in kwdefaults]
    if positional < 2 and not flags & _CO_VARARGS:
        return "takes %d positional argument%s" % (positional, "" if positional == 1 else "s"), False
    if required > 2:
        return "requires %d positional arguments" % required, False
    if missing_kw:
        return "requires the keyword argument%s %s" % (
            "" if len(missing_kw) == 1 else "s", ", ".join("'%s'" % n for n in missing_kw)), False
    return None, bool(flags & (_CO_COROUTINE | _CO_ITERABLE_COROUTINE))


def describe_load_error(exc, function_dir, deps_dir=None):
    """One line for an error raised while importing the module: "file:line: Type: message" when a line is known."""
    kind = type(exc).__name__
    if isinstance(exc, SyntaxError):
        where = ""
        if exc.filename:
            where = _relative(function_dir, exc.filename) + (":%d" % exc.lineno if exc.lineno else "")
        message = exc.msg or str(exc)
        return "%s: %s: %s" % (where, kind, message) if where else "%s: %s" % (kind, message)
    message = _first_line(str(exc)) or kind
    where = ""
    import traceback
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        filename = os.path.abspath(frame.filename)
        if _inside(function_dir, filename) and not (deps_dir and _inside(deps_dir, filename)):
            where = "%s:%d" % (_relative(function_dir, filename), frame.lineno)
            break
    hint = ""
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        hint = " (is '%s' in requirements.txt?)" % exc.name.split(".")[0]
    if isinstance(exc, SystemExit):
        message = "exited with code %s while loading" % (exc.code,)
    return ("%s: %s: %s%s" % (where, kind, message, hint)) if where else "%s: %s%s" % (kind, message, hint)


def _first_line(text):
    return text.strip().split("\n")[0].strip()


def _describe_value(value):
    if value is None:
        return "None"
    if isinstance(value, str):
        shown = repr(value)
        return "the string %s" % (shown if len(shown) <= 40 else shown[:37] + "...")
    if isinstance(value, (bool, int, float)):
        return "%s %r" % (type(value).__name__, value)
    article = "an" if type(value).__name__[:1].lower() in "aeiou" else "a"
    return "%s %s" % (article, type(value).__name__)


def _inside(directory, path):
    directory = os.path.join(os.path.abspath(directory), "")
    return os.path.abspath(path).startswith(directory)


def _relative(directory, path):
    path = os.path.abspath(path)
    return os.path.relpath(path, directory).replace(os.sep, "/") if _inside(directory, path) else path
