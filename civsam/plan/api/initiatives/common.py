"""The initiatives router and what its reads and writes share: loading one initiative with what it
shows, and its validators (ETag, If-Match, If-None-Match; docs/adr/0048-*).

The ETag is the initiative's version (selectors.initiative_version), quoted. The comparison with
If-Match happens in services.initiative_update, under the row lock, so that the API and the edit
form are protected the same way."""

from __future__ import annotations

from django.utils.http import parse_etags, quote_etag
from django.utils.translation import gettext as _
from ninja import Router

from civsam.core.apitools import ApiProblem

from ... import selectors
from ...models import Initiative
from .schemas import InitiativeOut, initiative_out

router = Router(tags=["insatser"])

ETAG_HEADER = {"description": "Insatsens nuvarande ETag (stark validerare).", "schema": {"type": "string"}}
IF_MATCH_DOC = (
    "ETag från en tidigare hämtning. Stämmer den inte med insatsens nuvarande ETag har någon annan ändrat "
    "insatsen under tiden, och svaret blir 412 utan att något ändras. * godtar varje befintlig insats. "
    "Svaga taggar (W/) stämmer aldrig. Utan huvudet ändras insatsen utan kontroll; klienter bör skicka det."
)


def with_details(qs):
    return qs.prefetch_related("milestones", "principles", "roles", "frame_tags", "partner_organisations")


def fetch(request, initiative_id: int) -> tuple[Initiative, InitiativeOut]:
    """The initiative and its representation, or a 404 problem."""
    initiative = with_details(selectors.initiative_list(selectors.InitiativeFilter(ids=(initiative_id,)))).first()
    if initiative is None:
        raise ApiProblem(404, _("Det finns ingen insats med id %(id)s.") % {"id": initiative_id})
    return initiative, initiative_out(request, initiative)


def initiative_etag(initiative: Initiative) -> str:
    return quote_etag(selectors.initiative_version(initiative))


def expected_versions(if_match: str | None) -> list[str] | None:
    """The versions an If-Match header accepts, for services.initiative_update; None: no condition.

    RFC 9110 13.1.1: strong comparison, so a weak tag (W/) never matches, nor does a malformed
    header (no quoted tag at all); * matches any current representation."""
    if if_match is None:
        return None
    tags = parse_etags(if_match)
    if tags == ["*"]:
        return None
    return [tag.strip('"') for tag in tags if not tag.startswith("W/")]


def if_none_match_fails(header: str, etag: str) -> bool:
    """RFC 9110 13.1.2: weak comparison; * matches any current representation."""
    tags = parse_etags(header)
    return tags == ["*"] or etag.removeprefix("W/") in {tag.removeprefix("W/") for tag in tags}


def precondition_failed() -> ApiProblem:
    return ApiProblem(
        412,
        _(
            "Insatsen har ändrats sedan du hämtade den: If-Match stämmer inte med insatsens nuvarande ETag. "
            "Hämta insatsen igen och gör om ändringen."
        ),
        title=_("Villkoret är inte uppfyllt"),
    )
