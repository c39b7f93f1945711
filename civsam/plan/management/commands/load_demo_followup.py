from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from civsam.plan import computations, demo, demo_consultation, demo_life
from civsam.plan.models import FollowUpReport, Indicator, Initiative, Plan
from civsam.plan.services import (
    indicator_create,
    indicators_recompute,
    report_get_or_create,
    report_pdf_request,
    report_publish,
    report_text_save,
)

COMPUTED = (
    (
        "organisations-per-1000",
        "Organisationer per 1 000 invånare",
        "Organisations per 1,000 inhabitants",
        "per 1 000 invånare",
        2,
    ),
    ("network-meeting-participants", "Deltagare i nätverksmöten", "Participants in network meetings", "antal", 0),
    ("active-iops", "Aktiva IOP-avtal", "Active IOP agreements", "antal", 0),
    ("grants-to-social-enterprises", "Bidrag till sociala företag", "Grants to social enterprises", "kr", 0),
    # Influence, not only activity (ADR 0119).
    (
        "consultation-responses-civil-society",
        "Remissvar från civilsamhället",
        "Consultation responses from civil society",
        "antal",
        0,
    ),
    (
        "network-seats-civil-society",
        "Platser i råd och nätverk för civilsamhället",
        "Seats held by civil society in councils and networks",
        "antal",
        0,
    ),
    (
        "initiatives-led-by-civil-society",
        "Insatser som civilsamhället leder eller samleder",
        "Initiatives led or co-led by civil society",
        "antal",
        0,
    ),
    ("new-collaborations", "Ny samverkan från möten", "New collaborations reported from meetings", "antal", 0),
)


class Command(BaseCommand):
    help = "Skapar påhittade insatser, delmål och indikatorer för uppföljningssidorna (demodata)."

    def add_arguments(self, parser):
        parser.add_argument("--initiatives", type=int, default=60)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, initiatives, seed, **options):
        if not Plan.objects.filter(slug="2022-2025").exists():
            self.stderr.write("Läs in referensdata först: manage.py load_reference_data")
            return
        if Initiative.objects.filter(is_demo=True).exists():
            self.stdout.write("Demodata för uppföljningen finns redan; inget nytt skapat.")
            return
        with transaction.atomic():
            counts = demo.followup_demo_insert(initiatives=initiatives, seed=seed)
            plan = Plan.objects.get(slug="2022-2025")
            computed = 0
            for code, name_sv, name_en, unit, decimals in COMPUTED:
                if computations.get(code) is None:
                    continue  # registered by an app that is not installed
                computed += 1
                indicator_create(
                    actor=None,
                    plan=plan,
                    code=f"demo-{code}",
                    name_sv=name_sv,
                    name_en=name_en,
                    unit=unit,
                    decimals=decimals,
                    computation=code,
                    is_demo=True,
                )
            Indicator.objects.filter(code__startswith="demo-", kind="computed").update(is_demo=True)
            # Every year of the plan, so that the report and the evaluation show series.
            for year in range(plan.start_year, timezone.localdate().year + 1):
                indicators_recompute(year=year)
            report = report_get_or_create(actor=None, plan=plan, year=2024)
            if not report.texts.exists() and report.status == FollowUpReport.Status.DRAFT:
                report_text_save(
                    actor=None,
                    report=report,
                    body_sv="Demodata: under året har arbetet med nätverk och mötesplatser kommit längst. "
                    "Insatserna för upphandling och sociala företag behöver förstärkas under nästa år.",
                    body_en="Demo data: networks and meeting places progressed most this year. "
                    "Procurement and social enterprises need more attention next year.",
                )
            # The 2024 report published, its PDF queued for the worker that `make run` starts.
            if report.status == FollowUpReport.Status.DRAFT:
                report = report_publish(actor=None, report=report)
            for language in ("sv", "en"):
                report_pdf_request(actor=None, report=report, language=language)
            responses = demo_consultation.consultation_demo_insert()
            demo_consultation.plan_texts_demo_insert()
            life = demo_life.plan_life_demo_insert()
        self.stdout.write(
            f"Skapade {counts['initiatives']} demoinsatser, {counts['milestones']} delmål och "
            f"{counts['indicators'] + computed} indikatorer; årsrapporten 2024 är publicerad och planen 2026–2030 "
            f"är på remiss med {responses} svar; {life['contacts']} kontaktpersoner och utkastet till "
            "utvärdering av perioden 2022–2025."
        )
