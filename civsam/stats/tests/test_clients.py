"""The HTTP clients against recorded answers served by a local HTTP server (no mocked HTTP layer),
and the import commands that store what they fetch (ADR 0129)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core.management import CommandError, call_command

from civsam.stats import clients, kolada_file, population_file
from civsam.stats.models import ExternalFigure, Population

RECORDED = Path(__file__).parent / "recorded"
MUNICIPALITIES = ["1814", "1860", "1861", "1862", "1863", "1864", "1880", "1881", "1882", "1883", "1884", "1885"]
KOLADA_DATA = "/v3/data/kpi/N09018,N09022/municipality/" + ",".join(MUNICIPALITIES) + "/year/2022,2023"


class Recorded:
    """A local server answering from the recorded files: {path: (status, file or body)}."""

    def __init__(self, routes: dict[str, tuple[int, str]]):
        self.routes = routes
        self.requests: list[tuple[str, dict[str, list[str]]]] = []

    def handler(self):
        recorded = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # the name http.server calls
                parts = urlsplit(self.path)
                path = unquote(parts.path)
                query = parse_qs(parts.query)
                recorded.requests.append((path, query))
                key = path + ("?page=" + query["page"][0] if "page" in query else "")
                status, body = recorded.routes.get(key, (404, '{"detail": "Not found"}'))
                data = (RECORDED / body).read_bytes() if body.endswith(".json") else body.encode()
                # The recorded pages name the real host in next_url; this server answers in its place.
                data = data.replace(b"https://api.kolada.se", recorded.base.encode())
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def serve() -> Iterator:
    servers = []

    def start(routes: dict[str, tuple[int, str]]) -> Recorded:
        recorded = Recorded(routes)
        server = ThreadingHTTPServer(("127.0.0.1", 0), recorded.handler())
        recorded.base = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return recorded

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def kolada_routes() -> dict[str, tuple[int, str]]:
    return {
        "/v3/kpi/N09018,N09022": (200, "kolada_v3_kpi_N09018_N09022.json"),
        KOLADA_DATA: (200, "kolada_v3_data_page1.json"),
        KOLADA_DATA + "?page=2": (200, "kolada_v3_data_page2.json"),
    }


def test_the_population_client_asks_pxwebapi_for_the_table_and_reads_json_stat(serve):
    server = serve({"/api/v2/tables/TAB638/data": (200, "scb_tab638_population_2023.json")})
    body = clients.population_fetch(years=[2023], municipalities=MUNICIPALITIES, base_url=server.base + "/api/v2")
    path, query = server.requests[0]
    assert path == "/api/v2/tables/TAB638/data"
    assert query["outputFormat"] == ["json-stat2"] and query["valueCodes[ContentsCode]"] == ["BE0101N1"]
    assert query["valueCodes[Region]"] == [",".join(MUNICIPALITIES)] and query["valueCodes[Tid]"] == ["2023"]
    years = population_file.read(body)
    assert list(years) == [2023] and sum(years[2023].values()) == 308_116 and years[2023]["1814"] == 8_606


def test_the_kolada_client_follows_next_url_and_keeps_the_municipalities_totals(serve):
    server = serve(kolada_routes())
    metadata, pages = clients.kolada_fetch(
        kpis=["N09018", "N09022"], municipalities=MUNICIPALITIES, years=[2022, 2023], base_url=server.base + "/v3"
    )
    assert [path for path, _query in server.requests] == ["/v3/kpi/N09018,N09022", KOLADA_DATA, KOLADA_DATA]
    assert len(pages) == 2
    values = kolada_file.read_values(pages, kolada_file.read_metadata(metadata), areas=MUNICIPALITIES)
    # 2 key figures x 12 municipalities x 2 years, less the one missing value; not the county or Sweden.
    assert len(values) == 47
    assert {v.area for v in values} == set(MUNICIPALITIES)
    first = next(v for v in values if (v.indicator, v.area, v.year) == ("N09018", "1814", 2022))
    assert first.title == "Nettokostnad fritidsverksamhet, kr/inv" and first.unit == "kr/inv"
    assert "Kolada" in first.citation and "2024-06-11" in first.citation
    assert isinstance(first.value, Decimal)


@pytest.mark.parametrize(
    ("routes", "message"),
    [
        ({}, "status 404"),
        ({"/v3/kpi/N09018,N09022": (500, "Internal Server Error")}, "status 500"),
        (
            {"/v3/kpi/N09018,N09022": (200, "kolada_v3_kpi_N09018_N09022.json"), KOLADA_DATA: (200, "<html>")},
            "inte JSON",
        ),
    ],
)
def test_kolada_errors_are_clear_and_in_swedish(serve, routes, message):
    server = serve(routes)
    with pytest.raises(clients.SourceError, match=message):
        clients.kolada_fetch(
            kpis=["N09018", "N09022"], municipalities=MUNICIPALITIES, years=[2022, 2023], base_url=server.base + "/v3"
        )


def test_an_unreachable_publisher_is_a_clear_error():
    with pytest.raises(clients.SourceError, match="Kunde inte nå"):
        clients.population_fetch(years=[2023], municipalities=["1880"], base_url="http://127.0.0.1:9")


@pytest.mark.django_db
def test_the_commands_store_what_the_apis_answer_with_source_and_date(serve, reference_data, capsys):
    scb = serve({"/api/v2/tables/TAB638/data": (200, "scb_tab638_population_2023.json")})
    call_command("import_population", "--api", "--year", "2023", "--url", scb.base + "/api/v2")
    row = Population.objects.get(municipality__code="1885", year=2023)
    assert row.population == 23_292 and "TAB638" in row.source and row.imported_at is not None
    kolada = serve(kolada_routes())
    call_command("import_kolada", "--year", "2022", "--year", "2023", "--url", kolada.base + "/v3")
    assert ExternalFigure.objects.filter(source="kolada").count() == 47
    stored = ExternalFigure.objects.get(source="kolada", indicator="N09022", area="1880", year=2023)
    assert stored.published_on.isoformat() == "2024-06-11" and stored.imported_at is not None
    assert "47" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_failed_fetch_stores_nothing(serve, reference_data):
    broken = serve({"/v3/kpi/N09018,N09022": (200, "kolada_v3_kpi_N09018_N09022.json")})  # no data pages
    with pytest.raises(CommandError, match="404"):
        call_command("import_kolada", "--year", "2023", "--url", broken.base + "/v3")
    assert not ExternalFigure.objects.exists()


@pytest.mark.django_db
def test_kolada_from_downloaded_files(reference_data):
    call_command(
        "import_kolada",
        "--file",
        str(RECORDED / "kolada_v3_data_page1.json"),
        "--file",
        str(RECORDED / "kolada_v3_data_page2.json"),
        "--kpi-file",
        str(RECORDED / "kolada_v3_kpi_N09018_N09022.json"),
    )
    assert ExternalFigure.objects.filter(source="kolada", year=2022).count() == 23
