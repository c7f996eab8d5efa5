"""Page throughput against the framework's ceiling, and SQL queries per page.

Serves the demo content with gunicorn (2 workers) on loopback; the ceiling is /healthz, a minimal Django view on
the same server, measured before and after the pages (the machine may be shared: the two figures show how much
it drifted). Per page:

- anonymous, cached: what the anonymous page cache answers;
- anonymous, rendered: a distinct query string each time, so the page cache never answers (the cached parts of
  portal.home.fragments, shared by every anonymous reader, still do);
- signed in, same reader: one registered reader (the demo trainee) asking again and again, distinct query strings
  (their own cached parts answer after the first request);
- signed in, new reader: every request from another registered reader (a new session each time); readers
  without a grant share the parts cached for their kind (policy.Audience.key), a reader with a grant gets none.

Queries are counted through Django's test client with the same settings, with the cache emptied first (a full
render) and again with the cache warm.
"""

import os
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from _util import ROOT, demo_server, requests_per_second

PAGES = {"home page": "/", "standard page": "/about/", "country page": "/countries/th/"}
NEW_READERS = 200

SESSIONS = """
import django, json, sys
django.setup()
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
engine = import_module(settings.SESSION_ENGINE)
User = get_user_model()
def session_for(user):
    session = engine.SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key
readers = [User.objects.get(username="trainee")]
readers += [User.objects.get_or_create(username=f"bench-reader-{n}")[0] for n in range(int(sys.argv[1]))]
print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "sessions": [session_for(u) for u in readers]}))
"""

COUNT_QUERIES = """
import django, json, sys
django.setup()
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
anonymous = Client(HTTP_HOST="localhost")
reader = Client(HTTP_HOST="localhost")
reader.force_login(get_user_model().objects.get(username="trainee"))
def count(client, path, clear):
    client.get(path)
    if clear:
        cache.clear()  # the queries of a full render, not of a cache hit
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(path + "?count=1").status_code
    return [status, len(ctx.captured_queries)]
out = {}
for path in sys.argv[1:]:
    out[path] = {
        "anonymous, cache emptied": count(anonymous, path, True),
        "signed in, cache emptied": count(reader, path, True),
        "signed in, parts cached": count(reader, path, False),
    }
print(json.dumps(out))
"""


def signed_in_per_second(url: str, sessions: list[str], cookie: str, total: int = 200, concurrency: int = 4) -> float:
    """Like requests_per_second(uncached=True), each request with the session of sessions[n % len(sessions)]."""

    def fetch(n):
        headers = {"Cookie": f"{cookie}={sessions[n % len(sessions)]}"}
        address = f"{url}{'&' if '?' in url else '?'}bench={n}"
        request = urllib.request.Request(address, headers=headers)  # noqa: S310 (loopback only)
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback only)
            response.read()

    fetch(0)
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(fetch, range(1, total + 1)))
    return total / (time.perf_counter() - start)


def run(env, code, *args) -> str:
    env = {**env, "DJANGO_ALLOWED_HOSTS": "localhost,testserver,127.0.0.1"}
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout


def main():
    import json

    with demo_server(workers=2) as (base, env):
        login = json.loads(run(env, SESSIONS, str(NEW_READERS)))
        cookie, trainee, new_readers = login["cookie"], login["sessions"][:1], login["sessions"][1:]
        ceiling = requests_per_second(base + "/healthz")
        print(f"minimal Django view (/healthz): {ceiling:8.1f} req/s  (ceiling, before the pages)")
        columns = ("anon cached", "anon rendered", "same reader", "new reader")
        print(f"{'req/s (x ceiling)':31} " + "".join(f"{c:>16}" for c in columns))
        for name, path in PAGES.items():
            figures = [
                requests_per_second(base + path),
                requests_per_second(base + path, total=200, uncached=True),
                signed_in_per_second(base + path, trainee, cookie),
                signed_in_per_second(base + path, new_readers, cookie, total=len(new_readers)),
            ]
            cells = "".join(f"{f:8.1f} (x{f / ceiling:4.2f})" for f in figures)
            print(f"{name:15} {path:15} {cells}")
        after = requests_per_second(base + "/healthz")
        print(f"minimal Django view (/healthz): {after:8.1f} req/s  (ceiling, after the pages)")
        print("SQL queries per page:")
        for path, counts in json.loads(run(env, COUNT_QUERIES, *PAGES.values())).items():
            print(f"  {path:15} " + "; ".join(f"{label} {q}" for label, (status, q) in counts.items()))
        print("target (issue 2): rendered page throughput at least half the ceiling")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    main()
