import pytest
from hypothesis import given
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


@pytest.mark.parametrize(
    ("capacity", "taken", "queue", "expected"),
    [(10, 10, 5, 0), (10, 9, 5, 1), (10, 7, 2, 2), (10, 12, 3, 0), (None, 3, 4, 4), (5, 0, 0, 0)],
)
def test_seats_to_offer(capacity, taken, queue, expected):
    assert seating.seats_to_offer(capacity=capacity, seats_taken=taken, queue_length=queue) == expected


@given(st.integers(0, 500), st.integers(0, 600), st.integers(0, 600))
def test_offers_never_exceed_free_seats(capacity, taken, queue):
    offered = seating.seats_to_offer(capacity=capacity, seats_taken=taken, queue_length=queue)
    assert 0 <= offered <= queue
    assert taken + offered <= max(capacity, taken)
