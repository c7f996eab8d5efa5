"""The compiled annotated bibliography (the unit's Output 1.2): grouped entries with citations and
annotations, as a printable page and as a PDF printed from that page by headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from .formats.citations import format_all
from .models import CITATION_CACHE_SECONDS

GROUPS = {"theme": "Theme", "country": "Country"}


class PdfUnavailable(RuntimeError):
    """The PDF cannot be made here; the message says why, the printable page still works."""


def context(entries: QuerySet, group: str, for_pdf: bool = False) -> dict:
    group = group if group in GROUPS else "theme"
    entries = entries.prefetch_related("creators", "tagged_items__tag", "themes", "countries_covered").order_by("title")
    items = list(zip(entries, apa_citations(entries), strict=True))
    items.sort(key=lambda pair: _sort_key(pair[1]))
    return {
        "groups": _grouped(items, group),
        "group": group,
        "group_choices": GROUPS,
        "total": len(items),
        "generated": timezone.now(),
        "for_pdf": for_pdf,
        "inline_css": _css() if for_pdf else "",
    }


def apa_citations(entries) -> list[str]:
    """APA citations for many entries, from the cache where it has them (one round trip)."""
    entries = list(entries)
    cached = cache.get_many([e.citation_cache_key() for e in entries])
    out, fresh = [], {}
    for entry in entries:
        key = entry.citation_cache_key()
        if key not in cached:
            cached[key] = fresh[key] = format_all(entry.to_record())
        out.append(cached[key]["apa"]["html"])
    cache.set_many(fresh, CITATION_CACHE_SECONDS)
    return out


def _sort_key(citation: str) -> str:
    return citation.casefold()


def _grouped(items, group: str) -> list[dict]:
    groups: dict[str, list] = {}
    for entry, citation in items:
        labels = (
            [t.name for t in entry.themes.all()]
            if group == "theme"
            else [c.name for c in entry.countries_covered.all()]
        )
        for label in labels or ["Other and regional" if group == "country" else "Other themes"]:
            groups.setdefault(label, []).append({"entry": entry, "citation": citation})
    ordered = sorted(groups.items(), key=lambda kv: (kv[0].startswith("Other"), kv[0]))
    return [{"heading": heading, "items": rows} for heading, rows in ordered]


def _css() -> str:
    path = finders.find("bibliography/bibliography.css")
    return Path(path).read_text(encoding="utf-8") if path else ""


def chromium_path() -> str | None:
    return getattr(settings, "CHROMIUM_PATH", None) or shutil.which("chromium") or shutil.which("chromium-browser")


def html_to_pdf(html: str, timeout: int = 90) -> bytes:
    """Print a self-contained HTML page to PDF with headless Chromium (Debian's /usr/bin/chromium)."""
    binary = chromium_path()
    if not binary:
        raise PdfUnavailable("The PDF needs Chromium on the server (apt-get install chromium); "
                             "print the page from your browser instead.")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "bibliography.html", Path(folder) / "bibliography.pdf"
        source.write_text(html, encoding="utf-8")
        command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                   f"--user-data-dir={folder}/profile", f"--print-to-pdf={target}", source.as_uri()]  # fmt: skip
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)  # noqa: S603
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfUnavailable(f"Chromium could not print the bibliography: {exc}") from exc
        if not target.exists() or target.stat().st_size == 0:
            raise PdfUnavailable("Chromium did not produce a PDF; print the page from your browser instead.")
        return target.read_bytes()
