"""The pure seating rules (meetings/seating.py), as the registration services use them: the status
of a new registration (initial_status) and who gets a freed seat (pick_offers)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civsam.meetings import seating


@pytest.mark.parametrize(
    ("capacity", "taken", "approval", "queue", "expected"),
    [
        (None, 10_000, False, False, "confirmed"),
        (10, 0, False, False, "confirmed"),
        (10, 9, False, False, "confirmed"),
        (10, 10, False, False, "waitlisted"),
        (10, 12, False, False, "waitlisted"),  # over capacity after a capacity cut: never confirm more
        (10, 5, False, True, "waitlisted"),  # a free seat is being offered to the queue: no jumping
        (10, 0, True, False, "awaiting_approval"),
        (None, 0, True, False, "awaiting_approval"),
        (0, 0, False, False, "waitlisted"),
    ],
)
def test_initial_status(capacity, taken, approval, queue, expected):
    status = seating.initial_status(
        capacity=capacity, seats_taken=taken, requires_approval=approval, queue_waiting=queue
    )
    assert status == expected


def test_full_group_waits_even_with_free_seats():
    status = seating.initial_status(
        capacity=300, seats_taken=10, requires_approval=False, queue_waiting=False, group_is_full=True
    )
    assert status == "waitlisted"


@pytest.mark.parametrize(
    ("capacity", "taken", "queue", "group_taken", "quotas", "expected"),
    [
        (10, 10, [(1, "a")], {}, {}, []),
        (10, 9, [(1, "a"), (2, "b")], {}, {}, [1]),
        (10, 7, [(1, ""), (2, "")], {}, {}, [1, 2]),
        (10, 12, [(1, ""), (2, ""), (3, "")], {}, {}, []),  # over capacity: nobody
        (None, 0, [(1, "a"), (2, "b")], {}, {}, [1, 2]),
        (5, 0, [], {}, {}, []),
        # The head's group is full: they keep their place and the next eligible person gets the seat.
        (10, 8, [(1, "elected"), (2, "officer"), (3, "officer")], {"elected": 5}, {"elected": 5}, [2, 3]),
        # One seat left in the group: only the first of that group gets it.
        (10, 5, [(1, "officer"), (2, "officer")], {"officer": 2}, {"officer": 3}, [1]),
        # Groups without a quota are not limited by others' quotas.
        (10, 9, [(1, "")], {"elected": 9}, {"elected": 9}, [1]),
    ],
)
def test_pick_offers(capacity, taken, queue, group_taken, quotas, expected):
    assert (
        seating.pick_offers(capacity=capacity, seats_taken=taken, queue=queue, group_taken=group_taken, quotas=quotas)
        == expected
    )


# The inputs are small; on a busy test machine even they can trip Hypothesis's timing checks.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RELAXED
@given(st.integers(0, 500), st.integers(0, 600), st.integers(0, 600))
def test_offers_without_quotas_fill_exactly_the_free_seats(capacity, taken, queue_length):
    queue = [(n, "") for n in range(1, queue_length + 1)]
    chosen = seating.pick_offers(capacity=capacity, seats_taken=taken, queue=queue)
    assert chosen == [pk for pk, _g in queue[: max(0, min(capacity - taken, queue_length))]]


@RELAXED
@given(
    st.integers(0, 50),
    st.integers(0, 60),
    st.lists(
        st.tuples(st.integers(1, 10_000), st.sampled_from(["a", "b", "c", ""])), max_size=40, unique_by=lambda t: t[0]
    ),
    st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(0, 20)),
)
def test_offers_never_exceed_seats_or_quotas(capacity, taken, queue, quotas):
    group_taken = {g: min(q, 3) for g, q in quotas.items()}
    chosen = seating.pick_offers(
        capacity=capacity, seats_taken=taken, queue=queue, group_taken=group_taken, quotas=quotas
    )
    assert len(chosen) <= max(0, capacity - taken)
    groups = dict(queue)
    for group, quota in quotas.items():
        assert group_taken.get(group, 0) + sum(1 for pk in chosen if groups[pk] == group) <= max(
            quota, group_taken.get(group, 0)
        )
    # Queue order is kept.
    order = [pk for pk, _g in queue]
    assert chosen == sorted(chosen, key=order.index)
