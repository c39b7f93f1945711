"""The Region's own calls through their services: drafts, sending in with a case number and a
receipt, completion, withdrawal, attachments by content, reviews with conflicts of interest, the
decision within the call's budget, payment to a checked bankgiro, follow-up, recovery, closing."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from civsam.core.models import AuditEntry
from civsam.funding import services
from civsam.funding.models import (
    Application,
    ApplicationDecision,
    DecisionLetter,
    FundingCall,
    GrantDecision,
    Instalment,
    PaymentBatch,
    Recovery,
    ReportRequirement,
    ReviewAssignment,
)

from .conftest import INNOVATION_ANSWERS, PDF, TODAY, decision_data

pytestmark = pytest.mark.django_db
YY = f"{TODAY.year % 100:02d}"


def _statuses(application) -> list[str]:
    return [
        e.changes["status"][1]
        for e in AuditEntry.objects.filter(object_id=str(application.pk), content_type__model="application")
        .exclude(changes={})
        .order_by("id")
        if "status" in e.changes
    ]


# --- Sending in ---------------------------------------------------------------------------------


def test_send_in_gives_a_case_number_and_a_receipt(
    make_application, programmes, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    application = make_application()
    assert application.status == Application.Status.DRAFT and application.case_number == ""
    with pytest.raises(PermissionDenied):
        services.application_submit(actor=programmes["officer_kumla"], application=application)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.application_submit(actor=programmes["rep"], application=application)
    assert sent.status == Application.Status.SUBMITTED
    assert sent.case_number == f"{YY}RS1" and sent.submitted_at is not None
    (receipt,) = mail.outbox
    assert receipt.to == ["styrelsen@example.se"] and sent.case_number in receipt.subject
    assert "30\u00a0000 kronor" in receipt.body
    second = services.application_submit(actor=None, application=make_application(title="Nästa"))
    assert second.case_number == f"{YY}RS2"
    assert _statuses(sent) == ["submitted"]


def test_case_numbers_continue_after_those_already_in_the_register(make_application, make_decision, programmes):
    make_decision(funder=programmes["region"], case_number=f"{YY}RS4153")
    make_decision(funder=programmes["region"], case_number=f"{TODAY.year % 100 - 1:02d}RS9999")
    assert make_application(submit=True).case_number == f"{YY}RS4154"


def test_what_is_missing_is_told_before_sending_in(make_application):
    application = make_application(amount=None, answers={"idea": "En idé", "voluntary_hours": 10})
    with pytest.raises(ValidationError) as info:
        services.application_submit(actor=None, application=application)
    text = " ".join(info.value.messages)
    assert "Ange sökt belopp." in text
    assert "Svara på frågan: Vad som är nytt" in text and "Svara på frågan: Projektet börjar" in text
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT and application.case_number == ""


@pytest.mark.parametrize(
    "amount, answers, fragment",
    [
        ("15000", {}, "20\u00a0000–50\u00a0000 kronor"),
        ("60000", {"co_financing_money": "60000.00"}, "20\u00a0000–50\u00a0000 kronor"),
        ("40000", {"co_financing_money": "0.00", "voluntary_hours": 100}, "Medfinansieringen är 33\u00a0000 kronor"),
    ],
)
def test_the_programmes_rules_are_checked(make_application, amount, answers, fragment):
    application = make_application(amount=amount, answers={**INNOVATION_ANSWERS, **answers})
    with pytest.raises(ValidationError) as info:
        services.application_submit(actor=None, application=application)
    assert any(fragment in message for message in info.value.messages)


def test_the_association_programme_needs_four_municipalities_with_members(make_application, programmes):
    call = programmes["association_call"]
    answers = {
        "member_municipalities": ["1880", "1881", "1882"],
        "member_count": 40,
        "activity_plan": "x",
        "regional_role": "y",
        "budget_total": "1000.00",
    }
    application = make_application(call=call, answers=answers, amount="50000")
    with pytest.raises(ValidationError, match="minst 4"):
        services.application_submit(actor=None, application=application)
    services.application_update(
        actor=None,
        application=application,
        data=services.ApplicationData(
            title="Verksamhetsbidrag",
            amount_applied=Decimal("50000"),
            years=3,
            answers={**answers, "activity_municipalities": ["1880", "1881", "1861"]},
        ),
    )
    assert services.application_submit(actor=None, application=application).status == "submitted"


def test_the_sources_rules_on_who_may_apply_are_checked_too(make_application, programmes, make_org):
    from civsam.core.models import LegalForm

    cooperative = make_org(name="Kooperativet ek. för.", legal_form=LegalForm.objects.get(code="51"))
    application = make_application(call=programmes["association_call"], organisation=cooperative, amount="50000")
    with pytest.raises(ValidationError, match="juridiska former"):
        services.application_submit(actor=None, application=application)


def test_a_closed_call_takes_no_applications(make_application, programmes):
    call = programmes["innovation_call"]
    draft = make_application()
    services.funding_call_change_status(actor=None, call=call, status=FundingCall.Status.CLOSED)
    call.refresh_from_db()
    with pytest.raises(ValidationError, match="tar inte emot"):
        services.application_submit(actor=None, application=draft)
    with pytest.raises(ValidationError, match="tar inte emot"):
        make_application()


def test_the_form_refuses_answers_of_the_wrong_kind(make_application):
    with pytest.raises(ValidationError) as info:
        make_application(answers={"voluntary_hours": "many", "unknown": 1})
    assert set(info.value.error_dict) == {"voluntary_hours", "unknown"}


def test_years_must_be_one_of_the_programmes(make_application, programmes):
    with pytest.raises(ValidationError, match="för 1 år"):
        make_application(years=2)
    assert make_application(call=programmes["association_call"], years=3).years == 3


# --- Completion, withdrawal, last year's answers ------------------------------------------------


def test_completion_requested_and_sent_again(
    make_application, programmes, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    application = make_application(submit=True)
    with pytest.raises(PermissionDenied):
        services.application_request_completion(actor=programmes["officer"], application=application, note="x")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_completion(
            actor=programmes["admin"], application=application, note="Bifoga budgeten."
        )
    application.refresh_from_db()
    assert application.status == Application.Status.COMPLETION_REQUESTED and application.is_editable
    assert "Bifoga budgeten." in mail.outbox[-1].body
    # A completion may come after the call has closed, and keeps the case number.
    services.funding_call_change_status(actor=None, call=application.call, status=FundingCall.Status.CLOSED)
    sent = services.application_submit(actor=programmes["rep"], application=application)
    assert sent.status == Application.Status.SUBMITTED and sent.case_number == f"{YY}RS1"
    assert _statuses(application) == ["submitted", "completion_requested", "submitted"]


def test_sent_applications_cannot_be_changed(make_application):
    application = make_application(submit=True)
    with pytest.raises(ValidationError, match="inskickad"):
        services.application_update(
            actor=None, application=application, data=services.ApplicationData(title="Nytt", amount_applied=Decimal(1))
        )


@pytest.mark.parametrize("submit", [False, True])
def test_withdraw_before_the_decision(make_application, programmes, submit):
    application = make_application(submit=submit)
    with pytest.raises(PermissionDenied):
        services.application_withdraw(actor=programmes["officer_kumla"], application=application)
    assert services.application_withdraw(actor=programmes["rep"], application=application).status == "withdrawn"


def test_no_withdrawal_after_the_decision(in_review):
    application = in_review()
    services.application_decide(actor=None, application=application, data=decision_data(application))
    with pytest.raises(ValidationError):
        services.application_withdraw(actor=None, application=application)


def test_last_years_answers_are_offered_again(make_application, programmes):
    previous = make_application(submit=True, title="Språkcafé 2025")
    services.funding_call_change_status(actor=None, call=programmes["innovation_call"], status="closed")
    new_call = services.funding_call_change_status(
        actor=None,
        call=services.funding_call_create(
            actor=None,
            data=services.FundingCallData(
                source=programmes["innovation"].source,
                title="Nästa omgång",
                opens_on=TODAY,
                deadline=TODAY + datetime.timedelta(days=10),
                programme=programmes["innovation"],
            ),
        ),
        status="published",
    )
    again = services.application_create(
        actor=programmes["rep"],
        call=new_call,
        organisation=programmes["own_org"],
        data=services.ApplicationData(title="", answers={"idea": "En ny idé"}),
        carry_from=previous,
    )
    assert again.title == "Språkcafé 2025" and again.amount_applied == Decimal("30000")
    assert again.answers["idea"] == "En ny idé"  # what the applicant gives wins
    assert again.answers["novelty"] == INNOVATION_ANSWERS["novelty"]
    assert again.carried_from == previous
    with pytest.raises(ValidationError):
        services.application_create(
            actor=None,
            call=new_call,
            organisation=programmes["other_org"],
            data=services.ApplicationData(title=""),
            carry_from=previous,
        )


# --- Attachments --------------------------------------------------------------------------------


def test_attachments_checked_by_content_and_stored_under_a_generated_name(
    make_application, programmes, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    application = make_application()
    attachment = services.attachment_add(
        actor=programmes["rep"],
        application=application,
        name="../../Budget 2027.pdf",
        stream=io.BytesIO(PDF),
        size=len(PDF),
    )
    assert attachment.content_type == "application/pdf" and attachment.original_name.endswith("Budget 2027.pdf")
    assert attachment.file.name.startswith("funding/attachments/") and "Budget" not in attachment.file.name
    assert attachment.file.read() == PDF
    with pytest.raises(ValidationError, match="inte ett dokument"):
        services.attachment_add(
            actor=programmes["rep"], application=application, name="budget.pdf", stream=io.BytesIO(b"MZ\x90"), size=3
        )
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            actor=programmes["officer_kumla"],
            application=application,
            name="a.pdf",
            stream=io.BytesIO(PDF),
            size=len(PDF),
        )
    settings.CIVSAM_FUNDING_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="för stor"):
        services.attachment_add(
            actor=None, application=application, name="a.pdf", stream=io.BytesIO(PDF), size=len(PDF)
        )
    services.application_submit(actor=None, application=application)
    with pytest.raises(PermissionDenied):
        services.attachment_delete(actor=programmes["rep"], attachment=attachment)


# --- Reviews ------------------------------------------------------------------------------------


def test_reviewers_assigned_declare_and_score(make_application, programmes):
    application = make_application(submit=True)
    with pytest.raises(ValidationError, match="rollen bedömare"):
        services.review_assign(actor=programmes["admin"], application=application, reviewer=programmes["plain"])
    assignment = services.review_assign(
        actor=programmes["admin"], application=application, reviewer=programmes["reviewer"]
    )
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW
    criteria = list(application.call.criteria.all())
    assert len(criteria) == 4
    scores = [services.ScoreData(c.pk, 4, "Bra") for c in criteria]
    with pytest.raises(ValidationError, match="jävig"):
        services.review_scores_save(actor=programmes["reviewer"], assignment=assignment, scores=scores, comment="")
    with pytest.raises(PermissionDenied):
        services.review_declare(actor=programmes["admin"], assignment=assignment, conflict=False)
    services.review_declare(actor=programmes["reviewer"], assignment=assignment, conflict=False)
    services.review_scores_save(
        actor=programmes["reviewer"], assignment=assignment, scores=scores[:2], comment="Lovande"
    )
    with pytest.raises(ValidationError, match="alla kriterier"):
        services.review_submit(actor=programmes["reviewer"], assignment=assignment)
    bad = [services.ScoreData(criteria[0].pk, 6)]
    with pytest.raises(ValidationError, match="0–5"):
        services.review_scores_save(actor=programmes["reviewer"], assignment=assignment, scores=bad, comment="")
    services.review_scores_save(actor=programmes["reviewer"], assignment=assignment, scores=scores, comment="Lovande")
    services.review_submit(actor=programmes["reviewer"], assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.status == ReviewAssignment.Status.SUBMITTED
    from civsam.funding import selectors

    table = selectors.score_table(application)
    assert table.columns[0].weighted == Decimal("80.0") and table.means[criteria[0].pk] == Decimal("4.0")


def test_a_representative_of_the_applicant_cannot_review_it(make_application, programmes):
    from civsam.accounts.models import Role
    from civsam.accounts.services import role_assign

    role_assign(user=programmes["rep"], role=Role.REVIEWER)
    application = make_application(submit=True)
    with pytest.raises(ValidationError, match="företräder den sökande"):
        services.review_assign(actor=None, application=application, reviewer=programmes["rep"])


def test_a_disqualified_reviewer_takes_no_part(in_review, programmes):
    from civsam.funding import permissions, selectors

    application = in_review()
    assignment = application.reviews.get()
    with pytest.raises(ValidationError, match="varför"):
        services.review_declare(actor=programmes["reviewer"], assignment=assignment, conflict=True)
    services.review_declare(
        actor=programmes["reviewer"], assignment=assignment, conflict=True, note="Min syster sitter i styrelsen."
    )
    assignment.refresh_from_db()
    assert assignment.status == ReviewAssignment.Status.RECUSED
    assert not permissions.can_view_application(programmes["reviewer"], application)
    assert not permissions.applications_visible_to(programmes["reviewer"]).filter(pk=application.pk).exists()
    assert selectors.score_table(application).recused == [assignment]
    with pytest.raises(ValidationError):
        services.review_declare(actor=programmes["reviewer"], assignment=assignment, conflict=False)


# --- The decision -------------------------------------------------------------------------------


def test_a_grant_is_decided_registered_and_planned(in_review, programmes, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    application = in_review(call=programmes["association_call"], amount="90000", years=3)
    with pytest.raises(PermissionDenied):
        services.application_decide(
            actor=programmes["officer"], application=application, data=decision_data(application)
        )
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.application_decide(
            actor=programmes["admin"],
            application=application,
            data=decision_data(application, outcome="partly_approved", amount="60000"),
        )
    application.refresh_from_db()
    assert application.status == Application.Status.PARTLY_APPROVED
    grant = GrantDecision.objects.get(case_number=application.case_number)
    assert decision.grant_decision == grant and grant.amount_granted == Decimal("60000")
    assert (grant.funder, grant.programme, grant.grant_form) == (
        programmes["region"],
        "Regionens föreningsstöd",
        "operating",
    )
    assert (grant.year_from, grant.year_to) == (TODAY.year, TODAY.year + 2) and grant.recipient == programmes["own_org"]
    assert [i.amount for i in application.instalments.all()] == [Decimal("20000.00")] * 3
    assert [r.due_date for r in application.report_requirements.all()] == [
        datetime.date(TODAY.year + n, 3, 31) for n in (1, 2, 3)
    ]
    assert DecisionLetter.objects.filter(decision=decision, status="queued").exists()
    assert "Beviljas delvis" in mail.outbox[-1].body


@pytest.mark.parametrize(
    "outcome, amount, field",
    [
        ("approved", "20000", "amount_granted"),  # approving is the amount applied for
        ("partly_approved", "30000", "amount_granted"),
        ("partly_approved", "0", "amount_granted"),
        ("rejected", "100", "amount_granted"),
        ("maybe", "0", "outcome"),
    ],
)
def test_outcome_and_amount_agree(in_review, outcome, amount, field):
    application = in_review()
    with pytest.raises(ValidationError) as info:
        services.application_decide(
            actor=None, application=application, data=decision_data(application, outcome=outcome, amount=amount)
        )
    assert field in info.value.error_dict


def test_a_rejection_enters_nothing_in_the_register(in_review):
    application = in_review()
    services.application_decide(
        actor=None, application=application, data=decision_data(application, outcome="rejected", amount="0")
    )
    application.refresh_from_db()
    assert (
        application.status == "rejected"
        and not GrantDecision.objects.filter(case_number=application.case_number).exists()
    )
    assert not application.instalments.exists()


def test_the_call_budget_is_never_over_committed(in_review, programmes):
    call = programmes["innovation_call"]  # 200,000 kronor: eight grants of 25,000
    decided = []
    for n in range(9):
        application = in_review(title=f"Projekt {n}", amount="25000")
        try:
            services.application_decide(actor=None, application=application, data=decision_data(application))
            decided.append(application)
        except ValidationError as error:
            assert "ryms inte" in error.message_dict["amount_granted"][0]
    assert len(decided) == 8
    from civsam.funding import selectors

    assert selectors.call_budget(call).remaining == 0
    refused = Application.objects.filter(call=call, status=Application.Status.IN_REVIEW).get()
    assert not ApplicationDecision.objects.filter(application=refused).exists()


def test_call_budgets_fit_the_programmes_year(programmes):
    programme = programmes["innovation"]
    data = services.FundingCallData(
        source=programme.source,
        title="Extra",
        deadline=TODAY,
        programme=programme,
        budget=Decimal("800001"),
        budget_year=TODAY.year,
    )
    with pytest.raises(ValidationError) as info:
        services.funding_call_create(actor=None, data=data)
    assert "800\u00a0000 kronor kvar" in info.value.message_dict["budget"][0]
    with pytest.raises(ValidationError, match="ingen budget"):
        services.funding_call_create(
            actor=None, data=services.FundingCallData(**{**data.__dict__, "budget_year": 1999 + 100})
        )
    with pytest.raises(ValidationError, match="redan"):
        services.programme_budget_set(actor=None, programme=programme, year=TODAY.year, amount=Decimal("100000"))


# --- Payment ------------------------------------------------------------------------------------


def test_payment_account_check_digit_and_who_sets_it(programmes):
    organisation = programmes["own_org"]
    with pytest.raises(ValidationError, match="kontrollsiffran"):
        services.payment_account_set(
            actor=programmes["rep"], organisation=organisation, kind="bankgiro", number="5050-1056"
        )
    with pytest.raises(PermissionDenied):
        services.payment_account_set(
            actor=programmes["officer_kumla"], organisation=organisation, kind="bankgiro", number="5050-1055"
        )
    account = services.payment_account_set(
        actor=programmes["rep"], organisation=organisation, kind="bankgiro", number="5050-1055"
    )
    assert str(account) == "Bankgiro 5050-1055"


def test_paid_only_to_a_registered_account(granted, programmes):
    application = granted()
    (instalment,) = application.instalments.all()
    with pytest.raises(ValidationError, match="inget giltigt bankgiro"):
        services.payment_batch_create(actor=programmes["admin"], funder=programmes["region"], instalments=[instalment])
    services.payment_account_set(actor=None, organisation=programmes["own_org"], kind="plusgiro", number="12345-5")
    with pytest.raises(PermissionDenied):
        services.payment_batch_create(
            actor=programmes["officer"], funder=programmes["region"], instalments=[instalment]
        )
    batch = services.payment_batch_create(
        actor=programmes["admin"], funder=programmes["region"], instalments=[instalment]
    )
    instalment.refresh_from_db()
    assert (instalment.status, instalment.account_kind, instalment.account_number) == ("exported", "plusgiro", "123455")
    # The file keeps the account it was made with, whatever is registered later.
    services.payment_account_set(actor=None, organisation=programmes["own_org"], kind="bankgiro", number="5050-1055")
    services.payment_batch_confirm(actor=programmes["admin"], batch=batch, paid_on=TODAY)
    instalment.refresh_from_db()
    application.refresh_from_db()
    assert instalment.status == "paid" and instalment.account_number == "123455"
    assert application.status == Application.Status.PAID
    assert GrantDecision.objects.get(case_number=application.case_number).amount_paid == Decimal("30000")
    assert PaymentBatch.objects.get().status == "paid"
    with pytest.raises(ValidationError):
        services.payment_batch_confirm(actor=None, batch=batch, paid_on=TODAY)


def test_later_instalments_wait_for_their_day(granted, programmes):
    application = granted(call=programmes["association_call"], amount="90000", years=3)
    services.payment_account_set(actor=None, organisation=programmes["own_org"], kind="bankgiro", number="5050-1055")
    later = application.instalments.get(number=2)
    with pytest.raises(ValidationError, match="tidigast"):
        services.payment_batch_create(actor=None, funder=programmes["region"], instalments=[later])


# --- Follow-up ----------------------------------------------------------------------------------


def test_reminders_before_and_after_the_report_is_due(paid, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    application = paid()
    (requirement,) = application.report_requirements.all()
    mail.outbox.clear()
    early = requirement.due_date - datetime.timedelta(days=31)
    assert services.followup_reminders_send(today=early) == {"before": 0, "after": 0}
    soon = requirement.due_date - datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.followup_reminders_send(today=soon) == {"before": 1, "after": 0}
    assert services.followup_reminders_send(today=soon) == {"before": 0, "after": 0}  # once
    application.refresh_from_db()
    assert application.status == Application.Status.FOLLOW_UP_DUE
    assert "Påminnelse" in mail.outbox[0].subject
    late = requirement.due_date + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.followup_reminders_send(today=late) == {"before": 0, "after": 1}
    assert services.followup_reminders_send(today=late) == {"before": 0, "after": 0}
    assert "försenad" in mail.outbox[-1].subject


def test_report_reviewed_and_the_case_closed(paid, programmes):
    application = paid()
    requirement = application.report_requirements.get()
    with pytest.raises(PermissionDenied):
        services.followup_report_submit(
            actor=programmes["officer_kumla"], requirement=requirement, text="x", amount_used=Decimal(1)
        )
    report = services.followup_report_submit(
        actor=programmes["rep"],
        requirement=requirement,
        text="Tolv träffar, 140 deltagare.",
        amount_used=Decimal("30000"),
    )
    application.refresh_from_db()
    assert application.status == Application.Status.FOLLOW_UP_RECEIVED
    with pytest.raises(ValidationError, match="godkända"):
        services.application_close(actor=None, application=application)
    with pytest.raises(ValidationError, match="kompletteras"):
        services.followup_report_review(actor=None, report=report, approve=False)
    services.followup_report_review(actor=programmes["admin"], report=report, approve=True)
    requirement.refresh_from_db()
    assert requirement.status == ReportRequirement.Status.APPROVED
    services.application_close(actor=programmes["admin"], application=application)
    application.refresh_from_db()
    assert application.status == Application.Status.CLOSED
    assert _statuses(application) == [
        "submitted",
        "in_review",
        "approved",
        "paid",
        "follow_up_due",
        "follow_up_received",
        "closed",
    ]


def test_a_returned_report_is_owed_again(paid, programmes):
    application = paid()
    requirement = application.report_requirements.get()
    report = services.followup_report_submit(actor=None, requirement=requirement, text="Lite", amount_used=Decimal(5))
    services.followup_report_review(actor=None, report=report, approve=False, comment="Bifoga redovisningen.")
    application.refresh_from_db()
    requirement.refresh_from_db()
    assert (application.status, requirement.status) == (Application.Status.FOLLOW_UP_DUE, ReportRequirement.Status.OPEN)


def test_recovery_of_unused_money(paid, programmes, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    application = paid()
    requirement = application.report_requirements.get()
    services.followup_report_submit(actor=None, requirement=requirement, text="Hälften", amount_used=Decimal("18000"))
    with pytest.raises(ValidationError, match="Högst 30"):
        services.recovery_claim(
            actor=None,
            application=application,
            amount=Decimal("30001"),
            reason="unused",
            explanation="x",
            due_date=TODAY,
        )
    with django_capture_on_commit_callbacks(execute=True):
        recovery = services.recovery_claim(
            actor=programmes["admin"],
            application=application,
            amount=Decimal("12000"),
            reason=Recovery.Reason.UNUSED,
            explanation="12 000 kronor har inte använts.",
            due_date=TODAY + datetime.timedelta(days=30),
        )
    assert "12\u00a0000 kronor" in mail.outbox[-1].body
    with pytest.raises(ValidationError, match="reglerat"):
        services.application_close(actor=None, application=application)
    services.recovery_settle(actor=programmes["admin"], recovery=recovery, repaid=True, on=TODAY)
    assert GrantDecision.objects.get(case_number=application.case_number).amount_paid == Decimal("18000")


def test_unaccounted_money_recovered_closes_without_a_report(paid, programmes):
    application = paid(call=programmes["association_call"], amount="90000", years=3)
    services.followup_reminders_send(
        today=application.report_requirements.first().due_date - datetime.timedelta(days=1)
    )
    recovery = services.recovery_claim(
        actor=None,
        application=application,
        amount=Decimal("30000"),
        reason=Recovery.Reason.UNACCOUNTED,
        explanation="Ingen återrapport har kommit in.",
        due_date=TODAY,
    )
    assert set(application.instalments.values_list("status", flat=True)) == {"paid", "cancelled"}
    services.recovery_settle(actor=None, recovery=recovery, repaid=False, on=TODAY)
    services.application_close(actor=None, application=application)
    application.refresh_from_db()
    assert application.status == "closed"


# --- The workflow table -------------------------------------------------------------------------


def test_every_status_is_reached_and_the_end_states_end():
    workflow = Application.WORKFLOW
    assert workflow.states() == set(Application.Status.values)
    for end in (Application.Status.CLOSED, Application.Status.WITHDRAWN, Application.Status.REJECTED):
        assert workflow.actions(end) == {}
    for decided in Application.DECIDED:
        assert Application.Status.WITHDRAWN not in workflow.targets(decided)


@pytest.mark.parametrize(
    "before, after",
    [
        ("draft", "in_review"),
        ("submitted", "approved"),
        ("in_review", "paid"),
        ("approved", "closed"),
        ("paid", "withdrawn"),
    ],
)
def test_steps_outside_the_table_are_refused(before, after):
    with pytest.raises(ValidationError):
        Application.WORKFLOW.action(before, after)


def test_audit_log_names_each_step(make_application):
    application = make_application(submit=True)
    entry = AuditEntry.objects.filter(object_id=str(application.pk), note__startswith="submit").get()
    assert entry.changes == {"status": ["draft", "submitted"]}


def test_decisions_are_one_per_application(in_review):
    application = in_review()
    services.application_decide(actor=None, application=application, data=decision_data(application))
    assert ApplicationDecision.objects.filter(application=application).count() == 1
    with pytest.raises(ValidationError):
        services.application_decide(actor=None, application=application, data=decision_data(application))


def test_instalments_cannot_be_paid_twice(granted):
    application = granted()
    (instalment,) = application.instalments.all()
    with pytest.raises(ValidationError):
        Instalment.WORKFLOW.action("paid", "exported")
    assert instalment.status == "planned"
