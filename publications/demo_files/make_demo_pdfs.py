"""Write the demo publications' PDFs (committed, so `make run` needs no browser): HTML printed by Chromium.

Run from the repository root: python publications/demo_files/make_demo_pdfs.py [path-to-chromium]
Every PDF has several pages of real text (so ingestion, search and page counts have something to show).
"""

import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

COUNTRIES = {
    "KH": "Cambodia",
    "CN": "China",
    "ID": "Indonesia",
    "LA": "Lao PDR",
    "MM": "Myanmar",
    "TH": "Thailand",
    "VN": "Viet Nam",
}

SECTIONS = [
    (
        "Purpose and scope",
        "This document was prepared by the Coordination and Analysis Unit on the smuggling of migrants (CAU) for "
        "{place}. It describes what is known about migrant smuggling, which institutions hold data on it, and how "
        "that information can be collected, shared and analysed under the unit's dissemination guidelines. It "
        "covers the smuggling of migrants by land, sea and air, the facilitation of irregular stay, and the use of "
        "fraudulent travel and identity documents.",
    ),
    (
        "Sources of information",
        "Information on migrant smuggling in {place} is held by border guards, immigration services, police "
        "investigation units, prosecution services and the courts, and by labour, social welfare and foreign "
        "affairs ministries. Most of these sources record cases for operational purposes rather than for "
        "analysis: a detected crossing, an arrest, an indictment or a conviction is counted by the agency that "
        "handles it, with its own definitions, and is rarely linked to the same case in another agency's files.",
    ),
    (
        "Routes and modus operandi",
        "Smuggled migrants in and through {place} travel mostly overland, on foot across forested border areas, "
        "by motorcycle and pick-up truck to transit towns, and by bus or private car to destination cities. Fees "
        "are paid in instalments: a deposit before departure, a payment on arrival at the border, and the balance "
        "on arrival, often as a debt to be repaid from wages. Debt bondage and the confiscation of identity "
        "documents are reported in a significant share of the cases reviewed.",
    ),
    (
        "Gaps in the data",
        "The main gaps are the absence of a shared case definition, the lack of disaggregation by sex, age and "
        "nationality of the smuggled migrants, the under-recording of smuggling by air and with fraudulent "
        "documents, and the loss of information between detection and prosecution. Data on fees, on the harm "
        "suffered by migrants and on the financial flows of smuggling networks are almost entirely missing.",
    ),
    (
        "Capacity to produce information",
        "Agencies in {place} have the staff and systems to record cases, but few have analysts, and none has a "
        "routine to exchange case-level information with the agencies of neighbouring countries. Training on the "
        "standardised data-collection model, a focal point in each agency and a quarterly exchange of aggregated "
        "figures with the unit would close most of the gaps within two years.",
    ),
    (
        "Recommendations",
        "First, adopt the unit's standardised data-collection model in the agencies that detect and investigate "
        "smuggling. Second, designate a national focal point who compiles the figures every quarter. Third, "
        "record the fees paid, the routes used and the harm suffered by migrants for every detected case. "
        "Fourth, share restricted case summaries with the officials of the countries concerned through the "
        "portal, under the dissemination guidelines, and publish aggregated findings every year.",
    ),
]

DOCUMENTS = [
    *[
        (f"national-assessment-{code.lower()}", f"National assessment of migrant smuggling information: {name}", name)
        for code, name in COUNTRIES.items()
    ],
    ("annual-report-2024", "Annual regional analytical report on the smuggling of migrants, 2024", "the region"),
    ("annual-report-2025", "Annual regional analytical report on the smuggling of migrants, 2025", "the region"),
    ("data-collection-model", "Standardised data-collection model on the smuggling of migrants", "the region"),
    ("study-fees-and-debt", "Fees, debt and the financing of migrant smuggling in the Mekong sub-region", "the region"),
    ("study-sea-routes", "Maritime smuggling routes to Indonesia and Malaysia: a research study", "the region"),
]

STYLE = """
@page { size: A4; margin: 22mm 20mm; }
body { font-family: "DejaVu Serif", serif; font-size: 11pt; line-height: 1.5; }
h1 { font-size: 20pt; margin-top: 60mm; } h2 { font-size: 14pt; }
.cover { page-break-after: always; } section { page-break-before: always; }
.unit { font-size: 12pt; color: #333; }
"""


def document_html(title: str, place: str) -> str:
    sections = "".join(
        f"<section><h2>{n}. {html.escape(heading)}</h2>"
        + "".join(f"<p>{html.escape(text.format(place=place))}</p>" for _ in range(3))
        + "</section>"
        for n, (heading, text) in enumerate(SECTIONS, start=1)
    )
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{STYLE}</style></head><body><div class='cover'><h1>{html.escape(title)}</h1>"
        "<p class='unit'>Coordination and Analysis Unit on the Smuggling of Migrants, Bangkok</p>"
        "<p>Demo document generated for the SOM CAU Portal. Not an official publication.</p></div>"
        f"{sections}</body></html>"
    )


def main(chromium: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for slug, title, place in DOCUMENTS:
            source = Path(tmp) / f"{slug}.html"
            source.write_text(document_html(title, place), encoding="utf-8")
            target = HERE / f"{slug}.pdf"
            subprocess.run(  # noqa: S603 (a local browser on a local file)
                [
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-pdf-header-footer",
                    f"--print-to-pdf={target}",
                    source.as_uri(),
                ],
                check=True,
                capture_output=True,
            )
            print(f"{target.name}: {target.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else (shutil.which("chromium") or "/usr/bin/chromium"))
