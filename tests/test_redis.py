"""The cache on the scale-out setup: Django's Redis cache against the real Redis of REDIS_URL."""

import os
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache

from portal.home import page_cache

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: the Redis cache tests were skipped")


@pytest.fixture
def redis_cache():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"cau-test-{uuid.uuid4().hex}"})
    yield cache
    cache.delete_many([page_cache.GENERATION_KEY, "probe"])


def test_base_settings_choose_redis_when_redis_url_is_set():
    from portal.settings import base

    assert base.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert base.CACHES["default"]["LOCATION"] == REDIS_URL


def test_page_cache_generation_is_shared_through_redis(redis_cache, monkeypatch):
    monkeypatch.setattr(page_cache, "cache", redis_cache)
    redis_cache.set("probe", (b"<html>cached</html>", "text/html"), 30)
    assert redis_cache.get("probe") == (b"<html>cached</html>", "text/html")
    before = redis_cache.get_or_set(page_cache.GENERATION_KEY, 1, None)
    page_cache.clear()
    assert redis_cache.get(page_cache.GENERATION_KEY) == before + 1
