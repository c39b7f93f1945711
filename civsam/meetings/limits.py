"""Rate limits on registering for events without signing in (civsam.core.ratelimit), shared by the
page and the API.

Registering without signing in holds a seat and sends a mail to the address given, so one client
could otherwise take every seat of a public event or mail anyone many times. Over a limit the page
answers with Civsam's 429 page, the API with 429 problem+json, both with Retry-After. Signed-in
registrations are not limited: the account answers for them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from civsam.core.ratelimit import check, client_address

# Per client address (behind the documented proxy, the address the proxy saw) and event.
PER_CLIENT_AND_EVENT = "5/h"
# Per client address, over every event.
PER_CLIENT = "20/h"
# Per e-mail address, over every event: bounds the confirmation mails one address can be sent.
PER_ADDRESS = "5/h"


def check_anonymous_registration(request, *, event_id: int, email: str) -> None:
    """Raise core.ratelimit.RateLimited when this client or this address has registered too often."""
    client = client_address(request)
    message = _("Du har gjort många anmälningar på kort tid. Vänta en stund och försök igen.")
    check(request, "event-registration", PER_CLIENT_AND_EVENT, key=f"{event_id}:{client}", message=message)
    check(request, "event-registration-client", PER_CLIENT, key=client, message=message)
    check(request, "event-registration-address", PER_ADDRESS, key=email.strip().lower(), message=message)
