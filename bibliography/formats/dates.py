"""Years and dates as reference managers write them: '2014', '2014//', '2009-08-21/2009-08-24', 'mar'."""

from __future__ import annotations

import re

MONTHS = {
    name: n
    for n, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for name in names
}  # fmt: skip

_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|21\d\d)(?!\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})(?:[-/](\d{1,2}))?(?:[-/](\d{1,2}))?")


def parse_year_and_date(date: str = "", year: str = "", month: str = "", day: str = "") -> tuple[int | None, str]:
    """The year as an int and the fullest ISO date we can trust ('2014', '2014-03', '2014-03-07')."""
    iso = _iso_date(date) if date else ""
    if iso:
        return int(iso[:4]), iso
    found = _YEAR.search(year or "")
    if not found:
        return None, ""
    y = int(found.group(1))
    m = _month(month)
    d = int(day) if day.strip().isdigit() and m and 1 <= int(day) <= 31 else 0
    return y, _join(y, m, d)


def _iso_date(value: str) -> str:
    match = _ISO.search(value)
    if not match or not _YEAR.fullmatch(match.group(1)):
        return ""
    y = int(match.group(1))
    m = int(match.group(2)) if match.group(2) and 1 <= int(match.group(2)) <= 12 else 0
    d = int(match.group(3)) if m and match.group(3) and 1 <= int(match.group(3)) <= 31 else 0
    return _join(y, m, d)


def _month(value: str) -> int:
    value = (value or "").strip().strip(".").casefold()
    if value.isdigit():
        return int(value) if 1 <= int(value) <= 12 else 0
    return MONTHS.get(value, MONTHS.get(value[:3], 0))


def _join(y: int, m: int, d: int) -> str:
    return f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if m and d else "")
