"""Reads for the wider frame (ADR 0122): the tags by kind, an initiative's tags with those of the
areas it serves, and the initiatives grouped by tag for the report."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from ..models import FocusArea, FrameTag, Initiative, PriorityArea


def frame_tags() -> QuerySet[FrameTag]:
    return FrameTag.objects.order_by("sort_order", "code")


def frame_tag_groups() -> list[tuple[str, list[FrameTag]]]:
    """The tags by kind, in the kinds' order, for choices and filters (one query)."""
    by_kind: dict[str, list[FrameTag]] = {}
    for tag in frame_tags():
        by_kind.setdefault(tag.kind, []).append(tag)
    return [(str(label), by_kind[kind]) for kind, label in FrameTag.Kind.choices if kind in by_kind]


def frame_tag_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Grouped choices (optgroups) of tag ids."""
    return [(label, [(tag.pk, str(tag)) for tag in tags]) for label, tags in frame_tag_groups()]


def serving_q(tag_ids) -> Q:
    """Initiatives that serve any of the tags: tagged themselves, or serving a priority area (or
    its focus area) that is tagged."""
    areas = PriorityArea.objects.filter(Q(frame_tags__in=tag_ids) | Q(focus_area__frame_tags__in=tag_ids))
    own = Initiative.frame_tags.through.objects.filter(frametag_id__in=tag_ids).values("initiative_id")
    via_areas = Initiative.priority_areas.through.objects.filter(priorityarea__in=areas).values("initiative_id")
    return Q(pk__in=own) | Q(pk__in=via_areas)


def effective_tag_ids(initiatives: list[Initiative]) -> dict[int, set[int]]:
    """Each initiative's tags with those of its priority areas and their focus areas (three queries)."""
    ids = [i.pk for i in initiatives]
    result: dict[int, set[int]] = {pk: set() for pk in ids}
    for initiative_id, tag_id in Initiative.frame_tags.through.objects.filter(initiative_id__in=ids).values_list(
        "initiative_id", "frametag_id"
    ):
        result[initiative_id].add(tag_id)
    links = list(
        Initiative.priority_areas.through.objects.filter(initiative_id__in=ids).values_list(
            "initiative_id", "priorityarea_id", "priorityarea__focus_area_id"
        )
    )
    area_tags: dict[tuple[str, int], set[int]] = {}
    for pa_id, tag_id in PriorityArea.frame_tags.through.objects.filter(
        priorityarea_id__in={pa for _i, pa, _f in links}
    ).values_list("priorityarea_id", "frametag_id"):
        area_tags.setdefault(("pa", pa_id), set()).add(tag_id)

    for fa_id, tag_id in FocusArea.frame_tags.through.objects.filter(
        focusarea_id__in={fa for _i, _p, fa in links}
    ).values_list("focusarea_id", "frametag_id"):
        area_tags.setdefault(("fa", fa_id), set()).add(tag_id)
    for initiative_id, pa_id, fa_id in links:
        result[initiative_id] |= area_tags.get(("pa", pa_id), set()) | area_tags.get(("fa", fa_id), set())
    return result


@dataclass(frozen=True)
class TagSection:
    tag: FrameTag
    initiatives: list[Initiative]


@dataclass(frozen=True)
class KindSection:
    kind: str
    label: str
    tags: list[TagSection]


def initiatives_by_frame(initiatives: list[Initiative]) -> list[KindSection]:
    """The initiatives grouped by the tags they serve, kind by kind; tags no initiative serves are
    left out. An initiative appears under each tag it serves."""
    effective = effective_tag_ids(initiatives)
    used = set().union(*effective.values()) if effective else set()
    if not used:
        return []
    tags = list(FrameTag.objects.filter(pk__in=used).order_by("sort_order", "code"))
    sections = []
    for kind, label in FrameTag.Kind.choices:
        kind_tags = [
            TagSection(tag, [i for i in initiatives if tag.pk in effective[i.pk]]) for tag in tags if tag.kind == kind
        ]
        if kind_tags:
            sections.append(KindSection(kind, str(label), kind_tags))
    return sections
