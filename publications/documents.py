"""Keeping a publication's attached documents no more open than the publication says its files are."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def tighten_attached_documents(page) -> int:
    """Raise each attached document's tiers to the page's, narrow its countries and copy the embargo.

    Runs when the page (or a revision of it) is saved; returns how many documents changed. Documents are only ever
    closed further here, never opened: a wider document would leak what the page holds back.
    """
    changed = 0
    page_countries = list(page.countries.all())
    for attached in page.files.all():
        document = attached.document
        if document is None:
            continue
        if _tighten(document, page, page_countries):
            changed += 1
    return changed


def _tighten(document, page, page_countries) -> bool:
    before = (document.record_tier, document.file_tier, document.embargo_until)
    # Tiers are ordered integers: raising to the page's is the max of the two (the policy does the comparing).
    document.record_tier = max(document.record_tier, page.record_tier)
    document.file_tier = max(document.file_tier, page.file_tier, document.record_tier)
    if page.embargo_until and (not document.embargo_until or document.embargo_until < page.embargo_until):
        document.embargo_until = page.embargo_until
    changed = before != (document.record_tier, document.file_tier, document.embargo_until)
    if page_countries:
        doc_codes = {c.code for c in document.countries.all()}
        page_codes = {c.code for c in page_countries}
        # An empty scope means every country: wider than the page's, so narrow it to the page's.
        if not doc_codes or not doc_codes <= page_codes:
            document.countries.set([c for c in page_countries if c.code in doc_codes] or page_countries)
            changed = True
    if changed:
        document.save()  # countries is a parental M2M: saved with the document
        logger.info("Document %s tightened to match publication page %s", document.pk, page.pk)
    return changed
