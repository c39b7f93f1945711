"""The site shell: home page, "Min sida", Civsam's own error pages and the reference-data command."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import get_resolver, reverse

from civsam.core.models import Municipality
from civsam.plan.models import Plan
from civsam.site import views


def test_home_shows_the_plans_and_counts_only_public_organisations(client, make_org):
    make_org(name="Synliga föreningen")
    make_org(name="Dolda föreningen", is_public=False)
    html = client.get(reverse("site:home")).content.decode()
    for plan in Plan.objects.all():
        assert plan.title in html
    assert "1 organisation i länet." in html
    assert html.count('href="/organisationer/?municipality=') == Municipality.objects.filter(county_code="18").count()


def test_dashboard_needs_a_login(client, reference_data):
    response = client.get(reverse("site:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("who", "role_text", "register_links"),
    [
        ("admin", "Regionadministratör", True),
        ("officer", "Kommunhandläggare – Örebro", True),
        ("rep", "Organisationsföreträdare – Egna föreningen", False),
        ("reviewer", "Bedömare", False),
        ("plain", "Du har ännu ingen roll", False),
    ],
)
def test_dashboard_lists_the_roles_and_the_register_work_the_user_may_do(client, users, who, role_text, register_links):
    client.force_login(users[who])
    html = client.get(reverse("site:dashboard")).content.decode()
    assert role_text in html
    for name in ("registry:organisation-create", "registry:import", "registry:duplicates"):
        assert (f'href="{reverse(name)}"' in html) is register_links, name


def test_the_error_handlers_are_the_sites_own():
    resolver = get_resolver()
    assert resolver.resolve_error_handler(403) is views.permission_denied
    assert resolver.resolve_error_handler(404) is views.page_not_found
    assert resolver.resolve_error_handler(500) is views.server_error


def test_page_not_found_is_a_page_in_the_sites_layout(client, reference_data):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Sidan finns inte" in html and 'class="site-header"' in html


def test_permission_denied_is_a_page_that_offers_the_way_back(client, users):
    client.force_login(users["plain"])
    response = client.get(reverse("registry:organisation-create"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Behörighet saknas" in html and f'href="{reverse("site:home")}"' in html


@pytest.mark.parametrize("handler", [views.permission_denied, views.page_not_found])
def test_errors_under_the_api_are_problem_documents(handler):
    request = RequestFactory().get("/api/v1/something")
    response = handler(request, exception=None)
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == response.status_code and body["instance"] == "/api/v1/something"


def test_server_error_page_stands_alone():
    """No base template, no context processors: it renders even when the request's context cannot."""
    response = views.server_error(RequestFactory().get("/handlingsplaner/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Internt serverfel" in html and "Ett oväntat fel inträffade" in html
    assert "Logga in" not in html  # the base template's header is not there

    api = views.server_error(RequestFactory().get("/api/v1/plans"))
    assert api.status_code == 500 and api["Content-Type"] == "application/problem+json"


def test_load_reference_data_loads_every_apps_data_and_can_run_again(db):
    for _ in range(2):
        out = io.StringIO()
        call_command("load_reference_data", stdout=out)
    text = out.getvalue()
    assert "municipalities: " in text and "plans: " in text
    assert Municipality.objects.filter(county_code="18").count() == 12
    assert Plan.objects.exists()


def test_accessibility_statement_follows_diggs_structure(client, reference_data):
    html = client.get(reverse("site:accessibility")).content.decode()
    headings = [
        "Hur tillgänglig är webbplatsen?",
        "Vad kan du göra om du inte kan använda delar av webbplatsen?",
        "Rapportera brister i webbplatsens tillgänglighet",
        "Tillsyn",
        "Teknisk information om webbplatsens tillgänglighet",
        "Innehåll som inte är tillgängligt",
        "Hur vi testat webbplatsen",
    ]
    positions = [html.index(f">{heading}</h") for heading in headings]
    assert positions == sorted(positions)
    # The compliance status in the words the law's regulation uses, and the way to the supervisor.
    assert "delvis förenlig med lagen om tillgänglighet till digital offentlig service" in html
    assert 'href="https://www.digg.se/tdosanmalan"' in html


def test_api_docs_are_a_page_of_the_site_served_from_its_own_files(client, reference_data):
    response = client.get(reverse("api-v1:openapi-view"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="site-header"' in html and "<h1>Öppet API</h1>" in html
    assert '<html lang="sv"' in html
    # Swagger UI from Civsam's static files, started from a file: no CDN, no inline script.
    assert "/static/vendor/swagger-ui-5.36.0/swagger-ui-bundle.js" in html
    assert "/static/civsam/api-docs.js" in html
    assert "cdn." not in html and "unpkg" not in html
    assert all("src=" in tag.split(">")[0] for tag in html.split("<script")[1:])
    assert 'data-openapi-url="/api/v1/openapi.json"' in html
    # The link in the menu marks the page as the current one.
    assert 'href="/api/v1/docs" aria-current="page"' in html
