# A tiny local package, installed by pip from requirements.txt (./vendor/greeting). A setup.py without
# pyproject.toml builds with the setuptools pip already has, so it installs without reaching the package index.
from setuptools import setup

setup(name="greeting", version="1.0.0", description="Greets people (an Epsilon example dependency)",
      packages=["greeting"])
