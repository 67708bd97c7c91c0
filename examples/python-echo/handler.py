"""py-echo: answers with what it was called with. /throw raises, /sleep?ms=N sleeps (its timeout is 2 s)."""

import base64
import json
import logging
import os
import time

logger = logging.getLogger(__name__)
calls = 0  # module-level state: kept between the calls a container serves


def handler(event, context):
    global calls
    calls += 1
    path = event["rawPath"]
    query = event.get("queryStringParameters") or {}
    if path == "/throw":
        raise RuntimeError("boom from py-echo")
    if path == "/sleep":
        time.sleep(int(query.get("ms", "0")) / 1000)

    body = event.get("body")
    if body is not None and event["isBase64Encoded"]:
        body = base64.b64decode(body).decode("utf-8", "replace")
    if body and event["headers"].get("content-type", "").startswith("application/json"):
        body = json.loads(body)

    print("py-echo called:", event["requestContext"]["http"]["method"], path)
    logger.info("call number %d", calls)
    return {
        "statusCode": int(query.get("status", "200")),
        "headers": {"content-type": "application/json", "x-echo": "yes"},
        "cookies": ["echo=1; Path=/"],
        "body": json.dumps({
            "method": event["requestContext"]["http"]["method"],
            "path": path,
            "rawQueryString": event["rawQueryString"],
            "query": query,
            "header": event["headers"].get("x-test"),
            "cookies": event.get("cookies", []),
            "body": body,
            "requestId": context.aws_request_id,
            "functionName": context.function_name,
            "remainingMs": context.get_remaining_time_in_millis(),
            "greeting": os.environ.get("GREETING"),
            "calls": calls,
        }),
    }
