"""What the API tests share (not a test module itself): the OpenAPI document as operations, and
clients that sign in with a session and send the CSRF token as a browser would."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.test import Client

from civsam.core.management.commands.export_openapi import openapi_document

METHODS = ("get", "put", "post", "delete", "patch")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    spec: dict[str, Any]

    @property
    def json_body(self) -> bool:
        return "application/json" in self.spec.get("requestBody", {}).get("content", {})

    def url(self, **values: Any) -> str:
        url = self.path
        for parameter in self.spec.get("parameters", []):
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", str(values.get(parameter["name"], 1)))
        return url

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@cache
def document() -> dict[str, Any]:
    return json.loads(openapi_document())


def operations() -> list[Operation]:
    return [
        Operation(method.upper(), path, spec["operationId"], spec)
        for path, item in document()["paths"].items()
        for method, spec in item.items()
        if method in METHODS
    ]


def paths() -> dict[str, set[str]]:
    """Each documented path with its documented methods."""
    return {path: {m.upper() for m in item if m in METHODS} for path, item in document()["paths"].items()}


def session_client(user) -> tuple[Client, dict[str, str]]:
    """A client that checks CSRF like a browser, signed in as `user` (None: anonymous), with the
    header that carries the CSRF token on writes."""
    client = Client(enforce_csrf_checks=True)
    client.raise_request_exception = False
    if user is None:
        return client, {}
    client.force_login(user)
    client.get("/")
    return client, {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
