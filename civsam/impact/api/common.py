"""The social-value router and what its operations share: reading a JSON body, the engine's errors
as problems, and the engine's schemas inlined into the OpenAPI document.

The bodies are validated by the engine's own schema rather than by ninja, so that every error comes
back as one problem+json with a Swedish reason per field (invalidParameters, JSON paths such as
``outcomes[0].dropOff``). The schemas are still documented in the OpenAPI description.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from civsam.core.apitools import ApiProblem, InvalidParameter

from ..engine import FieldError, ImpactMapIn

router = Router(tags=["social-value"])


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The pydantic JSON schema with its $defs inlined, to stand alone inside the OpenAPI document."""
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(definitions[ref.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return resolve(schema)


IMPACT_MAP_SCHEMA = inline_refs(ImpactMapIn.model_json_schema(by_alias=True))


def json_body(request: HttpRequest, *, too_large: str) -> Any:
    """The request body decoded as JSON; 413 (with `too_large` as the detail) or 400 when it cannot be."""
    try:
        body = request.body
    except RequestDataTooBig:
        raise ApiProblem(413, too_large, title=_("För stor begäran")) from None
    try:
        return json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiProblem(400, _("Begärans innehåll är inte giltig JSON.")) from None


def field_problems(errors: list[FieldError], prefix: str = "") -> list[InvalidParameter]:
    """The engine's field errors as invalidParameters, each named by its JSON path under `prefix`."""
    problems = []
    for error in errors:
        name = f"{prefix}.{error.path}" if prefix and error.path else error.path or prefix or "body"
        problems.append(InvalidParameter(name, error.message))
    return problems
