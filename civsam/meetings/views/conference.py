"""The conference: the public programme, the organiser's programme page and the budget."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civsam.core.exports import FORMATS, Column, tabular_response
from civsam.core.privacy import personal_data

from .. import permissions, printing, selectors, services
from ..forms import (
    BudgetLineForm,
    BudgetYearForm,
    CommitmentForm,
    ConferenceForm,
    OutcomeForm,
    PartnerForm,
    PlanningMemberForm,
    QuotaForm,
    RegistrationTypeForm,
    SessionForm,
    SpeakerForm,
)
from ..loaders import managed_conference, managed_event, programme_conference, status_conference, visible_event
from ..models import BudgetCommitment, Conference, PlanningGroupMember
from .common import run_forms, saying


@login_not_required
def programme(request, pk: int):
    event = visible_event(request.user, pk)
    conference = get_object_or_404(Conference, event=event)
    days = [
        (day, selectors.programme_rooms(sessions), sessions)
        for day, sessions in selectors.conference_programme(conference)
    ]
    context = {
        "event": event,
        "conference": conference,
        "days": days,
        "speakers": conference.speakers.prefetch_related("sessions"),
        "partners": conference.partners.all(),
        "planning_group": conference.planning_group.all(),
        "quotas": conference.quotas.all(),
        "registration_types": conference.registration_types.prefetch_related("sessions"),
    }
    return render(request, "meetings/conference_programme.html", context)


@personal_data
def conference_manage(request, pk: int):
    """The conference's page for its organisers; the planning group's members with an account see
    the programme's parts (sessions and speakers) only (permissions.can_edit_programme)."""
    event = visible_event(request.user, pk)
    conference = Conference.objects.filter(event=event).first()
    can_manage = permissions.can_manage_event(request.user, event)
    url = reverse("meetings:conference-manage", args=[pk])
    if conference is None:
        event = managed_event(request.user, pk)
        form = ConferenceForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.conference_create(actor=request.user, event=event, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Evenemanget är nu en konferens."))
                return redirect(url)
        return render(request, "meetings/conference_create.html", {"event": event, "form": form})
    conference = programme_conference(request.user, pk)
    post = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if post else None

    def bound(name, cls, **kwargs):
        return cls(post if action == name else None, prefix=name, **kwargs)

    forms = {
        "session": bound("session", SessionForm),
        "speaker": bound("speaker", SpeakerForm, conference=conference),
    }
    call = partial(saying, actor=request.user, conference=conference)
    actions = {
        "session": call(services.session_add, _("Programpunkten är tillagd.")),
        "speaker": call(services.speaker_add, _("Talaren är tillagd.")),
    }
    if can_manage:
        forms |= {
            "partner": bound("partner", PartnerForm),
            "regtype": bound("regtype", RegistrationTypeForm, conference=conference),
            "quota": bound("quota", QuotaForm),
            "planning": bound("planning", PlanningMemberForm),
        }
        actions |= {
            "partner": call(services.partner_add, _("Partnern är tillagd.")),
            "regtype": call(services.registration_type_add, _("Anmälningstypen är tillagd.")),
            "quota": call(services.quota_set, _("Kvoten är sparad.")),
            "planning": _planning_action(request.user, conference),
        }
        if action == "planning-remove":
            member = get_object_or_404(PlanningGroupMember, conference=conference, pk=request.POST.get("member"))
            services.planning_member_remove(actor=request.user, member=member)
            messages.success(request, _("Ledamoten är borttagen ur planeringsgruppen."))
            return redirect(url)
    done = run_forms(request, forms, actions, url)
    if done:
        return done
    context = {
        "event": event,
        "conference": conference,
        "forms": forms,
        "can_manage": can_manage,
        "days": selectors.conference_programme(conference),
        "speakers": conference.speakers.prefetch_related("sessions"),
        "partners": conference.partners.all(),
        "planning_group": conference.planning_group.select_related("user"),
        "quotas": conference.quotas.all(),
        "registration_types": conference.registration_types.prefetch_related("sessions"),
    }
    return render(request, "meetings/conference_manage.html", context, status=400 if action else 200)


def _planning_action(actor, conference):
    def action(form) -> str:
        services.planning_member_add(actor=actor, conference=conference, **form.service_data)
        return _("Ledamoten är tillagd i planeringsgruppen.")

    return action


COMMITMENT_COLUMNS = [
    Column("budgetpost", "Budgetpost", lambda c: c.line.title),
    Column("beskrivning", "Beskrivning", lambda c: c.description),
    Column("datum", "Datum", lambda c: c.committed_on.isoformat()),
    Column("atagande_kr", "Åtagande (kr)", lambda c: c.amount),
    Column("utfall_kr", "Utfall (kr)", lambda c: c.outcome if c.outcome is not None else ""),
]


def _commitments(conference: Conference):
    return (
        BudgetCommitment.objects.filter(line__conference=conference)
        .select_related("line")
        .order_by("line__title", "committed_on", "id")
    )


def conference_budget(request, pk: int):
    conference = managed_conference(request.user, pk)
    url = reverse("meetings:conference-budget", args=[pk])
    post = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if post else None
    forms = {
        "year": BudgetYearForm(post if action == "year" else None, prefix="year"),
        "line": BudgetLineForm(post if action == "line" else None, prefix="line"),
        "commitment": CommitmentForm(
            post if action == "commitment" else None, prefix="commitment", conference=conference
        ),
    }
    actor = request.user
    actions = {
        "year": saying(services.budget_year_set, _("Anslaget för året är sparat."), actor=actor, conference=conference),
        "line": saying(services.budget_line_add, _("Budgetposten är tillagd."), actor=actor, conference=conference),
        "commitment": saying(services.commitment_add, _("Åtagandet är sparat."), actor=actor),
    }
    outcome_error = None
    if action == "outcome":
        commitment = get_object_or_404(_commitments(conference), pk=request.POST.get("commitment"))
        form = OutcomeForm(request.POST, prefix=f"outcome-{commitment.pk}")
        if form.is_valid():
            try:
                services.commitment_record_outcome(
                    actor=actor, commitment=commitment, outcome=form.cleaned_data["outcome"]
                )
                messages.success(request, _("Utfallet är sparat."))
                return redirect(url)
            except ValidationError as exc:
                outcome_error = " ".join(exc.messages)
        else:
            outcome_error = _("Ange utfallet som ett belopp i kronor.")
    done = run_forms(request, forms, actions, url)
    if done:
        return done
    lines = conference.budget_lines.all()
    commitments = list(_commitments(conference))
    by_line = {line.pk: {"line": line, "committed": 0, "spent": 0} for line in lines}
    for c in commitments:
        by_line[c.line_id]["committed"] += c.amount
        by_line[c.line_id]["spent"] += c.outcome if c.outcome is not None else c.amount
    context = {
        "event": conference.event,
        "conference": conference,
        "state": selectors.budget_state(conference),
        "years": selectors.budget_by_year(conference),
        "allocations": conference.budget_years.all(),
        "lines": list(by_line.values()),
        "commitments": [
            (c, OutcomeForm(prefix=f"outcome-{c.pk}", initial={"outcome": c.outcome})) for c in commitments
        ],
        "forms": forms,
        "outcome_error": outcome_error,
        "formats": FORMATS,
    }
    status = 400 if action else 200
    return render(request, "meetings/conference_budget.html", context, status=status)


def conference_budget_export(request, pk: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    conference = managed_conference(request.user, pk)
    return tabular_response(fmt, COMMITMENT_COLUMNS, _commitments(conference), f"budget-{pk}")


def conference_status(request, pk: int):
    """The status report for the committee, at any time: budget by year, registrations per target
    group, survey results; the same page as a tagged PDF."""
    conference = status_conference(request.user, pk)
    context = selectors.conference_status(conference)
    return render(request, "meetings/conference_status.html", {**context, "pdf": False})


def conference_status_pdf(request, pk: int):
    conference = status_conference(request.user, pk)
    content = printing.conference_status_pdf(request, conference)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="konferens-lagesrapport-{conference.event_id}.pdf"'
    return response
