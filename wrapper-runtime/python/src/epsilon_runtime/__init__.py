"""Epsilon's Python runtime: the in-container server of one function (standard library only).

Modules: server (the entry point, ``python3 -m epsilon_runtime``), loader (finds and validates the handler),
http11 (a small threaded HTTP/1.1 server), lambda_style (API Gateway v2 events and responses), invoke (runs a
handler with its timeout), logs (one JSON line per log call), check (the build-time check) and deps (collects and
installs requirements.txt at build time; runs on the build image and imports nothing from here).
"""
