import pytest

from portal.access import policy


@pytest.fixture(scope="module")
def monkeypatch_module():
    """Grants live in the database; the property tests look at the tiers alone."""
    mp = pytest.MonkeyPatch()
    mp.setattr(policy, "_has_grant", lambda audience, obj: False)
    yield mp
    mp.undo()


@pytest.fixture
def matrix_env(home_page, countries, users):
    from tests.access.matrix import MatrixEnv

    return MatrixEnv(home_page=home_page, countries=countries, users=users)
