"""What the load scenario needs beyond the demo data, made in the throw-away database by
bench/load/run.py (`python bench/load/setup_data.py APPLICANTS PASSWORD`, with the scenario's
settings in the environment). Prints one JSON object: the event to register for, and the signed-in
applicants: each a login of its own that represents one demo organisation and has a draft
application to the demo call of development money for social innovation, as an applicant who has
started applying would. The ids go to the locust processes through the environment."""

from __future__ import annotations

import json
import sys
from datetime import timedelta

import django

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from civsam.accounts.models import Role, User  # noqa: E402
from civsam.accounts.services import role_assign  # noqa: E402
from civsam.funding import services  # noqa: E402
from civsam.funding.models import FundingCall  # noqa: E402
from civsam.meetings.models import Event  # noqa: E402
from civsam.registry.models import Organisation  # noqa: E402


def main(applicants: int, password: str) -> dict:
    starts = timezone.now() + timedelta(days=30)
    event = Event.objects.create(
        title="Lasttest", starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=1_000_000
    )
    call = (
        FundingCall.objects.filter(programme__reference_key="utvecklingsmedel-social-innovation").order_by("pk").first()
    )
    made: list[list] = []
    years = min(call.programme.durations) if call is not None else 1
    if call is not None:
        # Past the organisations the demo applications use, so that each applicant's draft is new.
        for organisation in Organisation.objects.filter(is_demo=True).order_by("pk")[50:1000]:
            if len(made) >= applicants:
                break
            try:
                with transaction.atomic():
                    username = f"sokande{len(made) + 1}"
                    email = f"{username}@example.se"
                    user = User.objects.create_user(username=username, password=password, email=email)
                    role_assign(user=user, role=Role.ORGANISATION_REP, organisation=organisation)
                    application = services.application_create(
                        actor=user,
                        call=call,
                        organisation=organisation,
                        data=services.ApplicationData(title="Lasttest: föreningens projekt", years=years),
                    )
            except ValidationError:
                continue  # an organisation the call's rules leave out
            made.append([user.username, application.pk])
    return {"event": event.pk, "call": call.pk if call else None, "years": years, "applicants": made}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), sys.argv[2])))
