import base64
import json
import time
import unittest

import helpers  # noqa: F401  (sys.path)
from epsilon_runtime import http11, lambda_style


def request(method="GET", target="/", headers=(), body=b"", remote="172.17.0.1"):
    return http11.Request(method, target, "HTTP/1.1", list(headers), body, remote)


class EventTests(unittest.TestCase):
    def test_http_api_v2_event(self):
        req = request("POST", "/orders/42?expand=items&tag=a%20b&tag=c&flag&plus=x+y", [
            ("host", "127.0.0.1:8080"), ("x-forwarded-host", "api.example.com"), ("user-agent", "tests/1"),
            ("x-test", "one"), ("x-test", "two"), ("cookie", "a=1; b=2"), ("cookie", "c=3"),
            ("content-type", "application/json"), ("x-epsilon-request-id", "req-1"),
            ("x-forwarded-for", "203.0.113.9, 10.0.0.2")], b'{"q":1}')
        event = lambda_style.build_event(req)
        self.assertEqual(event["version"], "2.0")
        self.assertEqual(event["routeKey"], "$default")
        self.assertEqual(event["rawPath"], "/orders/42")
        self.assertEqual(event["rawQueryString"], "expand=items&tag=a%20b&tag=c&flag&plus=x+y")
        self.assertEqual(event["cookies"], ["a=1", "b=2", "c=3"])
        self.assertNotIn("cookie", event["headers"])
        self.assertEqual(event["headers"]["x-test"], "one,two")
        self.assertEqual(event["queryStringParameters"], {"expand": "items", "tag": "a b,c", "flag": "", "plus": "x y"})
        self.assertEqual(event["body"], '{"q":1}')
        self.assertFalse(event["isBase64Encoded"])
        ctx = event["requestContext"]
        self.assertEqual(ctx["http"], {"method": "POST", "path": "/orders/42", "protocol": "HTTP/1.1",
                                       "sourceIp": "203.0.113.9", "userAgent": "tests/1"})
        self.assertEqual((ctx["requestId"], ctx["stage"], ctx["routeKey"]), ("req-1", "$default", "$default"))
        self.assertEqual((ctx["accountId"], ctx["apiId"]), ("epsilon", "function"))
        self.assertEqual((ctx["domainName"], ctx["domainPrefix"]), ("api.example.com", "api"))
        self.assertAlmostEqual(ctx["timeEpoch"] / 1000, time.time(), delta=5)
        self.assertRegex(ctx["time"], r"^\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000$")
        json.dumps(event)  # serializable as a whole

    def test_no_query_no_cookies_no_body(self):
        event = lambda_style.build_event(request(headers=[("host", "fn.local:8080")]))
        self.assertNotIn("queryStringParameters", event)
        self.assertNotIn("cookies", event)
        self.assertNotIn("body", event)
        self.assertFalse(event["isBase64Encoded"])
        self.assertEqual(event["requestContext"]["domainName"], "fn.local")

    def test_binary_bodies_are_base64(self):
        for content_type, body in (("image/png", b"\x89PNG"), ("application/octet-stream", b"abc"),
                                   ("text/plain", b"\xff\xfe not utf-8"), (None, b"no type declared")):
            with self.subTest(content_type=content_type):
                headers = [("content-type", content_type)] if content_type else []
                event = lambda_style.build_event(request("POST", "/", headers, body))
                self.assertTrue(event["isBase64Encoded"])
                self.assertEqual(base64.b64decode(event["body"]), body)

    def test_forwarded_headers_are_ignored_from_a_public_peer(self):
        event = lambda_style.build_event(request(headers=[("x-forwarded-for", "1.2.3.4"), ("x-forwarded-host", "evil"),
                                                          ("host", "real")], remote="198.51.100.7"))
        self.assertEqual(event["requestContext"]["http"]["sourceIp"], "198.51.100.7")
        self.assertEqual(event["requestContext"]["domainName"], "real")

    def test_unquote_plus(self):
        self.assertEqual(lambda_style.unquote_plus("a%20b+c%C3%A9%zz%4"), "a b cé%zz%4")

    def test_private_addresses(self):
        for address in ("10.1.2.3", "172.17.0.1", "192.168.1.1", "127.0.0.1", "169.254.1.1", "::1", "fd00::1",
                        "fe80::1", "::ffff:10.0.0.1"):
            self.assertTrue(lambda_style.is_private_address(address), address)
        for address in ("8.8.8.8", "172.32.0.1", "2001:db8::1", "", None):
            self.assertFalse(lambda_style.is_private_address(address), address)


class ContextTests(unittest.TestCase):
    def test_context(self):
        ctx = lambda_style.LambdaContext("fn", "rid", time.monotonic() + 2, 256)
        self.assertEqual((ctx.aws_request_id, ctx.function_name, ctx.memory_limit_in_mb), ("rid", "fn", "256"))
        self.assertIsNone(lambda_style.LambdaContext("fn", "rid", 0, None).memory_limit_in_mb)
        self.assertTrue(1500 < ctx.get_remaining_time_in_millis() <= 2000)
        self.assertEqual(lambda_style.LambdaContext("fn", "r", time.monotonic() - 1, 1).get_remaining_time_in_millis(), 0)
        self.assertTrue(ctx.invoked_function_arn.endswith(":function:fn"))


class ResponseTests(unittest.TestCase):
    def test_full_response(self):
        status, headers, body = lambda_style.to_response({
            "statusCode": 201, "headers": {"content-type": "text/html", "x-flag": True, "x-list": ["a", "b"]},
            "multiValueHeaders": {"x-multi": ["1", "2"]}, "cookies": ["a=1", "b=2; Path=/"], "body": "<p>é</p>"})
        self.assertEqual(status, 201)
        self.assertEqual(headers, [("content-type", "text/html"), ("x-flag", "true"), ("x-list", "a,b"),
                                   ("x-multi", "1"), ("x-multi", "2"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2; Path=/")])
        self.assertEqual(body, "<p>é</p>".encode())

    def test_base64_body(self):
        status, headers, body = lambda_style.to_response(
            {"statusCode": "200", "body": base64.b64encode(b"\x00\x01").decode(), "isBase64Encoded": True})
        self.assertEqual((status, body), (200, b"\x00\x01"))
        self.assertEqual(headers, [])

    def test_only_the_headers_given(self):
        self.assertEqual(lambda_style.to_response({"statusCode": 200, "body": "hi"}), (200, [], b"hi"))
        self.assertEqual(lambda_style.to_response({"statusCode": 204}), (204, [], b""))
        self.assertEqual(lambda_style.to_response({"statusCode": 200, "body": {"not": "a string"}}),
                         (200, [], b'{"not":"a string"}'))

    def test_values_without_status_code_are_200_json(self):
        for value, expected in (({"a": 1}, b'{"a":1}'), ("text", b"text"), ([1, None], b"[1,null]"),
                                (3, b"3"), ({"message": "é"}, '{"message":"é"}'.encode())):
            with self.subTest(value=value):
                self.assertEqual(lambda_style.to_response(value), (200, [("Content-Type", "application/json")], expected))
        self.assertEqual(lambda_style.to_response(None), (200, [], b""))

    def test_invalid_responses(self):
        for value, expected in (({"statusCode": "teapot"}, "statusCode 'teapot'"), ({"statusCode": 99}, "statusCode 99"),
                                ({"statusCode": True}, "statusCode True"), ({"when": object()}, "not JSON serializable"),
                                ({"statusCode": 200, "headers": ["x"]}, "headers must be an object"),
                                ({"statusCode": 200, "body": "!!!", "isBase64Encoded": True}, "not base64")):
            with self.subTest(value=value), self.assertRaises(lambda_style.InvalidResponse) as caught:
                lambda_style.to_response(value)
            self.assertIn(expected, str(caught.exception))


if __name__ == "__main__":
    unittest.main()
