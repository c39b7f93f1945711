"""Civsam's load scenario for locust: what the public and applicants do most, weighted as we expect it.

Visitors (not signed in):
- the public directory: the first page, a search, a filter by municipality, an organisation's page;
- the plan and its follow-up: the plan's page, the genomförande tree, an initiative, the indicators;
- events: the list, an event's page, and an anonymous registration through the API;
- grants: the grant register (the first page and a search) and the grant statistics.

Applicants (signed in, about one user in ten): each logs in once with a login of its own (an
organisation's representative made by bench/load/setup_data.py, with a draft application to an
open call), then reads its applications, opens its draft and the call's page, and saves the draft.

Run by bench/load/run.py, which starts the server and passes the ids below through the
environment. Each simulated user sends its own client address (X-Forwarded-For; the server runs
behind the "trusted proxy"), so that per-client limits count per person, as in production.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, events, task

PLAN = os.environ.get("BENCH_PLAN", "2022-2025")
EVENT_ID = os.environ.get("BENCH_EVENT_ID", "")
SEARCHES = ("idrott", "förening", "kultur", "stiftelse", "kyrka", "social", "ungdom", "natur")
MUNICIPALITIES = ("1880", "1881", "1882", "1883", "1884", "1885", "1860", "1861", "1862", "1863", "1864", "1814")
CALL_ID = os.environ.get("BENCH_CALL_ID", "")
APPLICATION_YEARS = os.environ.get("BENCH_APPLICATION_YEARS", "1")
APPLICANTS = json.loads(os.environ.get("BENCH_APPLICANTS", "[]"))
APPLICANT_PASSWORD = os.environ.get("BENCH_APPLICANT_PASSWORD", "")
GRANT_SEARCHES = ("förening", "idrott", "kultur", "social", "ungdom")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_counter = itertools.count()
_clients = itertools.count(1)
_applicants = itertools.count()
_sample: dict[str, list] = {"orgnrs": [], "initiatives": []}


@events.test_start.add_listener
def _load_sample(environment, **kwargs):
    """Ids of real records to visit, read once through the public API."""
    import requests

    host = environment.host
    organisations = requests.get(f"{host}/api/v1/organisations", params={"limit": 100}, timeout=60).json()
    _sample["orgnrs"] = [item["organisationNumber"] for item in organisations["items"]]
    initiatives = requests.get(f"{host}/api/v1/initiatives", params={"limit": 100}, timeout=60).json()
    _sample["initiatives"] = [item["id"] for item in initiatives["items"]]


def _client_address() -> str:
    n = next(_clients) + 1000 * os.getpid() % 60000
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


class Visitor(HttpUser):
    weight = 9
    wait_time = between(1, 3)

    def on_start(self):
        self.client.headers["X-Forwarded-For"] = _client_address()

    @task(6)
    def directory(self):
        self.client.get("/organisationer/", name="directory")

    @task(4)
    def directory_search(self):
        self.client.get("/organisationer/", params={"q": random.choice(SEARCHES)}, name="directory ?q=")

    @task(2)
    def directory_municipality(self):
        municipality = random.choice(MUNICIPALITIES)
        self.client.get("/organisationer/", params={"municipality": municipality}, name="directory ?municipality=")

    @task(4)
    def organisation(self):
        if _sample["orgnrs"]:
            self.client.get(f"/organisationer/{random.choice(_sample['orgnrs'])}/", name="organisation")

    @task(4)
    def followup(self):
        self.client.get("/handlingsplaner/genomforande/", name="follow-up tree")

    @task(2)
    def plan(self):
        self.client.get(f"/handlingsplaner/{PLAN}/", name="plan")

    @task(3)
    def initiative(self):
        if _sample["initiatives"]:
            self.client.get(f"/handlingsplaner/insatser/{random.choice(_sample['initiatives'])}/", name="initiative")

    @task(2)
    def indicators(self):
        self.client.get(f"/handlingsplaner/{PLAN}/indikatorer/", name="indicators")

    @task(3)
    def event_list(self):
        self.client.get("/evenemang/", name="events")

    @task(2)
    def event_detail(self):
        if EVENT_ID:
            self.client.get(f"/evenemang/{EVENT_ID}/", name="event")

    @task(1)
    def register(self):
        if not EVENT_ID:
            return
        n = next(_counter)
        body = {"name": f"Deltagare {os.getpid()}-{n}", "email": f"d{os.getpid()}-{n}@example.se"}
        with self.client.post(
            f"/api/v1/events/{EVENT_ID}/registrations", json=body, name="registration POST", catch_response=True
        ) as response:
            if response.status_code == 201:
                response.success()
            else:
                response.failure(f"status {response.status_code}")

    @task(2)
    def grant_register(self):
        self.client.get("/finansiering/bidragsregistret/", name="grant register")

    @task(1)
    def grant_register_search(self):
        self.client.get(
            "/finansiering/bidragsregistret/", params={"q": random.choice(GRANT_SEARCHES)}, name="grant register ?q="
        )

    @task(2)
    def grant_statistics(self):
        self.client.get("/finansiering/bidragsstatistik/", name="grant statistics")


class Applicant(HttpUser):
    """A representative of an organisation, signed in, working on an application."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.client.headers["X-Forwarded-For"] = _client_address()
        self.application = None
        if not APPLICANTS:
            return
        username, self.application = APPLICANTS[next(_applicants) % len(APPLICANTS)]
        page = self.client.get("/konto/logga-in/", name="login page")
        token = CSRF.search(page.text)
        with self.client.post(
            "/konto/logga-in/",
            data={
                "login": username,
                "password": APPLICANT_PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/konto/logga-in/"},
            name="login POST",
            catch_response=True,
        ) as response:
            if "/konto/logga-in/" in response.url:
                response.failure("not signed in")
                self.application = None

    @task(3)
    def applications(self):
        if self.application:
            self.client.get("/finansiering/ansokningar/", name="applications (signed in)")

    @task(3)
    def application(self):
        if self.application:
            self.client.get(f"/finansiering/ansokningar/{self.application}/", name="application (signed in)")

    @task(2)
    def call(self):
        if CALL_ID:
            self.client.get(f"/finansiering/utlysningar/{CALL_ID}/", name="call")

    @task(2)
    def save_draft(self):
        """Open the draft's form and save it, as an applicant writing their application does."""
        if not self.application:
            return
        path = f"/finansiering/ansokningar/{self.application}/andra/"
        form = self.client.get(path, name="application form (signed in)")
        token = CSRF.search(form.text)
        n = next(_counter)
        with self.client.post(
            path,
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "title": f"Lasttest: föreningens projekt, version {n}",
                "amount_applied": str(50_000 + n % 100 * 1000),
                "years": APPLICATION_YEARS,
            },
            headers={"Referer": f"{self.host}{path}"},
            name="application save POST (signed in)",
            catch_response=True,
        ) as response:
            # Saved: redirected back to the form with "Utkastet är sparat."; refused: the form again.
            if response.status_code == 200 and "Utkastet är sparat" in response.text:
                response.success()
            else:
                response.failure(f"not saved (status {response.status_code})")
