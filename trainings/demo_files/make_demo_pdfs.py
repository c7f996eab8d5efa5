"""Writes the demo course materials (one-page text PDFs) next to this script: `python make_demo_pdfs.py`."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from trainings.pdfs import text_pdf  # noqa: E402

COURSE = "Data collection on migrant smuggling for officials"
MATERIALS = {
    "m1-definitions-slides.pdf": [
        COURSE,
        "Module 1 - Migrant smuggling: definitions and the legal framework (slides)",
        "",
        "1. The Smuggling of Migrants Protocol: procuring, for a financial or other material benefit,",
        "   the illegal entry of a person into a State of which the person is not a national or resident.",
        "2. Smuggling and trafficking in persons: consent, exploitation, transnationality.",
        "3. Aggravating circumstances: danger to life or safety, inhuman or degrading treatment.",
        "4. Smuggled migrants are not liable to prosecution for having been smuggled.",
    ],
    "m1-legal-framework-handbook.pdf": [
        COURSE,
        "Module 1 - Handbook: national legal frameworks in the region",
        "",
        "Each participating country defines the offence of migrant smuggling in its own law.",
        "This handbook sets out, country by country, the offence, its penalties and the agencies",
        "responsible for detecting, investigating and prosecuting it, with the data each one records.",
    ],
    "m2-data-model-slides.pdf": [
        COURSE,
        "Module 2 - The standardised data-collection model (slides)",
        "",
        "Case: one detected smuggling event, with its date, place and detecting agency.",
        "Persons: smuggled migrants and suspected smugglers, with age, sex and nationality.",
        "Route: departure, transit and intended destination; mode of transport; fees paid.",
        "Outcome: investigation, prosecution, conviction, return or protection measures.",
    ],
    "m2-case-form-exercise.pdf": [
        COURSE,
        "Module 2 - Exercise: filling in the case form",
        "",
        "Read the case narrative below and complete the standardised case form.",
        "Twelve migrants were intercepted at a land border crossing in a concealed compartment of a truck.",
        "Each had paid a fee in instalments; two carried documents belonging to other persons.",
        "Questions: how many persons records? Which aggravating circumstances apply? What is the route?",
    ],
    "m3-sharing-slides.pdf": [
        COURSE,
        "Module 3 - Recording and sharing case data (slides)",
        "",
        "Data protection: what personal data may be recorded, by whom, and for how long.",
        "Aggregation: national figures sent to the unit are aggregated; no personal data leaves the agency.",
        "Quality: complete, consistent and timely records; checks before sending.",
    ],
    "m3-data-protection-reading.pdf": [
        COURSE,
        "Module 3 - Reading: data protection principles for law-enforcement data",
        "",
        "Lawfulness, purpose limitation, data minimisation, accuracy, storage limitation, security.",
        "How the principles apply to the records of smuggling cases kept by immigration and police agencies.",
    ],
    "r1-investigation-handbook.pdf": [
        "Investigating migrant smuggling networks (officials only)",
        "Module 1 - Handbook: financial investigation of smuggling networks",
        "",
        "Restricted to verified officials of participating countries. Not for further distribution.",
        "Following the money: fee collection, hawala and mobile payments, asset recovery.",
    ],
}


def main() -> None:
    for name, lines in MATERIALS.items():
        (HERE / name).write_bytes(text_pdf(lines))
        print(name)


if __name__ == "__main__":
    main()
