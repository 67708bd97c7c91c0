"""py-deps: uses a dependency installed from requirements.txt (the local package vendor/greeting)."""

import greeting


def handler(event, context):
    name = (event.get("queryStringParameters") or {}).get("name", "world")
    return {
        "message": greeting.greet(name),
        "greetingVersion": greeting.__version__,
        "installedAt": greeting.__file__,
    }
