"""Everything Civsam holds about a person, gathered from every app (ADR 0080).

Accounts knows users but not what other apps keep about them, and may not import those apps
(ADR 0055). So each app registers a personal-data provider from its `AppConfig.ready()`:

    from civsam.accounts.personal_data import register
    register("meetings", export=export, erase=erase)

`export(user)` returns what the app holds about the user as JSON-ready data (a dict of lists);
`erase(user)`, if given, removes or de-identifies what must not outlive the account when the person
deletes it, and returns counts for the audit log. What the public record needs (decisions,
published texts, who did what) is not erased: the user row stays, emptied, and shows as
"borttagen användare" (services.account_delete).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

Export = Callable[[AbstractBaseUser], dict[str, Any]]
Erase = Callable[[AbstractBaseUser], dict[str, int]]

FORMAT = "civsam-personal-data/1"


@dataclass(frozen=True)
class Provider:
    name: str
    export: Export
    erase: Erase | None = None


_providers: dict[str, Provider] = {}


def register(name: str, *, export: Export, erase: Erase | None = None) -> None:
    """Add (or replace, when an app is reloaded) the provider called `name`."""
    _providers[name] = Provider(name=name, export=export, erase=erase)


def providers() -> list[Provider]:
    """Accounts' own first, then the apps' in name order, so an export reads the same every time."""
    return sorted(_providers.values(), key=lambda p: (p.name != "accounts", p.name))


def personal_data_collect(user: AbstractBaseUser) -> dict[str, Any]:
    """The whole export: a header, then each provider's part under its name."""
    data: dict[str, Any] = {"format": FORMAT, "generatedAt": timezone.now().isoformat()}
    for provider in providers():
        data[provider.name] = provider.export(user)
    return data


def personal_data_erase(user: AbstractBaseUser) -> dict[str, dict[str, int]]:
    """Run every provider's erase; the counts per provider, for the audit log."""
    return {provider.name: provider.erase(user) for provider in providers() if provider.erase is not None}
