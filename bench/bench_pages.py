"""Page throughput against the framework's ceiling, and SQL queries per page.

Serves the demo content with gunicorn (2 workers) on loopback; the ceiling is /healthz, a minimal Django view on
the same server. Queries are counted through Django's test client with the same settings.
"""

import os
import subprocess
import sys

from _util import ROOT, demo_server, requests_per_second

PAGES = {"home page": "/", "standard page": "/about/", "country page": "/countries/th/"}

COUNT_QUERIES = """
import django, json, sys
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.core.cache import cache
client = Client(HTTP_HOST="localhost")
out = {}
for path in sys.argv[1:]:
    client.get(path)
    cache.clear()  # count the queries of a real render, not of a cache hit
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(path).status_code
    out[path] = (status, len(ctx.captured_queries))
print(json.dumps(out))
"""


def main():
    with demo_server(workers=2) as (base, env):
        ceiling = requests_per_second(base + "/healthz")
        print(f"minimal Django view (/healthz): {ceiling:8.1f} req/s  (ceiling)")
        for name, path in PAGES.items():
            cached = requests_per_second(base + path)
            rendered = requests_per_second(base + path, total=200, uncached=True)
            print(
                f"{name:15} {path:15} anonymous cached {cached:7.1f} req/s (x{cached / ceiling:4.2f} of ceiling)"
                f"   rendered {rendered:6.1f} req/s (x{rendered / ceiling:4.2f})"
            )
        env = {**env, "DJANGO_ALLOWED_HOSTS": "localhost,testserver"}
        result = subprocess.run(
            [sys.executable, "-c", COUNT_QUERIES, *PAGES.values()],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        print("SQL queries per rendered page (anonymous, cache cleared):", result.stdout.strip())


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    main()
