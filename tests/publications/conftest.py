import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Anonymous responses are cached by address; each test starts without another test's copies."""
    cache.clear()
    yield
    cache.clear()
