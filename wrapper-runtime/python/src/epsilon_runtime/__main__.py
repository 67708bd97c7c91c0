"""python3 -P -m epsilon_runtime: the server (the image runs it with -c instead, which skips runpy's import)."""

from .server import main

main()
