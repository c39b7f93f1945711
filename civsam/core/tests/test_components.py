"""The page components (templates/components/) and the form renderer every form goes through."""

from __future__ import annotations

import pytest
from django import forms
from django.core.paginator import Paginator
from django.forms import formset_factory
from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import render_to_string
from django.test import RequestFactory

from civsam.core.forms import FormRenderer


class ContactForm(forms.Form):
    name = forms.CharField(label="Namn", help_text="Som det skrivs i registret.")
    email = forms.EmailField(label="E-post", required=False)
    kind = forms.ChoiceField(label="Slag", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Hela formuläret är fel.")


def render(source: str, **context) -> str:
    return Template("{% load components %}" + source).render(Context(context))


# --- The form renderer ---------------------------------------------------------------------------


def test_every_form_renders_its_fields_through_the_field_component(settings):
    assert settings.FORM_RENDERER == "civsam.core.forms.FormRenderer"
    form = ContactForm()
    assert isinstance(form.renderer, FormRenderer)
    html = str(form)
    # Label, "(obligatoriskt)" only on required fields, help text with the id the input points at.
    assert '<label for="id_name">Namn <span class="required">(obligatoriskt)</span></label>' in html
    assert '<label for="id_email">E-post</label>' in html
    assert 'id="id_name_helptext"' in html and 'aria-describedby="id_name_helptext"' in html
    # A radio group is a fieldset with a legend; a hidden field is only its input.
    assert "<legend>Slag" in html
    assert '<input type="hidden" name="token" id="id_token">' in html
    assert html.count('class="field') == 3
    # One field alone renders the same way.
    assert str(form["name"].as_field_group()).strip().startswith('<div class="field">')


def test_an_invalid_field_is_marked_and_keeps_its_error_next_to_it():
    form = ContactForm(data={"email": "inte-en-adress", "kind": "a"})
    assert not form.is_valid()
    html = str(form)
    assert 'class="field field-invalid"' in html
    # The error sits in the field's wrapper with the id the input's aria-describedby names.
    assert '<ul class="errorlist" id="id_email_error">' in html
    assert 'aria-invalid="true" aria-describedby="id_email_error"' in html


# --- The error summary ---------------------------------------------------------------------------


def test_error_summary_links_each_error_to_its_field_and_lists_the_rest():
    form = ContactForm(data={"email": "x"})
    form.is_valid()
    html = render_to_string("components/error_summary.html", {"form": form})
    assert 'role="alert"' in html and "<h2>Formuläret innehåller fel</h2>" in html
    assert "<li>Hela formuläret är fel.</li>" in html
    assert '<a href="#id_name">Namn: ' in html
    assert '<a href="#id_email">E-post: ' in html
    assert '<a href="#id_kind">Slag: ' in html  # a radio group links to the element holding it
    assert 'id="id_kind"' in str(form)


def test_error_summary_says_nothing_without_errors_and_takes_options():
    assert render_to_string("components/error_summary.html", {"form": ContactForm()}).strip() == ""
    html = render_to_string(
        "components/error_summary.html", {"errors": ["Rad 3 saknar namn."], "heading": "Filen", "heading_level": 3}
    )
    assert "<h3>Filen</h3>" in html and "<li>Rad 3 saknar namn.</li>" in html


@pytest.mark.parametrize("as_dict", [True, False])
def test_error_summary_points_to_formsets_with_errors(as_dict):
    rows = formset_factory(ContactForm, extra=0)(
        data={"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-email": "x"}
    )
    rows.is_valid()
    clean = formset_factory(ContactForm, extra=0)(data={"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"})
    clean.is_valid()
    formsets = {"rows": rows, "clean": clean} if as_dict else [rows, clean]
    html = render_to_string("components/error_summary.html", {"form": forms.Form(data={}), "formsets": formsets})
    assert html.count("Fel i en av raderna längre ned.") == 1


# --- Breadcrumbs ---------------------------------------------------------------------------------


def test_breadcrumbs_link_the_way_down_and_mark_the_current_page():
    html = render(
        '{% words _("Insatsområde") 2 as area %}{% breadcrumbs "/a/" "Handlingsplaner" "/a/b/" years here=area %}',
        years=Template("{% load components %}{{ 2022|until:2025 }}").render(Context()),
    )
    assert html.strip() == (
        '<nav aria-label="Brödsmulor" class="breadcrumbs"><ol><li><a href="/a/">Handlingsplaner</a></li>'
        '<li><a href="/a/b/">2022–2025</a></li><li aria-current="page">Insatsområde 2</li></ol></nav>'
    )


def test_breadcrumbs_escape_labels_and_refuse_an_odd_trail():
    assert "&lt;b&gt;" in render('{% breadcrumbs "/" label here="x" %}', label="<b>")
    with pytest.raises(TemplateSyntaxError):
        render('{% breadcrumbs "/" here="x" %}')


# --- Pagination ----------------------------------------------------------------------------------


def test_pagination_keeps_the_query_and_names_the_page():
    page = Paginator(list(range(45)), 20).page(2)
    html = render_to_string("components/pagination.html", {"page": page, "query": "q=f%C3%B6rening"})
    assert '<a href="?q=f%C3%B6rening&amp;page=1" rel="prev">' in html
    assert '<a href="?q=f%C3%B6rening&amp;page=3" rel="next">' in html
    assert "Sida 2 av 3" in html and "bland de första" not in html
    first = render_to_string("components/pagination.html", {"page": Paginator(list(range(45)), 20).page(1)})
    assert 'href="?page=2"' in first and 'rel="prev"' not in first
    assert render_to_string("components/pagination.html", {"page": Paginator([1], 20).page(1)}).strip() == ""


def test_pagination_says_when_the_count_stops_at_a_cap():
    class Capped(Paginator):
        exact = False
        cap_display = "1 000"

    html = render_to_string("components/pagination.html", {"page": Capped(list(range(45)), 20).page(1)})
    assert "Sida 1 av 3 bland de första 1 000" in html


# --- Printing ------------------------------------------------------------------------------------


def test_pages_link_the_print_stylesheet_but_pdfs_do_not(rf: RequestFactory, db):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    page = render_to_string("base.html", {}, request=request)
    assert 'href="/static/civsam/print.css" media="print"' in page
    pdf = render_to_string("base.html", {"pdf": True}, request=request)
    assert "print.css" not in pdf
