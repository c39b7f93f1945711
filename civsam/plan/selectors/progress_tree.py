"""The plan's progress tree: initiatives rolled up to priority areas, focus areas and the goal.

Read with values() — only the columns the tree and its rows show, no model instances — in a fixed
number of queries whatever the number of initiatives: the plan tree (3, unless the plan is given),
the plan's initiative ids (1), the filtered initiatives with their lead and status (1), their
priority areas in this plan (1), and one query per level of sub-initiatives. The roll-up itself
is pure (progress.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext

from .. import progress
from ..models import Initiative, InitiativeStatus, Plan
from .followup import InitiativeFilter, initiatives_filter
from .tree import plan_with_tree

MAX_DEPTH = 25  # sub-initiatives deeper than this are not followed (a guard, not a limit anyone meets)

# The columns an initiative row needs (title, lead, status, verification) and the roll-up needs.
ROW_COLUMNS = ("pk", "parent_id", "title", "progress", "weight", "lead_name", "verified_at")
STATUS_COLUMNS = ("status_id", "status__code", "status__kind", "status__name_sv", "status__name_en")


@dataclass(frozen=True)
class InitiativeSummary:
    """What a row of the tree shows of an initiative; duck-types the model for the templates."""

    pk: int
    parent_id: int | None
    title: str
    progress: int
    weight: float
    status: InitiativeStatus
    lead_display: str
    is_verified: bool

    @property
    def id(self) -> int:
        return self.pk

    def get_absolute_url(self) -> str:
        return reverse("plan:initiative-detail", args=[self.pk])


@dataclass
class InitiativeRow:
    initiative: InitiativeSummary
    value: float | None = None
    children: list[InitiativeRow] = field(default_factory=list)


@dataclass
class AreaRow:
    area: object
    value: float | None = None
    leaves: int = 0
    initiatives: list[InitiativeRow] = field(default_factory=list)


@dataclass
class FocusRow:
    focus_area: object
    value: float | None = None
    leaves: int = 0
    areas: list[AreaRow] = field(default_factory=list)


@dataclass
class PlanProgress:
    plan: Plan
    value: float | None
    leaves: int
    focus_areas: list[FocusRow]
    initiative_count: int


def _summaries(qs, statuses: dict[int, InitiativeStatus], municipality_suffix: str) -> list[InitiativeSummary]:
    """The rows of qs; `statuses` collects the status objects, one per status, built from the join."""
    rows = qs.values_list(*ROW_COLUMNS, *STATUS_COLUMNS, "lead_organisation__name", "lead_municipality__name")
    out = []
    for pk, parent_id, title, prog, weight, lead_name, verified_at, *status, org_name, mun_name in rows:
        status_id = status[0]
        if status_id not in statuses:
            # Only what rows show (code, kind, name): not for saving.
            names = ("pk", "code", "kind", "name_sv", "name_en")
            statuses[status_id] = InitiativeStatus(**dict(zip(names, status, strict=True)))
        lead = org_name or (f"{mun_name} {municipality_suffix}" if mun_name else lead_name)
        out.append(
            InitiativeSummary(
                pk, parent_id, title, prog, float(weight), statuses[status_id], lead, verified_at is not None
            )
        )
    return out


def _load_children(top_ids: list[int], statuses, suffix) -> dict[int, list[InitiativeSummary]]:
    children: dict[int, list[InitiativeSummary]] = {}
    frontier = list(top_ids)
    seen = set(frontier)
    for _depth in range(MAX_DEPTH):
        if not frontier:
            break
        level = _summaries(Initiative.objects.filter(parent_id__in=frontier).order_by("title", "id"), statuses, suffix)
        frontier = []
        for child in level:
            if child.pk in seen:
                continue
            seen.add(child.pk)
            children.setdefault(child.parent_id, []).append(child)
            frontier.append(child.pk)
    return children


def plan_progress(plan_ref: str | int | Plan, flt: InitiativeFilter | None = None) -> PlanProgress:
    plan = plan_ref if isinstance(plan_ref, Plan) else plan_with_tree(plan_ref)
    flt = flt or InitiativeFilter()
    statuses: dict[int, InitiativeStatus] = {}
    suffix = gettext("kommun")
    in_plan = set(
        initiatives_filter(Initiative.objects.all(), InitiativeFilter(plan=plan)).values_list("pk", flat=True)
    )
    filtered_qs = initiatives_filter(Initiative.objects.all(), InitiativeFilter(**{**flt.__dict__, "plan": plan}))
    filtered = _summaries(filtered_qs.order_by("title", "id"), statuses, suffix)
    # An initiative whose parent also serves this plan rolls up through its parent only.
    top = [i for i in filtered if i.parent_id not in in_plan]
    area_ids = {pa.pk for fa in plan.focus_areas.all() for pa in fa.priority_areas.all()}
    links: dict[int, list[int]] = {}
    if top:
        # A subquery, not a list of ids: no parameter limits, and the database does the join.
        through = Initiative.priority_areas.through.objects.filter(
            initiative_id__in=filtered_qs.values("pk"), priorityarea_id__in=area_ids
        )
        for initiative_id, area_id in through.values_list("initiative_id", "priorityarea_id"):
            links.setdefault(initiative_id, []).append(area_id)
    children = _load_children([i.pk for i in top], statuses, suffix)
    by_area: dict[int, list[InitiativeSummary]] = {}
    for initiative in top:
        for area_id in links.get(initiative.pk, ()):
            by_area.setdefault(area_id, []).append(initiative)

    cancelled = InitiativeStatus.Kind.CANCELLED
    method = plan.rollup_initiative

    def initiative_node(initiative: InitiativeSummary) -> tuple[progress.Node, InitiativeRow]:
        # Built once per initiative and area; sub-initiatives are shared by reference.
        row = InitiativeRow(initiative)
        nodes = []
        for child in children.get(initiative.pk, ()):
            node, child_row = initiative_node(child)
            nodes.append(node)
            row.children.append(child_row)
        # A cancelled initiative is listed but not counted: its 0 % says nothing about the area.
        value = None if initiative.status.kind == cancelled else float(initiative.progress)
        return progress.Node("", value, initiative.weight, method, tuple(nodes)), row

    focus_nodes, focus_rows = [], []
    for fa in plan.focus_areas.all():
        area_nodes, focus_row = [], FocusRow(fa)
        for pa in fa.priority_areas.all():
            area_row = AreaRow(pa)
            nodes = []
            for initiative in by_area.get(pa.pk, ()):
                node, row = initiative_node(initiative)
                nodes.append(node)
                area_row.initiatives.append(row)
            area_nodes.append(progress.Node("", None, float(pa.weight), plan.rollup_priority_area, tuple(nodes)))
            focus_row.areas.append(area_row)
        focus_nodes.append(progress.Node("", None, float(fa.weight), plan.rollup_focus_area, tuple(area_nodes)))
        focus_rows.append(focus_row)
    rolled = progress.roll_up(progress.Node("goal", None, 1.0, plan.rollup_goal, tuple(focus_nodes)))

    def fill_initiatives(rows: list[InitiativeRow], rolled_children) -> None:
        for row, node in zip(rows, rolled_children, strict=True):
            row.value = node.value
            if row.children:
                fill_initiatives(row.children, node.children)

    # The rolled tree has the shape of the node tree: walk both side by side.
    for fa_node, focus_row in zip(rolled.children, focus_rows, strict=True):
        focus_row.value, focus_row.leaves = fa_node.value, fa_node.leaves
        for pa_node, area_row in zip(fa_node.children, focus_row.areas, strict=True):
            area_row.value, area_row.leaves = pa_node.value, pa_node.leaves
            fill_initiatives(area_row.initiatives, pa_node.children)
    return PlanProgress(plan, rolled.value, rolled.leaves, focus_rows, len(top))
