"""Greets people."""

__version__ = "1.0.0"


def greet(name):
    return "Hello, %s!" % name
