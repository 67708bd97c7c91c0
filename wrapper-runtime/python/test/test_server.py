import base64
import json
import signal
import socket
import threading
import time
import unittest

import helpers
from epsilon_runtime import http11


class EchoServerTests(unittest.TestCase):
    """One server process for these tests (module state persists, as in a container)."""

    @classmethod
    def setUpClass(cls):
        cls.server = helpers.ServerProcess("functions.py", "echo", EPSILON_TIMEOUT_MS=800)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_ready(self):
        status, headers, body = self.server.json("GET", "/_epsilon/ready")
        self.assertEqual(status, 200)
        self.assertEqual(body, {"status": "ready", "function": "test-fn", "timeoutMs": 800})
        self.assertEqual(headers["content-type"], "application/json")
        status, headers, raw, _ = self.server.request("HEAD", "/_epsilon/ready")
        self.assertEqual((status, raw), (200, b""))

    def test_call_with_path_query_headers_body_and_status(self):
        status, headers, body = self.server.json(
            "PUT", "/orders/42?expand=items&tag=a%20b&status=201", body=b'{"quantity":3}',
            headers={"X-Test": "header-value", "Content-Type": "application/json", "X-Epsilon-Request-Id": "call-1"})
        self.assertEqual(status, 201)
        self.assertEqual(headers["x-echo"], "yes")
        self.assertEqual(headers["x-multi"], "a,b")
        self.assertEqual(headers["x-epsilon-request-id"], "call-1")
        self.assertEqual(body["method"], "PUT")
        self.assertEqual(body["path"], "/orders/42")
        self.assertEqual(body["query"], {"expand": "items", "tag": "a b", "status": "201"})
        self.assertEqual(body["header"], "header-value")
        self.assertEqual(body["body"], '{"quantity":3}')
        self.assertEqual(body["requestId"], "call-1")
        self.assertEqual(body["functionName"], "test-fn")
        self.assertTrue(0 < body["remainingMs"] <= 800)
        self.assertIn("memory", body)  # None here (no cgroup limit on the test process); "128" in a 128 MB container

    def test_set_cookie_headers_are_separate(self):
        _, _, _, response = self.server.request("GET", "/")
        self.assertEqual(response.headers.get_all("Set-Cookie"), ["a=1; Path=/", "b=2"])

    def test_request_id_generated_when_absent(self):
        _, headers, body = self.server.json("GET", "/")
        self.assertRegex(headers["x-epsilon-request-id"], r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        self.assertEqual(body["requestId"], headers["x-epsilon-request-id"])

    def test_binary_request_and_response(self):
        _, _, body = self.server.json("POST", "/", body=b"\x00\xffdata", headers={"Content-Type": "application/octet-stream"})
        self.assertTrue(body["isBase64Encoded"])
        self.assertEqual(base64.b64decode(body["body"]), b"\x00\xffdata")
        status, headers, raw, _ = self.server.request("GET", "/binary")
        self.assertEqual((status, headers["content-type"], raw), (200, "image/png", b"\x89PNG\x00\x01"))

    def test_values_without_status_code(self):
        for path, expected in (("/string", b"just a string"), ("/list", b'[1,"two",null]')):
            status, headers, raw, _ = self.server.request("GET", path)
            self.assertEqual((status, headers["content-type"], raw), (200, "application/json", expected))
        status, headers, raw, _ = self.server.request("GET", "/none")
        self.assertEqual((status, headers.get("content-type"), raw), (200, None, b""))

    def test_204_has_no_body(self):
        status, headers, raw, _ = self.server.request("GET", "/nobody")
        self.assertEqual((status, raw), (204, b""))
        self.assertNotIn("content-length", headers)

    def test_exception_is_500_and_the_process_lives_on_with_its_state(self):
        _, _, before = self.server.json("GET", "/")
        status, headers, body = self.server.json("GET", "/throw", headers={"X-Epsilon-Request-Id": "throw-1"})
        self.assertEqual(status, 500)
        self.assertEqual(body, {"error": {"code": "FunctionError", "message": "ValueError: boom from the function"}})
        self.assertEqual(headers["x-epsilon-request-id"], "throw-1")
        self.assertNotIn("x-echo", headers)
        _, _, after = self.server.json("GET", "/")
        self.assertEqual(after["calls"], before["calls"] + 2)
        line = self.server.wait_for_output(lambda l: l.get("requestId") == "throw-1" and l.get("level") == "error")
        self.assertIn("Traceback", line["message"])
        self.assertIn('fixtures/functions.py", line', line["message"])
        self.assertNotIn("epsilon_runtime", line["message"])

    def test_invalid_responses_are_500(self):
        for path, expected in (("/bad-status", "statusCode 'teapot'"), ("/not-json", "not JSON serializable")):
            status, _, body = self.server.json("GET", path)
            self.assertEqual(status, 500)
            self.assertEqual(body["error"]["code"], "FunctionError")
            self.assertIn(expected, body["error"]["message"])

    def test_timeout_is_504_and_the_server_keeps_serving(self):
        started = time.monotonic()
        status, headers, body = self.server.json("GET", "/sleep?ms=3000", headers={"X-Epsilon-Request-Id": "slow-1"})
        elapsed = time.monotonic() - started
        self.assertEqual(status, 504)
        self.assertEqual(headers["x-epsilon-timed-out"], "true")
        self.assertEqual(headers["x-epsilon-request-id"], "slow-1")
        self.assertEqual(headers["connection"], "close")
        self.assertEqual(body["error"]["code"], "FunctionTimedOut")
        self.assertEqual(body["error"]["message"], "function 'test-fn' did not answer within 800 ms")
        self.assertLess(elapsed, 2.5)
        status, _, _ = self.server.json("GET", "/")
        self.assertEqual(status, 200)
        self.server.wait_for_output(lambda l: l.get("requestId") == "slow-1" and "did not answer" in l.get("message", ""))

    def test_concurrent_calls_run_in_parallel(self):
        results = []

        def call(i):
            results.append(self.server.json("GET", "/sleep?ms=400", headers={"X-Epsilon-Request-Id": "par-%d" % i}))

        started = time.monotonic()
        threads = [threading.Thread(target=call, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertLess(time.monotonic() - started, 1.5)
        self.assertEqual(sorted(r[2]["requestId"] for r in results), ["par-%d" % i for i in range(6)])
        self.assertTrue(all(r[0] == 200 for r in results))

    def test_logs_are_one_json_line_per_call_with_the_request_id(self):
        status, _, _ = self.server.json("GET", "/print", headers={"X-Epsilon-Request-Id": "print-1"})
        self.assertEqual(status, 200)
        self.server.wait_for_output(lambda l: l.get("requestId") == "print-1" and l["message"].startswith("with traceback"))
        lines = [l for l in self.server.output if l.get("requestId") == "print-1"]
        messages = [(l["level"], l["message"].split("\n")[0]) for l in lines]
        self.assertEqual(messages, [("info", "first second 3"), ("info", "multi"), ("info", "partial line"),
                                    ("error", "to stderr"), ("info", "from logging module"), ("error", "with traceback")])
        self.assertEqual(lines[1]["message"], "multi\nline")
        self.assertIn("KeyError: 'k'", lines[-1]["message"])
        for line in lines:
            self.assertEqual(set(line), {"time", "level", "function", "requestId", "message"})
            self.assertEqual(line["function"], "test-fn")
            self.assertRegex(line["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

    def test_ready_line_is_logged_without_request_id(self):
        line = self.server.output[0]
        self.assertIsNone(line["requestId"])
        self.assertRegex(line["message"], r"^epsilon: function 'test-fn' \(functions.py, export 'echo', style lambda, "
                                          r"timeout 800 ms\) ready on 0\.0\.0\.0:\d+ ")

    def test_keep_alive_chunked_body_and_100_continue(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as sock:
            reader = sock.makefile("rb")
            sock.sendall(b"POST /a?status=202 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                         b"Content-Type: text/plain\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
            status, headers, body = read_response(reader)
            self.assertEqual(status, 202)
            self.assertEqual(json.loads(body)["body"], "hello world")
            sock.sendall(b"POST /b HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
                         b"Expect: 100-continue\r\n\r\n")
            self.assertEqual(reader.readline(), b"HTTP/1.1 100 Continue\r\n")
            self.assertEqual(reader.readline(), b"\r\n")
            sock.sendall(b"abc")
            status, headers, body = read_response(reader)
            self.assertEqual((status, json.loads(body)["body"]), (200, "abc"))
            sock.sendall(b"HEAD /c HTTP/1.1\r\nHost: x\r\n\r\n")
            status, headers, body = read_response(reader, head=True)
            self.assertEqual((status, body), (200, b""))
            self.assertGreater(int(headers["content-length"]), 0)
            sock.sendall(b"GET /d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            status, headers, body = read_response(reader)
            self.assertEqual((status, headers.get("connection")), (200, "close"))
            self.assertEqual(reader.read(), b"")

    def test_protocol_errors(self):
        for raw, status in ((b"NONSENSE\r\n\r\n", 400), (b"GET / HTTP/2.0\r\n\r\n", 505),
                            (b"POST / HTTP/1.1\r\nContent-Length: 7000000\r\n\r\n", 413),
                            (b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n", 400),
                            (b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
                            (b"GET / HTTP/1.1\r\nBad Header\r\n\r\n", 400)):
            with self.subTest(raw=raw), socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as sock:
                sock.sendall(raw)
                reader = sock.makefile("rb")
                got, headers, body = read_response(reader)
                self.assertEqual(got, status)
                self.assertIn("error", json.loads(body))
                self.assertEqual(headers["connection"], "close")


class AsyncServerTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = helpers.ServerProcess("functions.py", "async_echo", EPSILON_TIMEOUT_MS=500)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_async_handler(self):
        status, headers, body = self.server.json("GET", "/async", headers={"X-Epsilon-Request-Id": "async-1"})
        self.assertEqual((status, body), (200, {"path": "/async", "requestId": "async-1"}))
        self.server.wait_for_output(lambda l: l.get("message") == "async call /async" and l.get("requestId") == "async-1")
        self.server.wait_for_output(lambda l: l.get("message") == "async print" and l.get("requestId") == "async-1")

    def test_async_calls_share_one_loop_concurrently(self):
        results = []
        threads = [threading.Thread(target=lambda: results.append(self.server.json("GET", "/c?s=0.3")[0])) for _ in range(5)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, [200] * 5)
        self.assertLess(time.monotonic() - started, 1.2)

    def test_async_timeout_cancels_the_task(self):
        status, headers, body = self.server.json("GET", "/slow?s=5")
        self.assertEqual((status, headers["x-epsilon-timed-out"]), (504, "true"))
        self.assertEqual(self.server.json("GET", "/after")[0], 200)


class ProcessTests(unittest.TestCase):
    def test_sync_handler_returning_a_coroutine(self):
        server = helpers.ServerProcess("functions.py", "returns_coroutine")
        try:
            self.assertEqual(server.json("GET", "/")[2], {"wrapped": True})
        finally:
            server.stop()

    def test_sigterm_exits_promptly(self):
        server = helpers.ServerProcess("functions.py", "echo")
        started = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        self.assertEqual(server.process.wait(5), 0)
        self.assertLess(time.monotonic() - started, 1.5)
        server.stop()

    def test_sigterm_waits_for_calls_in_flight(self):
        server = helpers.ServerProcess("functions.py", "echo")
        result = []
        caller = threading.Thread(target=lambda: result.append(server.json("GET", "/sleep?ms=600")))
        caller.start()
        time.sleep(0.2)
        server.process.send_signal(signal.SIGTERM)
        caller.join()
        self.assertEqual(result[0][0], 200)
        self.assertEqual(server.process.wait(5), 0)
        server.stop()

    def test_sys_exit_in_the_function_exits_the_process(self):
        server = helpers.ServerProcess("functions.py", "echo")
        try:
            server.request("GET", "/exit")
        except (ConnectionError, http11_client_errors()):
            pass
        self.assertEqual(server.process.wait(5), 3)
        server.stop()

    def test_a_function_that_cannot_load_exits_1_with_one_line(self):
        env = helpers.env_for("syntax_error.py", "handler")
        import subprocess
        result = subprocess.run(helpers.SERVER_COMMAND, env=env, capture_output=True, text=True, timeout=20)
        self.assertEqual(result.returncode, 1)
        first = json.loads(result.stdout.splitlines()[0])
        self.assertEqual(first["level"], "error")
        self.assertRegex(first["message"], r"^epsilon: function 'test-fn': cannot load 'syntax_error.py' \(export "
                                           r"'handler'\): syntax_error.py:2: SyntaxError: ")


def http11_client_errors():
    import http.client
    return http.client.HTTPException


def read_response(reader, head=False):
    status_line = reader.readline()
    status = int(status_line.split()[1])
    headers = {}
    while True:
        line = reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    length = 0 if head else int(headers.get("content-length", "0"))
    return status, headers, reader.read(length) if length else b""


class SerializeTests(unittest.TestCase):
    def test_hop_by_hop_and_injection_are_dropped(self):
        data = http11.serialize_response(200, [("Content-Length", "99"), ("X-A", "1\r\nInjected: yes"), ("Bad Name", "x"),
                                               ("Connection", "keep-alive")], b"body", close=True)
        head = data.split(b"\r\n\r\n")[0].decode()
        self.assertIn("Content-Length: 4", head)
        self.assertNotIn("Content-Length: 99", head)
        self.assertIn("X-A: 1  Injected: yes", head)
        self.assertNotIn("Bad Name", head)
        self.assertIn("Connection: close", head)
        self.assertTrue(data.endswith(b"\r\n\r\nbody"))

    def test_request_ids(self):
        self.assertNotEqual(http11.new_request_id(), http11.new_request_id())
        req = http11.Request("GET", "http://host:1/p?q=1", "HTTP/1.1", [("x-epsilon-request-id", "x" * 201)], b"", "")
        self.assertEqual((req.path, req.query), ("/p", "q=1"))
        self.assertEqual(len(req.request_id), 36)


if __name__ == "__main__":
    unittest.main()
