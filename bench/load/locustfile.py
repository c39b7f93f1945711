"""Civsam's load scenario for locust: what the public does most, weighted as we expect it.

- the public directory: the first page, a search, a filter by municipality, an organisation's page;
- the plan and its follow-up: the plan's page, the genomförande tree, an initiative, the indicators;
- events: the list, an event's page, and an anonymous registration through the API.

Statistics pages and grant applications are not in it: Civsam has neither yet (the statistics
app and the funding app's applications are still to come); add them here when they exist.

Run by bench/load/run.py, which starts the server and passes the ids below through the
environment. Every request is a GET or a JSON POST without a session, as a visitor's would be.
"""

from __future__ import annotations

import itertools
import os
import random

from locust import HttpUser, between, events, task

PLAN = os.environ.get("BENCH_PLAN", "2022-2025")
EVENT_ID = os.environ.get("BENCH_EVENT_ID", "")
SEARCHES = ("idrott", "förening", "kultur", "stiftelse", "kyrka", "social", "ungdom", "natur")
MUNICIPALITIES = ("1880", "1881", "1882", "1883", "1884", "1885", "1860", "1861", "1862", "1863", "1864", "1814")
_counter = itertools.count()
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


class Visitor(HttpUser):
    wait_time = between(1, 3)

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
