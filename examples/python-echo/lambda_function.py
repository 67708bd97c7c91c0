"""py-lambda: Lambda's own handler form (lambda_function.lambda_handler), async. Returning a value without a
statusCode gives a 200 JSON answer, as API Gateway does."""

import asyncio


async def lambda_handler(event, context):
    await asyncio.sleep(0.01)
    http = event["requestContext"]["http"]
    return {
        "message": "hello from an async Lambda handler",
        "method": http["method"],
        "path": http["path"],
        "sourceIp": http["sourceIp"],
        "version": event["version"],
        "routeKey": event["routeKey"],
        "stage": event["requestContext"]["stage"],
        "memoryLimitInMb": context.memory_limit_in_mb,
    }
