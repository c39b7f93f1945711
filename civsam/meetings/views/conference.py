"""The conference: the public programme, the organiser's programme page and the budget."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civsam.core.exports import FORMATS, Column, tabular_response
from civsam.core.privacy import personal_data

from .. import selectors, services
from ..forms import (
    BudgetLineForm,
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
from ..loaders import managed_conference, managed_event, visible_event
from ..models import BudgetCommitment, Conference
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
    event = managed_event(request.user, pk)
    conference = Conference.objects.filter(event=event).first()
    url = reverse("meetings:conference-manage", args=[pk])
    if conference is None:
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
    post = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if post else None

    def bound(name, cls, **kwargs):
        return cls(post if action == name else None, prefix=name, **kwargs)

    forms = {
        "session": bound("session", SessionForm),
        "speaker": bound("speaker", SpeakerForm, conference=conference),
        "partner": bound("partner", PartnerForm),
        "regtype": bound("regtype", RegistrationTypeForm, conference=conference),
        "quota": bound("quota", QuotaForm),
        "planning": bound("planning", PlanningMemberForm),
    }
    call = partial(saying, actor=request.user, conference=conference)
    actions = {
        "session": call(services.session_add, _("Programpunkten är tillagd.")),
        "speaker": call(services.speaker_add, _("Talaren är tillagd.")),
        "partner": call(services.partner_add, _("Partnern är tillagd.")),
        "regtype": call(services.registration_type_add, _("Anmälningstypen är tillagd.")),
        "quota": call(services.quota_set, _("Kvoten är sparad.")),
        "planning": call(services.planning_member_add, _("Ledamoten är tillagd i planeringsgruppen.")),
    }
    done = run_forms(request, forms, actions, url)
    if done:
        return done
    context = {
        "event": event,
        "conference": conference,
        "forms": forms,
        "days": selectors.conference_programme(conference),
        "speakers": conference.speakers.prefetch_related("sessions"),
        "partners": conference.partners.all(),
        "planning_group": conference.planning_group.all(),
        "quotas": conference.quotas.all(),
        "registration_types": conference.registration_types.prefetch_related("sessions"),
    }
    return render(request, "meetings/conference_manage.html", context, status=400 if action else 200)


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
        "line": BudgetLineForm(post if action == "line" else None, prefix="line"),
        "commitment": CommitmentForm(
            post if action == "commitment" else None, prefix="commitment", conference=conference
        ),
    }
    actor = request.user
    actions = {
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
