"""Run at image build time (RUN in the function's Dockerfile, as the function's user): loads the function exactly as
the server will and fails the build with one "epsilon: ..." line naming the function, file, line and export when it
cannot be served (python3 -P -m epsilon_runtime.check)."""

import os
import sys

from . import loader


def main():
    settings = None
    try:
        settings = loader.read_settings()
        try:
            os.chdir(settings.function_dir)
        except OSError:
            pass  # reported by the loader
        fn = loader.load_function(settings)
    except loader.FunctionLoadError as exc:
        _out(sys.__stderr__, exc.message)
        os._exit(1)
    except BaseException as exc:  # pylint: disable=broad-except
        name = settings.function_name if settings is not None else "?"
        _out(sys.__stderr__, "epsilon: function '%s': check failed: %s: %s" % (name, type(exc).__name__, exc))
        os._exit(1)
    _out(sys.__stdout__, "epsilon: function '%s' ok (%s, export '%s', style %s, timeout %d ms%s)" % (
        fn.name, fn.file, fn.export, fn.style, fn.timeout_ms, ", async" if fn.is_async else ""))
    # os._exit: threads or atexit hooks the module started must not keep the build waiting.
    os._exit(0)


def _out(stream, line):
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    stream.write(line.split("\n")[0] + "\n")
    stream.flush()


if __name__ == "__main__":
    main()
