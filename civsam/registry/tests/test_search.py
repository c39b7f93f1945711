import pytest

from civsam.registry import search


@pytest.mark.parametrize(
    ("query", "document_text"),
    [
        ("förening", "Idrottsföreningen Kumla"),
        ("FÖRENINGAR", "Föreningen Linden"),
        ("idrottsför", "Idrottsföreningen"),
        ("örebro", "Örebro Konstförening"),
        ("kyrkor", "Kyrkan i Nora"),
        ("556036-0793", "5560360793"),
        ("5560360793", "5560360793"),
        ("fotbollsklubb", "Vivalla Fotbollsklubb"),
        ("klubbar", "Vivalla Fotbollsklubb"),
    ],
)
def test_query_terms_prefix_match_document_stems(query, document_text):
    doc_stems = search.document(document_text).split()
    for term in search.query_terms(query):
        assert any(stem.startswith(term) for stem in doc_stems), (term, doc_stems)


@pytest.mark.parametrize(("a", "b"), [("år", "ar"), ("hälsa", "halsa"), ("ö", "o")])
def test_swedish_letters_are_not_folded_away(a, b):
    assert search.document(a) != search.document(b)


def test_query_terms_cannot_inject_fts_or_tsquery_syntax():
    terms = search.query_terms('"x" OR y* & !z:* (NEAR) \'; DROP')
    assert all(t.isalnum() for t in terms)
    assert search.fts5_match(terms).count('"') == 2 * len(terms)
    assert "|" not in search.tsquery(terms)
