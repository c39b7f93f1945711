"""Who may do what with the statistics. Reading them is public; computing them is the Region's."""

from __future__ import annotations

from civsam.accounts.permissions import acts_for_region


def can_compute_statistics(user) -> bool:
    """The coordinator (the Region's staff) recomputes the figures on demand; a job does it nightly."""
    return acts_for_region(user)
