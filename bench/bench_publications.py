"""Publications with 5,000 publications: requests per second and SQL queries of the index (unfiltered and
filtered), a publication page, the RSS feed and an OAI-PMH ListRecords page, against the /healthz ceiling.

Targets (issue 7): queries per page independent of the number of publications (measured at demo size and again
at 5,000); index throughput at least a third of the ceiling. Serves with gunicorn (2 workers) on loopback, like
bench_pages.py; queries are counted through Django's test client with the same settings, as anonymous, with the
cache emptied (a full render).

Columns: "cached" is the anonymous page cache; "anon rendered" a distinct address each time, so the page cache
never answers (the index's cached part for anonymous readers, portal.home.fragments, still does; feeds and OAI-PMH
are rendered in full); "same reader" one signed-in registered reader asking again and again (their own cached
part answers after the first request); "new reader" every request from another registered reader, so nothing
cached for a reader helps: the full render with its facet counts, the worst case.
"""

import datetime
import json
import os
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from _util import ROOT, demo_server, requests_per_second
from bench_pages import SESSIONS, signed_in_per_second

TARGET = 5000

SEED = """
import django, random, sys, time
django.setup()
from django.db import transaction
from django.utils import timezone
from portal.access.tiers import Tier
from portal.taxonomy.models import Country, Theme
from publications.models import Kind, PublicationAuthor, PublicationIndexPage, PublicationPage
target = int(sys.argv[1])
index = PublicationIndexPage.objects.get()
have = PublicationPage.objects.count()
countries, themes = list(Country.objects.all()), list(Theme.objects.all())
kinds = [k for k in Kind.values if k != Kind.CONTRIBUTION]
rng = random.Random(7)
start = time.perf_counter()
with transaction.atomic():
    for n in range(have, target):
        page = PublicationPage(
            title=f"Bench publication {n}", slug=f"bench-{n}", kind=rng.choice(kinds),
            publication_date=timezone.localdate().replace(year=rng.randint(2015, 2025)),
            summary="A benchmark publication on smuggling routes and fees.",
            record_tier=rng.choice([Tier.PUBLIC] * 6 + [Tier.REGISTERED, Tier.RESTRICTED, Tier.CONFIDENTIAL]),
            first_published_at=timezone.now(), last_published_at=timezone.now(),
        )
        page.covered_countries = rng.sample(countries, 2)
        page.themes = rng.sample(themes, 2)
        page.authors = [PublicationAuthor(family="Author", given=f"N{n}")]
        index.add_child(instance=page)
print(f"seeded {target - have} publications in {time.perf_counter() - start:.0f}s", file=sys.stderr)
"""

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
    cache.clear()  # the queries of a real render, not of a cache hit
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(path).status_code
    out[path] = [status, len(ctx.captured_queries)]
print(json.dumps(out))
"""

NEW_READERS = 40
SIGNED_IN = ("index (unfiltered)", "index (kind + country)", "index (page 50)", "publication page")

PAGES = {
    "index (unfiltered)": "/publications/",
    "index (kind + country)": "/publications/?kind=research_study&country=TH",
    "index (page 50)": "/publications/?page=50",
    "publication page": "/publications/annual-report-2024/",
    "RSS feed": "/publications-feeds/rss/",
    "OAI-PMH ListRecords": "/oai/?verb=ListRecords&metadataPrefix=oai_dc",
}


def rendered_per_second(url: str, total: int = 40, concurrency: int = 4) -> float:
    """Every request a distinct address, so no cache answers; OAI-PMH gets distinct valid `from` dates (an
    unknown argument would only measure its error response)."""

    def target(n):
        if "/oai/" in url:
            return f"{url}&from={datetime.date(1990, 1, 1) + datetime.timedelta(days=n + 20)}"
        return f"{url}{'&' if '?' in url else '?'}bench={n}"

    def fetch(n):
        with urllib.request.urlopen(target(n), timeout=60) as response:  # noqa: S310 (loopback only)
            response.read()

    fetch(-1)
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(fetch, range(total)))
    return total / (time.perf_counter() - start)


def run(env, code, *args):
    env = {**env, "DJANGO_ALLOWED_HOSTS": "localhost,testserver"}
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    if done.stderr.strip():
        print(done.stderr.strip().splitlines()[-1])
    return done.stdout


def main():
    with demo_server(workers=2) as (base, env):
        small = json.loads(run(env, COUNT_QUERIES, *PAGES.values()))
        run(env, SEED, str(TARGET))
        large = json.loads(run(env, COUNT_QUERIES, *PAGES.values()))
        login = json.loads(run(env, SESSIONS, str(NEW_READERS)))
        cookie, same, new = login["cookie"], login["sessions"][:1], login["sessions"][1:]
        ceiling = requests_per_second(base + "/healthz")
        print(f"minimal Django view (/healthz): {ceiling:8.1f} req/s  (ceiling, before the pages)")
        columns = ("cached", "anon rendered", "same reader", "new reader")
        header = "".join(f"{c:>16}" for c in columns)
        print(f"{'5,000 publications: req/s (x ceiling)':38}{header}  SQL demo/5,000")
        for name, path in PAGES.items():
            figures = [requests_per_second(base + path, total=200), rendered_per_second(base + path)]
            if name in SIGNED_IN:
                figures.append(signed_in_per_second(base + path, same, cookie, total=40))
                figures.append(signed_in_per_second(base + path, new, cookie, total=len(new)))
            cells = "".join(f"{f:8.1f} (x{f / ceiling:4.2f})" for f in figures) + " " * 16 * (4 - len(figures))
            status = "" if small[path][0] == large[path][0] == 200 else f"  (status {large[path][0]})"
            print(f"{name:38}{cells}  {small[path][1]:>4} / {large[path][1]:<4}{status}")
        after = requests_per_second(base + "/healthz")
        print(f"minimal Django view (/healthz): {after:8.1f} req/s  (ceiling, after the pages)")
        print("targets: SQL per page independent of the number of publications; index >= 0.33 of the ceiling")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    main()
