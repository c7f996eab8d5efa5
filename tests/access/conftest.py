import pytest

from portal.access import policy


@pytest.fixture(scope="module")
def monkeypatch_module():
    """Grants live in the database; the property tests look at the tiers alone."""
    mp = pytest.MonkeyPatch()
    mp.setattr(policy, "_has_grant", lambda audience, obj: False)
    yield mp
    mp.undo()
