"""The shared golden cases of wrapper-runtime/fixtures/lambda-v2 (see its README) against the server: each case's request
sent byte for byte, the event the handler was given compared with the case's, and each case's result compared with the
answer the wrapper sends for it."""

import base64
import json
import os
import re
import socket
import unittest

import helpers

CASES = os.path.join(os.path.dirname(os.path.dirname(helpers.HERE)), "fixtures", "lambda-v2")


def load_cases():
    cases = []
    for file in sorted(os.listdir(CASES)):
        if file.endswith(".json"):
            with open(os.path.join(CASES, file), encoding="utf-8") as f:
                cases.append((file[:-5], json.load(f)))
    return cases


def type_of(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def mismatches(expected, actual, where="$"):
    """Where actual differs from the case's expected value, as "path: what" lines (empty when it matches)."""
    if isinstance(expected, dict):
        if list(expected) == ["$any"]:
            return [] if type_of(actual) == expected["$any"] else ["%s: expected any %s, got %r" % (where, expected["$any"], actual)]
        if list(expected) == ["$regex"]:
            ok = isinstance(actual, str) and re.search(expected["$regex"], actual)
            return [] if ok else ["%s: expected a string matching %s, got %r" % (where, expected["$regex"], actual)]
        if not isinstance(actual, dict):
            return ["%s: expected an object, got %r" % (where, actual)]
        found = []
        for key in list(expected) + [k for k in actual if k not in expected]:
            if key not in actual:
                found.append("%s.%s: missing" % (where, key))
            elif key not in expected:
                found.append("%s.%s: not expected, got %r" % (where, key, actual[key]))
            else:
                found.extend(mismatches(expected[key], actual[key], "%s.%s" % (where, key)))
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return ["%s: expected %r, got %r" % (where, expected, actual)]
        return [m for i, item in enumerate(expected) for m in mismatches(item, actual[i], "%s[%d]" % (where, i))]
    same = type_of(expected) == type_of(actual) and expected == actual
    return [] if same else ["%s: expected %r, got %r" % (where, expected, actual)]


def body_of(body):
    if body is None:
        return b""
    return base64.b64decode(body["base64"]) if "base64" in body else body["text"].encode("utf-8")


def request_bytes(method, target, headers, body):
    head = "%s %s HTTP/1.1\r\n%s\r\n" % (method, target, "".join("%s: %s\r\n" % (n, v) for n, v in headers))
    return head.encode("utf-8") + body_of(body)


def exchange(port, data):
    """Sends raw bytes on a new connection: (status, [(lower-case name, value)], body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(data)
        received = b""
        while True:
            end = received.find(b"\r\n\r\n")
            if end >= 0:
                lines = received[:end].decode("latin-1").split("\r\n")
                status = int(lines[0].split(" ")[1])
                headers = [(n.strip().lower(), v.strip().encode("latin-1").decode("utf-8"))
                           for n, _, v in (line.partition(":") for line in lines[1:])]
                length = [int(v) for n, v in headers if n == "content-length"]
                body = received[end + 4:]
                if length and len(body) >= length[0]:
                    return status, headers, body[:length[0]]
                if not length and status in (204, 304):
                    return status, headers, b""
            chunk = conn.recv(65536)
            if not chunk:
                if end < 0:
                    raise AssertionError("connection closed before the answer's headers: %r" % received)
                return status, headers, received[end + 4:]
            received += chunk


class LambdaV2FixtureTests(unittest.TestCase):
    """One test per case and half (test_event_<case>, test_answer_<case>), added below from the files."""

    @classmethod
    def setUpClass(cls):
        cls.server = helpers.ServerProcess("functions.py", "lambda_v2", name="fixtures")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_there_are_cases(self):
        self.assertGreaterEqual(len(CASE_LIST), 5, CASES)

    def check_event(self, case):
        request = case["request"]
        status, _, body = exchange(self.server.port, request_bytes(
            request["method"], request["target"], request["headers"], request["body"]))
        self.assertEqual(status, 200, body)
        self.assertEqual(mismatches(case["event"], json.loads(body)), [], case["description"])

    def check_answer(self, case):
        result = json.dumps(case["result"]).encode("utf-8")
        status, headers, body = exchange(self.server.port, request_bytes("POST", "/respond", [
            ("Host", "fixtures"), ("Content-Type", "application/json"), ("Content-Length", str(len(result))),
            ("Connection", "close")], {"base64": base64.b64encode(result).decode("ascii")}))
        expected = case["response"]
        self.assertEqual(status, expected["status"], body)
        for header, value in expected.get("headers", {}).items():
            lines = [v for n, v in headers if n == header.lower()]
            self.assertEqual(lines, value if isinstance(value, list) else [value], "header %s" % header)
        if "json" in expected["body"]:
            self.assertEqual(json.loads(body), expected["body"]["json"])
        else:
            self.assertEqual(body, body_of(expected["body"]))


CASE_LIST = load_cases()
for _name, _case in CASE_LIST:
    _suffix = _name.replace("-", "_")
    if "request" in _case:
        setattr(LambdaV2FixtureTests, "test_event_" + _suffix, lambda self, case=_case: self.check_event(case))
    if "result" in _case:
        setattr(LambdaV2FixtureTests, "test_answer_" + _suffix, lambda self, case=_case: self.check_answer(case))


if __name__ == "__main__":
    unittest.main()
