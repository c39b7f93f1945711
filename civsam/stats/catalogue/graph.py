"""The catalogue as an RDF graph in DCAT-AP-SE 3.0, serialised as RDF/XML, Turtle or JSON-LD.

Every catalogue, dataset, distribution, data service, publisher and contact point has an IRI (the
catalogue document's own address with a fragment), never a blank node: dataportal.se merges
harvests by IRI. Texts are given in Swedish and English, each read in its language (ADR 0125).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils import translation
from django.utils.functional import Promise
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from . import vocabulary as v
from .datasets import API_DESCRIPTION, API_TITLE, CATALOGUE_DESCRIPTION, CATALOGUE_TITLE, Dataset

DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
LANGUAGES = ("sv", "en")
FORMATS = {
    "xml": ("application/rdf+xml", "rdf"),
    "turtle": ("text/turtle", "ttl"),
    "json-ld": ("application/ld+json", "jsonld"),
}


def _texts(graph: Graph, subject: URIRef, predicate: URIRef, text: Promise | str) -> None:
    for language in LANGUAGES:
        with translation.override(language):
            graph.add((subject, predicate, Literal(str(text), lang=language)))


def _date(value: datetime.date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def build(
    *,
    catalogue_iri: str,
    base_url: str,
    datasets: Sequence[Dataset],
    modified: datetime.date,
    api_description_url: str,
    api_url: str,
    homepage: str,
) -> Graph:
    """The whole catalogue. catalogue_iri is the stable address of the RDF document; base_url the
    site's public address that distributions' paths are joined to."""
    graph = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dcterms", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("dcatap", DCATAP),
    ):
        graph.bind(prefix, namespace)
    base = base_url.rstrip("/")
    catalogue = URIRef(catalogue_iri)
    publisher = URIRef(v.PUBLISHER)
    contact = URIRef(f"{catalogue_iri}#kontakt")
    service = URIRef(f"{catalogue_iri}#api")

    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add((publisher, FOAF.name, Literal(v.PUBLISHER_NAME, lang="sv")))
    graph.add((publisher, DCTERMS.type, URIRef(v.PUBLISHER_TYPE)))
    graph.add((publisher, FOAF.homepage, URIRef(v.PUBLISHER_HOMEPAGE)))

    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(v.CONTACT_NAME, lang="sv")))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{v.CONTACT_EMAIL}")))
    telephone = URIRef(f"{catalogue_iri}#kontakt-telefon")
    graph.add((contact, VCARD.hasTelephone, telephone))
    graph.add((telephone, RDF.type, VCARD.Voice))
    graph.add((telephone, VCARD.hasValue, URIRef(f"tel:{v.CONTACT_TELEPHONE}")))
    address = URIRef(f"{catalogue_iri}#kontakt-adress")
    graph.add((contact, VCARD.hasAddress, address))
    graph.add((address, RDF.type, VCARD.Address))
    graph.add((address, VCARD["street-address"], Literal(v.CONTACT_STREET)))
    graph.add((address, VCARD["postal-code"], Literal(v.CONTACT_POSTAL_CODE)))
    graph.add((address, VCARD.locality, Literal(v.CONTACT_LOCALITY)))
    graph.add((address, VCARD["country-name"], Literal(v.CONTACT_COUNTRY)))

    graph.add((catalogue, RDF.type, DCAT.Catalog))
    _texts(graph, catalogue, DCTERMS.title, CATALOGUE_TITLE)
    _texts(graph, catalogue, DCTERMS.description, CATALOGUE_DESCRIPTION)
    graph.add((catalogue, DCTERMS.publisher, publisher))
    graph.add((catalogue, DCTERMS.license, URIRef(v.CC0)))  # the metadata itself: CC0 (ADR 0126)
    graph.add((catalogue, DCTERMS.issued, _date(min((d.issued for d in datasets), default=modified))))
    graph.add((catalogue, DCTERMS.modified, _date(modified)))
    graph.add((catalogue, DCTERMS.language, URIRef(v.LANGUAGE_SV)))
    graph.add((catalogue, DCTERMS.language, URIRef(v.LANGUAGE_EN)))
    graph.add((catalogue, FOAF.homepage, URIRef(homepage)))
    graph.add((catalogue, DCAT.themeTaxonomy, URIRef(v.THEME_TAXONOMY)))
    for area in v.SPATIAL:
        graph.add((catalogue, DCTERMS.spatial, URIRef(area)))
    graph.add((catalogue, DCAT.service, service))

    graph.add((service, RDF.type, DCAT.DataService))
    _texts(graph, service, DCTERMS.title, API_TITLE)
    _texts(graph, service, DCTERMS.description, API_DESCRIPTION)
    graph.add((service, DCAT.endpointURL, URIRef(api_url)))
    graph.add((service, DCAT.endpointDescription, URIRef(api_description_url)))
    graph.add((service, DCTERMS.format, Literal(v.JSON)))
    graph.add((service, DCTERMS.publisher, publisher))
    graph.add((service, DCAT.contactPoint, contact))
    graph.add((service, DCTERMS.accessRights, URIRef(v.ACCESS_PUBLIC)))
    graph.add((service, DCTERMS.license, URIRef(v.CC0)))
    for keyword in ("API", "REST", "JSON"):
        graph.add((service, DCAT.keyword, Literal(keyword)))

    for dataset in datasets:
        subject = URIRef(f"{catalogue_iri}#{dataset.slug}")
        graph.add((catalogue, DCAT.dataset, subject))
        graph.add((service, DCAT.servesDataset, subject))
        graph.add((subject, RDF.type, DCAT.Dataset))
        _texts(graph, subject, DCTERMS.title, dataset.title)
        _texts(graph, subject, DCTERMS.description, dataset.description)
        graph.add((subject, DCTERMS.publisher, publisher))
        graph.add((subject, DCAT.contactPoint, contact))
        for word in dataset.keywords:
            _texts(graph, subject, DCAT.keyword, word)
        for theme in dataset.themes:
            graph.add((subject, DCAT.theme, URIRef(v.THEME + theme)))
        graph.add((subject, DCTERMS.issued, _date(dataset.issued)))
        graph.add((subject, DCTERMS.accrualPeriodicity, URIRef(v.FREQUENCY + dataset.frequency)))
        graph.add((subject, DCTERMS.accessRights, URIRef(v.ACCESS_PUBLIC)))
        graph.add((subject, DCAT.landingPage, URIRef(base + dataset.landing_page)))
        graph.add((subject, DCTERMS.language, URIRef(v.LANGUAGE_SV)))
        graph.add((subject, DCTERMS.conformsTo, URIRef(dataset.conforms_to or api_description_url)))
        for area in v.SPATIAL:
            graph.add((subject, DCTERMS.spatial, URIRef(area)))
        period = URIRef(f"{catalogue_iri}#{dataset.slug}-period")
        graph.add((subject, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        graph.add((period, DCAT.startDate, _date(dataset.temporal_start)))
        for distribution in dataset.distributions:
            node = URIRef(f"{catalogue_iri}#{distribution.slug}")
            url = URIRef(base + distribution.path)
            graph.add((subject, DCAT.distribution, node))
            graph.add((node, RDF.type, DCAT.Distribution))
            _texts(graph, node, DCTERMS.title, distribution.title)
            _texts(graph, node, DCTERMS.description, distribution.description)
            graph.add((node, DCAT.accessURL, url))
            graph.add((node, DCTERMS.format, Literal(distribution.media_type)))
            graph.add((node, DCAT.mediaType, URIRef(v.IANA_MEDIA_TYPE + distribution.media_type)))
            graph.add((node, DCTERMS.license, URIRef(dataset.licence)))
            graph.add((node, DCATAP.availability, URIRef(v.AVAILABILITY_STABLE)))
            if distribution.api:
                graph.add((node, DCAT.accessService, service))
            else:
                graph.add((node, DCAT.downloadURL, url))
            if distribution.conforms_to:
                graph.add((node, DCTERMS.conformsTo, URIRef(distribution.conforms_to)))
    return graph


def serialise(graph: Graph, fmt: str) -> bytes:
    """The graph in one of FORMATS ("xml", "turtle", "json-ld"), UTF-8."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    data = graph.serialize(format=fmt, encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")
