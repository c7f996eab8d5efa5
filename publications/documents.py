"""Keeping a publication's attached documents no more open than the publication says its files are.

The rule itself is the access policy's (`policy.close_to_container`); the access app applies it when any page is
published. Publications also apply it when a page or a draft of it is saved, so a file attached to a draft of a
restricted report is closed before anyone publishes anything.
"""

from __future__ import annotations

import logging

from portal.access import policy

logger = logging.getLogger(__name__)


def tighten_attached_documents(page) -> int:
    """Close each attached document to the page's tiers, countries and embargo; returns how many changed."""
    changed = 0
    for attached in page.files.select_related("document"):
        document = attached.document
        if document is not None and policy.close_to_container(document, page):
            document.save()  # countries is a parental M2M: saved with the document (and audited)
            logger.info("Document %s closed to match publication page %s", document.pk, page.pk)
            changed += 1
    return changed
