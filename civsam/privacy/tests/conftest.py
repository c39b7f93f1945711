import pytest


@pytest.fixture
def dpo(db):
    """A data protection officer: no role, only the group "Dataskyddsombud" (migration 0002)."""
    from django.contrib.auth.models import Group

    from civsam.accounts.models import User

    user = User.objects.create_user(username="dso", password="secret-pass-123", first_name="Dana", last_name="Skydd")
    user.groups.add(Group.objects.get(name="Dataskyddsombud"))
    return user
