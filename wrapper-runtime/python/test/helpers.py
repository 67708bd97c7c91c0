"""Shared by the tests: the wrapper's sources on sys.path (no .pyc written into src/), fixtures, and a server
started as a real process (python3 -P -c, as the image runs it) on a free port."""

import http.client
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(os.path.dirname(HERE), "src")
FIXTURES = os.path.join(HERE, "fixtures")
if SRC not in sys.path:
    sys.path.insert(0, SRC)

SERVER_COMMAND = [sys.executable, "-P", "-c", "import epsilon_runtime.server as s; s.main()"]


def env_for(handler_file, export, name="test-fn", function_dir=FIXTURES, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("EPSILON_")}
    env.update(PYTHONPATH=SRC, PYTHONDONTWRITEBYTECODE="1", PORT="0", EPSILON_FUNCTION_DIR=function_dir,
               EPSILON_DEPS_DIR=os.path.join(function_dir, "no-deps-here"), EPSILON_HANDLER_FILE=handler_file,
               EPSILON_HANDLER_EXPORT=export, EPSILON_FUNCTION_NAME=name)
    env.update({k: str(v) for k, v in extra.items()})
    return env


class ServerProcess:
    """The wrapper in a child process; lines() gives its stdout, parsed as JSON."""

    def __init__(self, handler_file, export, **env):
        self.env = env_for(handler_file, export, **env)
        self.process = subprocess.Popen(SERVER_COMMAND, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        cwd=HERE)
        self._lines = queue.Queue()
        self.output = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.port = None
        deadline = time.monotonic() + 15
        while self.port is None:
            left = deadline - time.monotonic()
            if left <= 0:
                self.stop()
                raise AssertionError("server not ready; output: %r" % self.output)
            try:
                line = self._lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError("server exited with %s; output: %r; stderr: %r" % (
                    self.process.wait(), self.output, self.process.stderr.read()))
            match = re.search(r"ready on 0\.0\.0\.0:(\d+)", line.get("message", ""))
            if match:
                self.port = int(match.group(1))

    def _read(self):
        for raw in self.process.stdout:
            text = raw.decode("utf-8", "replace").rstrip("\n")
            try:
                line = json.loads(text)
            except ValueError:
                line = {"unparsed": text}
            self.output.append(line)
            self._lines.put(line)
        self._lines.put(None)

    def request(self, method, path, body=None, headers=None, timeout=10):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read(), response
        finally:
            connection.close()

    def json(self, method, path, **kwargs):
        status, headers, body, _ = self.request(method, path, **kwargs)
        return status, headers, json.loads(body) if body else None

    def wait_for_output(self, predicate, timeout=5):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.output):
                if predicate(line):
                    return line
            time.sleep(0.01)
        raise AssertionError("no matching output line in %r" % self.output)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(5)
        self.process.stdout.close()
        self.process.stderr.close()


def run_check(handler_file, export, **env):
    """The build-time check as the image runs it: (exit code, stdout, stderr)."""
    result = subprocess.run([sys.executable, "-P", "-m", "epsilon_runtime.check"], env=env_for(handler_file, export, **env),
                            capture_output=True, text=True, timeout=30, cwd=HERE)
    return result.returncode, result.stdout, result.stderr
