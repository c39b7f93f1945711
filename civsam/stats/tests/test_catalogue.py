"""The open data catalogue in DCAT-AP-SE 3.0: every serialisation parses, the profile's mandatory
and recommended properties are there, nothing that must be named is a blank node, and every
distribution is a real Civsam URL (ADR 0125, 0126)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from civsam.stats.catalogue import datasets as catalogue_datasets
from civsam.stats.catalogue import vocabulary
from civsam.stats.catalogue.views import negotiate

# Plain namespaces (rdflib's closed ones warn when pytest inspects the module).
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")

# DCAT-AP-SE 3.0.1 (Digg, docs.dataportal.se/dcat/3.0.1/): per class, the properties the profile
# makes mandatory (min 1) and recommended (pref 1); written out here from the specification.
PROFILE = {
    DCAT.Catalog: {
        "mandatory": [DCTERMS["title"], DCTERMS.description, DCTERMS.publisher, DCTERMS.license, DCAT.dataset],
        "recommended": [
            DCTERMS.issued,
            DCTERMS.language,
            DCTERMS.modified,
            FOAF.homepage,
            DCTERMS.spatial,
            DCAT.themeTaxonomy,
        ],
        "at_most_one": [DCTERMS.publisher, DCTERMS.license, DCTERMS.issued, DCTERMS.modified, FOAF.homepage],
    },
    DCAT.Dataset: {
        "mandatory": [DCTERMS["title"], DCTERMS.description, DCTERMS.publisher],
        "recommended": [
            DCAT.contactPoint,
            DCAT.keyword,
            DCAT.theme,
            DCTERMS.issued,
            DCTERMS.conformsTo,
            DCTERMS.spatial,
            DCTERMS.temporal,
            DCTERMS.accessRights,
        ],
        "at_most_one": [DCTERMS.publisher, DCTERMS.issued, DCTERMS.accessRights],
    },
    DCAT.Distribution: {
        "mandatory": [DCAT.accessURL, DCTERMS["format"]],
        "recommended": [DCTERMS.description, DCATAP.availability, DCTERMS.license],
        "at_most_one": [DCAT.accessURL, DCTERMS["format"], DCATAP.availability, DCTERMS.license],
    },
    DCAT.DataService: {
        "mandatory": [DCTERMS["title"], DCAT.endpointURL, DCTERMS["format"]],
        "recommended": [DCAT.endpointDescription, DCAT.contactPoint, DCAT.keyword, DCTERMS.accessRights],
        "at_most_one": [DCTERMS["format"], DCTERMS.accessRights],
    },
    FOAF.Agent: {"mandatory": [FOAF.name, DCTERMS.type], "recommended": [], "at_most_one": [DCTERMS.type]},
    VCARD.Organization: {
        "mandatory": [VCARD.fn, VCARD.hasEmail],
        "recommended": [VCARD.hasTelephone, VCARD.hasAddress],
        "at_most_one": [],
    },
}
# The classes whose nodes must carry an IRI (the issue and dataportal.se's harvest by IRI).
NAMED_CLASSES = (DCAT.Catalog, DCAT.Dataset, DCAT.Distribution, DCAT.DataService, FOAF.Agent, VCARD.Organization)
SERIALISATIONS = [
    ("rdf", "xml", "application/rdf+xml"),
    ("ttl", "turtle", "text/turtle"),
    ("jsonld", "json-ld", "application/ld+json"),
]
# ADR 0126: the licence of each dataset.
LICENCES = {
    "organisationer": vocabulary.CC_BY_4,
    "statistik": vocabulary.CC_BY_4,
    "uppfoljning": vocabulary.CC0,
    "evenemang": vocabulary.CC0,
    "bidragsregistret": vocabulary.CC0,
    "overenskommelser": vocabulary.CC0,
}


def _catalogue_iri() -> str:
    return settings.CIVSAM_BASE_URL.rstrip("/") + reverse("opendata:catalogue")


def _graph(client, extension: str = "ttl", parser: str = "turtle") -> Graph:
    response = client.get(reverse("opendata:catalogue-file", args=[extension]))
    assert response.status_code == 200
    return Graph().parse(data=response.content, format=parser, publicID=_catalogue_iri())


@pytest.fixture
def catalogue(client, reference_data) -> Graph:
    return _graph(client)


@pytest.mark.django_db
@pytest.mark.parametrize(("extension", "parser", "media_type"), SERIALISATIONS)
def test_every_serialisation_parses_to_the_same_graph(client, reference_data, extension, parser, media_type):
    response = client.get(reverse("opendata:catalogue-file", args=[extension]))
    assert response["Content-Type"].startswith(media_type)
    graph = Graph().parse(data=response.content, format=parser)
    assert len(graph) > 200
    assert isomorphic(graph, _graph(client))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "status", "media_type"),
    [
        ("", 200, "application/rdf+xml"),
        ("*/*", 200, "application/rdf+xml"),
        ("application/rdf+xml", 200, "application/rdf+xml"),
        ("text/turtle", 200, "text/turtle"),
        ("application/ld+json", 200, "application/ld+json"),
        ("text/turtle;q=0.5, application/ld+json", 200, "application/ld+json"),
        ("image/png", 406, "text/plain"),
    ],
)
def test_the_stable_address_negotiates_the_format(client, reference_data, accept, status, media_type):
    response = client.get(reverse("opendata:catalogue"), headers={"accept": accept} if accept else {})
    assert response.status_code == status
    assert response["Content-Type"].startswith(media_type)
    assert "Accept" in response["Vary"]


@pytest.mark.django_db
def test_a_browser_at_the_stable_address_is_sent_to_the_page(client, reference_data):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(reverse("opendata:catalogue"), headers={"accept": accept})
    assert response.status_code == 303
    assert response["Location"] == reverse("opendata:index")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", "xml"),
        ("text/turtle", "turtle"),
        ("application/json", "json-ld"),
        ("text/turtle;q=0.2, application/rdf+xml;q=0.9", "xml"),
        ("application/ld+json, text/turtle", "json-ld"),  # a tie goes to the earlier
        ("text/turtle;q=0", None),
        ("text/turtle;q=0, */*;q=0.1", "xml"),
        ("text/plain", None),
        ("text/html", "html"),
    ],
)
def test_negotiate(accept, expected):
    assert negotiate(accept) == expected


@pytest.mark.django_db
def test_no_blank_nodes(catalogue):
    for cls in NAMED_CLASSES:
        nodes = list(catalogue.subjects(RDF.type, cls))
        assert nodes, cls
        assert all(isinstance(node, URIRef) for node in nodes), cls
    assert not [t for t in catalogue if any(isinstance(part, BNode) for part in t)]


@pytest.mark.django_db
@pytest.mark.parametrize("cls", list(PROFILE), ids=lambda c: str(c).rsplit("/", 1)[-1])
def test_the_profiles_mandatory_and_recommended_properties_are_present(catalogue, cls):
    rules = PROFILE[cls]
    nodes = list(catalogue.subjects(RDF.type, cls))
    assert nodes
    missing = [
        (str(node), str(prop))
        for node in nodes
        for prop in rules["mandatory"] + rules["recommended"]
        if catalogue.value(node, prop) is None
    ]
    assert missing == []
    repeated = [
        (str(node), str(prop))
        for node in nodes
        for prop in rules["at_most_one"]
        if len(list(catalogue.objects(node, prop))) > 1
    ]
    assert repeated == []


@pytest.mark.django_db
def test_the_region_publishes_and_can_be_contacted(catalogue):
    publisher = URIRef(vocabulary.PUBLISHER)
    assert str(publisher) == "http://dataportal.se/organisation/SE2321000164"
    for cls in (DCAT.Catalog, DCAT.Dataset):
        for node in catalogue.subjects(RDF.type, cls):
            assert catalogue.value(node, DCTERMS.publisher) == publisher
    assert catalogue.value(publisher, DCTERMS.type) == URIRef("http://purl.org/adms/publishertype/RegionalAuthority")
    for node in catalogue.subjects(RDF.type, DCAT.Dataset):
        contact = catalogue.value(node, DCAT.contactPoint)
        assert str(catalogue.value(contact, VCARD.hasEmail)).startswith("mailto:")


@pytest.mark.django_db
def test_each_dataset_has_the_licence_the_adr_gives_it_on_every_distribution(catalogue):
    iri = _catalogue_iri()
    assert catalogue.value(URIRef(iri), DCTERMS.license) == URIRef(vocabulary.CC0)
    found = {}
    for dataset in catalogue.subjects(RDF.type, DCAT.Dataset):
        slug = str(dataset).split("#", 1)[1]
        licences = {catalogue.value(d, DCTERMS.license) for d in catalogue.objects(dataset, DCAT.distribution)}
        found[slug] = licences
    assert found == {slug: {URIRef(licence)} for slug, licence in LICENCES.items()}


@pytest.mark.django_db
def test_texts_in_swedish_and_english(catalogue):
    for cls in (DCAT.Catalog, DCAT.Dataset, DCAT.Distribution, DCAT.DataService):
        for node in catalogue.subjects(RDF.type, cls):
            titles = {lit.language: str(lit) for lit in catalogue.objects(node, DCTERMS["title"])}
            assert set(titles) == {"sv", "en"}, node
            assert titles["sv"] != titles["en"], titles  # translated, not copied


@pytest.mark.django_db
def test_every_distribution_is_a_real_civsam_url(client, catalogue):
    base = settings.CIVSAM_BASE_URL.rstrip("/")
    urls = [str(u) for u in catalogue.objects(None, DCAT.accessURL)]
    urls += [str(u) for u in catalogue.objects(None, DCAT.downloadURL)]
    urls += [str(u) for u in catalogue.objects(None, DCAT.landingPage)]
    assert len(urls) > 25
    answers = {}
    for url in sorted(set(urls)):
        assert url.startswith(base + "/"), url
        answers[url] = client.get(urlsplit(url).path).status_code
    assert {url: status for url, status in answers.items() if status != 200} == {}
    service = next(catalogue.subjects(RDF.type, DCAT.DataService))
    description = catalogue.value(service, DCAT.endpointDescription)
    assert client.get(urlsplit(str(description)).path).status_code == 200
    # Every file has a downloadURL; every API operation names the data service.
    for node in catalogue.subjects(RDF.type, DCAT.Distribution):
        is_file = catalogue.value(node, DCAT.downloadURL) is not None
        assert is_file != (catalogue.value(node, DCAT.accessService) == service)


@pytest.mark.django_db
def test_the_follow_up_offers_the_plan_in_force(reference_data):
    dataset = catalogue_datasets.follow_up()
    files = [d for d in dataset.distributions if not d.api]
    assert {d.media_type for d in files} == {vocabulary.CSV, vocabulary.XLSX, vocabulary.JSON}
    assert all("/genomforande/insatser." in d.path for d in files)


@pytest.mark.django_db
def test_the_formats_are_the_profiles_media_types(catalogue):
    formats = {str(f) for f in catalogue.objects(None, DCTERMS["format"])}
    assert formats <= {vocabulary.CSV, vocabulary.JSON, vocabulary.XLSX, vocabulary.ICALENDAR}
    assert all(isinstance(f, Literal) for f in catalogue.objects(None, DCTERMS["format"]))


@pytest.mark.django_db
def test_the_page_lists_every_dataset_and_the_footer_links_to_it(client, reference_data):
    response = client.get(reverse("opendata:index"))
    assert response.status_code == 200
    html = response.content.decode()
    for dataset in catalogue_datasets.published():
        assert str(dataset.title) in html
        for distribution in dataset.distributions:
            assert f'href="{distribution.path}"' in html
    assert 'rel="license"' in html and vocabulary.CC_BY_4 in html and vocabulary.CC0 in html
    assert reverse("opendata:catalogue-file", args=["ttl"]) in html
    home = client.get("/").content.decode()
    assert f'href="{reverse("opendata:index")}"' in home


@pytest.mark.django_db
def test_an_unknown_serialisation_is_not_found(client, reference_data):
    assert client.get(reverse("opendata:catalogue-file", args=["n3"])).status_code == 404
