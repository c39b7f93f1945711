"""Addresses typed without a scheme are read as https in every form made from a model (HttpsURLField)."""

from __future__ import annotations

import warnings

import pytest
from django import forms
from django.apps import apps
from django.db import models

from civsam.core.models import HttpsURLField


def url_fields() -> list[models.URLField]:
    return [
        field
        for model in apps.get_models()
        if model.__module__.startswith("civsam.")
        for field in model._meta.get_fields()
        if isinstance(field, models.URLField)
    ]


def test_every_url_field_of_ours_assumes_https():
    fields = url_fields()
    assert len(fields) >= 5  # website, meeting links, sources, follow-up links
    for field in fields:
        assert isinstance(field, HttpsURLField), f"{field.model.__name__}.{field.name} is a plain URLField"


@pytest.mark.parametrize("typed", ["förening.se", "www.kumla-schack.se/om-oss"])
def test_a_model_form_reads_a_bare_address_as_https_without_a_deprecation_warning(typed):
    field = url_fields()[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Django 5.x warns when a URLField leaves the scheme to its default
        form_field = field.formfield()
    assert isinstance(form_field, forms.URLField)
    assert form_field.clean(typed) == f"https://{typed}"
    assert form_field.clean("http://example.se") == "http://example.se"  # a scheme given is kept


def test_the_migrations_see_a_plain_url_field():
    _name, path, _args, kwargs = HttpsURLField(max_length=300, blank=True).deconstruct()
    assert path == "django.db.models.URLField"
    assert kwargs == {"max_length": 300, "blank": True}
