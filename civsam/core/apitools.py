"""Building blocks shared by the REST API routers: problem details, query checks, paging, schemas.

Kept apart from civsam/api.py so that the routers can use them without importing the API object
that imports the routers.
"""

from __future__ import annotations

import datetime
import math
import re
import types
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Generic, Literal, TypeVar, Union, get_args, get_origin

from django.http import HttpRequest, JsonResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationInfo, field_validator, model_validator
from pydantic.alias_generators import to_camel
from pydantic_core import InitErrorDetails, PydanticCustomError
from pydantic_core import ValidationError as PydanticValidationError

PROBLEM_CONTENT_TYPE = "application/problem+json"
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# The largest id a path may name: the databases' 64-bit integer keys.
MAX_ID = 2**63 - 1
# Names accepted on every list endpoint; each endpoint adds its own filters.
PAGING_PARAMS = ("limit", "page")

# Query parameter types for every list endpoint: `limit: Limit = DEFAULT_LIMIT, page: PageNumber = 1`.
Limit = Annotated[int, Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Antal poster per sida, 1–{MAX_LIMIT}.")]
PageNumber = Annotated[
    int, Query(1, ge=1, description="Sidnummer, från 1. En sida efter den sista ger en tom lista, inte ett fel.")
]


def status_title(status: int) -> str:
    """The problem title for a status: the same text for every problem of that kind."""
    titles = {
        308: _("Flyttad permanent"),
        400: _("Felaktig begäran"),
        401: _("Inloggning krävs"),
        403: _("Åtkomst nekad"),
        404: _("Resursen finns inte"),
        405: _("Metoden stöds inte"),
        406: _("Formatet kan inte levereras"),
        413: _("Begäran är för stor"),
        415: _("Innehållstypen stöds inte"),
        429: _("För många anrop"),
        500: _("Internt serverfel"),
    }
    return titles.get(status, _("Fel"))


@dataclass
class InvalidParameter:
    name: str
    reason: str
    value: str | None = None

    def as_dict(self) -> dict[str, str]:
        data = {"name": self.name, "reason": self.reason}
        if self.value is not None:
            data["value"] = self.value
        return data


class ApiProblem(Exception):
    """Raised anywhere in an API view; the API turns it into an RFC 9457 problem response."""

    def __init__(
        self,
        status: int,
        detail: str = "",
        *,
        title: str = "",
        invalid_parameters: Sequence[InvalidParameter] = (),
        headers: dict[str, str] | None = None,
    ):
        self.status = status
        self.title = title or status_title(status)
        self.detail = detail
        self.invalid_parameters = list(invalid_parameters)
        self.headers = headers or {}
        super().__init__(status, self.detail)


def invalid_parameters_problem(problems: Sequence[InvalidParameter]) -> ApiProblem:
    sentences = [_("Parametern ”%(name)s” %(reason)s.") % {"name": p.name, "reason": p.reason} for p in problems]
    return ApiProblem(400, " ".join(sentences), invalid_parameters=problems)


def request_body_problem(problems: Sequence[InvalidParameter]) -> ApiProblem:
    """A 400 for a request body with field errors: one problem, each field named in invalidParameters."""
    return ApiProblem(
        400,
        _("Begäran innehåller %(count)s fel; se invalidParameters.") % {"count": len(problems)},
        invalid_parameters=problems,
    )


def problem_response(
    request: HttpRequest,
    status: int,
    title: str = "",
    *,
    detail: str = "",
    invalid_parameters: Sequence[InvalidParameter] = (),
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JsonResponse:
    """An RFC 9457 problem details response (application/problem+json)."""
    body: dict[str, Any] = {"type": "about:blank", "title": title or status_title(status), "status": status}
    if detail:
        body["detail"] = detail
    body["instance"] = request.path
    if invalid_parameters:
        body["invalidParameters"] = [p.as_dict() for p in invalid_parameters]
    body.update(extra)
    response = JsonResponse(
        body, status=status, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def problem_from(request: HttpRequest, problem: ApiProblem) -> JsonResponse:
    return problem_response(
        request,
        problem.status,
        problem.title,
        detail=problem.detail,
        invalid_parameters=problem.invalid_parameters,
        headers=problem.headers,
    )


def _expected(ctx: dict[str, Any]) -> str:
    # Pydantic lists the choices in English: "'a', 'b' or 'c'".
    return str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")


# Pydantic error types as Swedish reasons; each completes the sentence "Parametern ”x” ...".
def _pydantic_reason(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("måste vara ett heltal")
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type"):
        return _("måste vara ett tal")
    if kind == "greater_than_equal":
        return _("måste vara minst %(limit)s") % {"limit": ctx.get("ge")}
    if kind == "greater_than":
        return _("måste vara större än %(limit)s") % {"limit": ctx.get("gt")}
    if kind == "less_than_equal":
        return _("får vara högst %(limit)s") % {"limit": ctx.get("le")}
    if kind == "less_than":
        return _("måste vara mindre än %(limit)s") % {"limit": ctx.get("lt")}
    if kind == "string_too_long":
        return _("får vara högst %(max)s tecken lång") % {"max": ctx.get("max_length")}
    if kind in ("literal_error", "enum"):
        return _("måste vara ett av: %(values)s") % {"values": _expected(ctx)}
    if kind == "missing":
        return _("saknas")
    if kind == "extra_forbidden":
        return _("är okänd")
    if kind in ("object_type", "model_type", "model_attributes_type", "dict_type"):
        return _("måste vara ett JSON-objekt")
    if kind == "json_type":
        return _json_kind_reason(str(ctx.get("kind", "")))
    if kind.startswith("date_") or kind == "iso_date":
        return _("måste vara ett datum i formen ÅÅÅÅ-MM-DD")
    if kind.startswith("datetime_"):
        return _json_kind_reason("datetime")
    if kind.startswith("bool_"):
        return _json_kind_reason("bool")
    if kind == "string_type":
        return _json_kind_reason("str")
    if kind == "list_type":
        return _json_kind_reason("list")
    if kind == "string_pattern_mismatch":
        return _("har fel form")
    if kind == "string_too_short":
        return _("får inte vara tom")
    if kind == "too_short":
        return _("måste ha minst %(min)s poster") % {"min": ctx.get("min_length")}
    if kind == "too_long":
        return _("får ha högst %(max)s poster") % {"max": ctx.get("max_length")}
    return _("har ett ogiltigt värde")


def _json_kind_reason(kind: str) -> str:
    reasons = {
        "int": _("måste vara ett heltal"),
        "number": _("måste vara ett tal"),
        "decimal": _("måste vara ett tal"),
        "bool": _("måste vara true eller false"),
        "str": _("måste vara en sträng"),
        "date": _("måste vara ett datum i formen ÅÅÅÅ-MM-DD"),
        "datetime": _("måste vara en tidpunkt enligt ISO 8601, t.ex. 2026-03-01T09:00:00+01:00"),
        "list": _("måste vara en lista"),
        "object": _("måste vara ett JSON-objekt"),
    }
    return reasons.get(kind, _("har fel typ"))


def body_path(loc: Iterable[Any]) -> str:
    """Where in a JSON body a value is, as the API names it: ("milestones", 0, "dueDate") ->
    "milestones[0].dueDate" (the same paths as the social-value engine's errors)."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def validation_problem(request: HttpRequest, errors: Iterable[dict[str, Any]]) -> ApiProblem:
    """Ninja's validation errors (loc = (source, name, ...)) as one 400 problem naming each parameter."""
    problems: list[InvalidParameter] = []
    seen: set[str] = set()
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        source = loc[0] if loc else ""
        # Query and path errors are named by the parameter; body errors by their path inside the
        # JSON body (loc is ("body", <view argument>, field, ...)), the body itself as "body".
        if source == "body":
            name = body_path(error.get("loc", ())[2:]) or "body"
        else:
            name = ".".join(loc[1:]) or source
        if name in seen:
            continue
        seen.add(name)
        value = request.GET.get(name) if source == "query" else None
        problems.append(InvalidParameter(name, _pydantic_reason(error), value))
    return invalid_parameters_problem(problems)


def check_query_names(request: HttpRequest, allowed: Iterable[str]) -> None:
    """Unknown query parameters are an error, so that a misspelt filter never silently returns everything."""
    allowed = tuple(allowed)
    problems = []
    for name in request.GET:
        if name in allowed:
            continue
        hyphenated = name.replace("_", "-").lower()
        if hyphenated != name and hyphenated in allowed:
            reason = _("är okänd (menade du ”%(name)s”?)") % {"name": hyphenated}
        elif allowed:
            reason = _("är okänd; tillåtna parametrar är %(names)s") % {"names": ", ".join(allowed)}
        else:
            reason = _("är okänd; resursen tar inga parametrar")
        problems.append(InvalidParameter(name, reason, request.GET.get(name)))
    if problems:
        raise invalid_parameters_problem(problems)


def split_values(values: Iterable[str] | None) -> list[str]:
    """Repeated and comma-separated values alike: ["1880,1881", "1814"] -> ["1880", "1881", "1814"]."""
    result: list[str] = []
    for value in values or ():
        for part in str(value).split(","):
            part = part.strip()
            if part and part not in result:
                result.append(part)
    return result


# --- Dates ---------------------------------------------------------------------------------

# ISO 8601 as RFC 3339 writes it. Pydantic alone also reads numbers (and strings of digits) as Unix
# times, so that ?to=0 meant 1970-01-01: the API takes dates only in these forms.
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ISO_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?"
)


def iso_date(value: Any) -> Any:
    """A date parameter as ÅÅÅÅ-MM-DD, or a 400 naming it; None (left out) passes."""
    if value is None or (isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("iso_date", "Input should be a date in the form YYYY-MM-DD")


# Query parameter types: `Annotated[OptionalIsoDate, Query(...)] = None`.
IsoDate = Annotated[datetime.date, BeforeValidator(iso_date)]
OptionalIsoDate = Annotated[datetime.date | None, BeforeValidator(iso_date)]
# Ids in paths: `Annotated[Id, Path(description=...)]`.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


# --- Schemas ---------------------------------------------------------------------------------


class CamelSchema(Schema):
    """JSON property names are camelCase (Digg AME.04); Python attributes stay snake_case."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, from_attributes=True)


def _json_kind(annotation: Any) -> set[str]:
    """The JSON kinds a field of this type accepts: "any" when not checked here."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _json_kind(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return set().union(*(_json_kind(arg) for arg in get_args(annotation)))
    if annotation is type(None):
        return {"null"}
    if origin in (list, tuple, set, frozenset):
        return {"list"}
    if origin is dict or annotation is dict or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return {"object"}
    kinds = {bool: "bool", int: "int", float: "number", Decimal: "decimal", str: "str"}
    if annotation in kinds:
        return {kinds[annotation]}
    if annotation is datetime.datetime:
        return {"datetime"}
    if annotation is datetime.date:
        return {"date"}
    if origin is Literal or (isinstance(annotation, type) and issubclass(annotation, Enum)):
        return {"any"}
    return {"any"}


def _fits(kinds: set[str], value: Any) -> bool:
    if "any" in kinds:
        return True
    if value is None:
        return "null" in kinds
    if isinstance(value, bool):
        return "bool" in kinds
    if isinstance(value, int):
        return bool(kinds & {"int", "number", "decimal"})
    if isinstance(value, float):
        # JSON Schema counts 5.0 as an integer.
        return bool(kinds & {"number", "decimal"} or ("int" in kinds and value.is_integer()))
    if isinstance(value, str):
        return bool(
            kinds & {"str", "decimal"}
            or ("datetime" in kinds and ISO_DATETIME.fullmatch(value))
            or ("date" in kinds and ISO_DATE.fullmatch(value))
        )
    if isinstance(value, list):
        return "list" in kinds
    if isinstance(value, dict):
        return "object" in kinds
    return False


class InSchema(CamelSchema):
    """The base of every request body: what its document says, and nothing else.

    The body is a JSON object; each property is named in camelCase as documented, and an unknown one is
    a 400 naming it. Each value has the JSON type its property documents: no number for a date, no
    string for a number or a truth value (pydantic alone would read `"5"` as 5 and 0 as 1970-01-01).
    Response schemas stay CamelSchema, which also reads model objects by their attributes.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=False, validate_by_name=False, from_attributes=False)

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: Any, info: ValidationInfo) -> Any:
        # Replaces ninja's, which reads any object by its attributes: [] or null became an empty body.
        if not isinstance(values, dict):
            raise PydanticCustomError("object_type", "Input should be a JSON object")
        return handler(values)

    @field_validator("*", mode="before")
    @classmethod
    def _json_types(cls, value: Any, info: ValidationInfo) -> Any:
        field_info = cls.model_fields.get(info.field_name or "")
        if field_info is None:
            return value
        kinds = _json_kind(field_info.annotation)
        if not _fits(kinds, value):
            kind = next(iter(sorted(kinds - {"null"})), "any")
            raise PydanticCustomError("json_type", "Input should be of JSON kind {kind}", {"kind": kind})
        if "list" in kinds and isinstance(value, list):
            item_type = next(
                (get_args(arg)[0] for arg in _union_args(field_info.annotation) if get_origin(arg) is list), None
            )
            item_kinds = _json_kind(item_type) if item_type is not None else {"any"}
            kind = next(iter(sorted(item_kinds - {"null"})), "any")
            # Each wrong item is named by its own path (`initiatives[1]`), not the list as a whole.
            wrong = [
                InitErrorDetails(
                    type=PydanticCustomError("json_type", "Input should be of JSON kind {kind}", {"kind": kind}),
                    loc=(index,),
                    input=item,
                )
                for index, item in enumerate(value)
                if not _fits(item_kinds, item)
            ]
            if wrong:
                raise PydanticValidationError.from_exception_data(cls.__name__, wrong)
        return value


def _union_args(annotation: Any) -> tuple[Any, ...]:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _union_args(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return tuple(a for arg in get_args(annotation) for a in _union_args(arg))
    return (annotation,)


class InvalidParameterOut(CamelSchema):
    """En felaktig parameter: namn, orsak och det värde som skickades."""

    name: str
    reason: str
    value: str | None = None


class ProblemOut(CamelSchema):
    """Problemdetaljer enligt RFC 9457 (application/problem+json)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    invalid_parameters: list[InvalidParameterOut] | None = None


class PaginationOut(CamelSchema):
    """Sidinformation: aktuell sida, sidstorlek, antal poster och sidor.

    Antalet räknas exakt upp till ett tak (1 000 i organisationskatalogen, annars obegränsat); vid fler
    träffar är totalCountExact false, totalPages och länken last null, och alla sidor nås via länken next."""

    page: int
    limit: int
    total_count: int = Field(description="Antal poster; vid fler än taket är värdet taket och totalCountExact false.")
    total_count_exact: bool = Field(True, description="true när totalCount är det exakta antalet.")
    total_pages: int | None = Field(description="Antal sidor när antalet är exakt, annars null.")


class PageLinksOut(CamelSchema):
    """Absoluta länkar till denna, första, sista, föregående och nästa sida (null om den saknas)."""

    self: str
    first: str
    last: str | None = None
    prev: str | None = None
    next: str | None = None


T = TypeVar("T")


class PageOut(CamelSchema, Generic[T]):
    """En sida poster med sidinformation och länkar: samma form för varje lista i API:et."""

    items: list[T]
    pagination: PaginationOut
    links: PageLinksOut


@dataclass
class Page(Generic[T]):
    """One page of a collection, with everything the envelope and the Link header need."""

    items: list[T]
    page: int
    limit: int
    total_count: int
    exact: bool = True
    links: dict[str, str | None] = field(default_factory=dict)

    @property
    def total_pages(self) -> int | None:
        if not self.exact:
            return None
        return math.ceil(self.total_count / self.limit) if self.total_count else 0

    def envelope(self, items: list[Any]) -> dict[str, Any]:
        return {
            "items": items,
            "pagination": {
                "page": self.page,
                "limit": self.limit,
                "total_count": self.total_count,
                "total_count_exact": self.exact,
                "total_pages": self.total_pages,
            },
            "links": self.links,
        }

    def link_header(self) -> str:
        """RFC 8288 Link header with first, prev, next and last."""
        parts = []
        for rel in ("first", "prev", "next", "last"):
            url = self.links.get(rel)
            if url:
                parts.append(f'<{url}>; rel="{rel}"')
        return ", ".join(parts)


def page_url(request: HttpRequest, page: int) -> str:
    params = [(key, value) for key in request.GET for value in request.GET.getlist(key) if key != "page"]
    params.append(("page", str(page)))
    return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")


# Above a count cap the API pages without a total. A page starting past this offset is empty
# without asking the database (an OFFSET that large overflows).
MAX_OFFSET = 10_000_000


def paginate(request: HttpRequest, collection, *, page: int, limit: int, cap: int | None = None) -> Page:
    """Slice a queryset or list into the one page shape of the API. A page past the last one is
    empty (200), not an error.

    The count runs first, so an absurd page number never reaches the database as an OFFSET. With
    `cap` (a queryset only), counting stops above `cap` rows (ADR 0041): the page is then read with
    one row more, which says whether a next page exists without counting them all.
    """
    if isinstance(collection, list):
        total, exact = len(collection), True
    elif cap is not None:
        total = collection.order_by().values("pk")[: cap + 1].count()
        exact = total <= cap
        total = min(total, cap)
    else:
        total, exact = collection.count(), True
    offset = (page - 1) * limit
    if exact:
        items = list(collection[offset : offset + limit]) if offset < total else []
        has_next = offset + limit < total
    elif offset >= MAX_OFFSET:
        items, has_next = [], False
    else:
        items = list(collection[offset : offset + limit + 1])
        has_next = len(items) > limit
        items = items[:limit]
    result = Page(items=items, page=page, limit=limit, total_count=total, exact=exact)
    last = max(result.total_pages, 1) if result.total_pages is not None else None
    result.links = {
        "self": page_url(request, page),
        "first": page_url(request, 1),
        "last": page_url(request, last) if last is not None else None,
        "prev": page_url(request, min(page - 1, last) if last is not None else page - 1) if page > 1 else None,
        "next": page_url(request, page + 1) if has_next else None,
    }
    return result
