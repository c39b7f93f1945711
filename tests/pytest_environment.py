"""A pytest plugin loaded before Django's settings (`-p tests.pytest_environment` in pyproject.toml).

Settings are production's unless DJANGO_DEBUG is set (civsam/settings.py), and production needs a
secret key; the test suite runs with the development settings, as `make run` does. A conftest.py
would be read too late: pytest-django imports the settings before any conftest.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
