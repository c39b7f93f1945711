"""Migration 0008 brings stored search text up to date, so old rows are found by new terms."""

import importlib

from django.apps import apps as global_apps

from civsam.registry import search
from civsam.registry.models import Organisation

reindex = importlib.import_module("civsam.registry.migrations.0008_search_document_recomputed")


def test_stale_search_text_is_recomputed_and_current_text_left_alone(make_org):
    stale = make_org(name="Glada Ekeby IF", municipality="1880")
    current = make_org(name="Kulturföreningen Ljus", municipality="1880")
    Organisation.objects.filter(pk=stale.pk).update(search_document="glada ekeby")
    before = Organisation.objects.get(pk=current.pk).search_document

    reindex.recompute(global_apps, None)

    stale.refresh_from_db()
    assert stale.search_document == search.document(stale.name, stale.description, stale.orgnr)
    assert {"idrottsförening", "idrott"} <= set(stale.search_document.split())
    assert Organisation.objects.get(pk=current.pk).search_document == before
