"""Counting and paging directory results with a capped count (ADR 0041).

Counting every match of a broad search costs time in proportion to the matches (a word in half
the register: 150,000 rows tested), while the page itself costs milliseconds. Above COUNT_CAP
matches the directory says "fler än 1 000" and counts no further: the count query stops at
COUNT_CAP + 1 rows, so it costs the same for 2,000 matches as for 300,000.

- The web page lets people browse the first COUNT_CAP matches (COUNT_CAP / page size pages); the
  last of those pages says that the list goes on and points to refining the search or the
  export, which always has every row.
- The API (core.apitools.paginate with cap=COUNT_CAP) reports totalCount exactly up to COUNT_CAP.
  Above it, totalCount is COUNT_CAP with totalCountExact false (at least that many), totalPages
  and the last link are null, and every page can still be fetched: the next link is there as long
  as a row follows the page (one row looked ahead), so a client can walk the whole list.
"""

from __future__ import annotations

import math
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.formats import number_format

# Counting costs time in proportion to the cap; nobody pages past 50 pages of 20 (ADR 0041).
COUNT_CAP = 1_000


def capped_count(qs: QuerySet, cap: int | None = None) -> int:
    """The number of rows, counted up to cap + 1: more than cap means "more than cap".

    The order is dropped: any cap + 1 rows will do, so no sort (or ranking) runs for the count.
    """
    cap = COUNT_CAP if cap is None else cap
    return qs.order_by().values("pk")[: cap + 1].count()


class CappedPaginator(Paginator):
    """A Paginator whose count stops above `cap`; then only the first `cap` rows are paged."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def count(self) -> int:
        return capped_count(self.object_list, self.cap)

    @property
    def exact(self) -> bool:
        return self.count <= self.cap

    @property
    def cap_display(self) -> str:
        return number_format(self.cap, force_grouping=True)

    @cached_property
    def num_pages(self) -> int:
        if self.exact:
            return super().num_pages
        return math.ceil(self.cap / self.per_page)

    def page(self, number):
        """As Paginator.page, but above the cap the pages end at row `cap` exactly."""
        if self.exact:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : min(bottom + self.per_page, self.cap)], number, self)
