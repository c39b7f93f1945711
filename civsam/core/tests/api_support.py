"""Assertions shared by the API tests (not a test module itself)."""

from __future__ import annotations

import json
from typing import Any

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def assert_problem(response, status: int, *, parameter: str | None = None) -> dict[str, Any]:
    """An RFC 9457 problem: the content type, the five members, the status, and the parameter named."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json", response["Content-Type"]
    body = json.loads(response.content)
    assert set(body) >= PROBLEM_KEYS, body
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert body["instance"] == response.wsgi_request.path
    assert "Traceback" not in response.content.decode()
    if parameter is not None:
        named = [p for p in body.get("invalidParameters", []) if p["name"] == parameter]
        assert named, body
        assert parameter in body["detail"] or named[0]["reason"] in body["detail"], body
    return body


def items(response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()["items"]
