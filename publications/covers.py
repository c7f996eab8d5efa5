"""Cover images made from the first page of a publication's main PDF.

Images live in public media, so a cover is only made for a publication whose record anyone may see: the first
page of a restricted report (its title page) must not be reachable by a guessed image URL.
"""

from __future__ import annotations

import io
import logging

from django.core.files.images import ImageFile

from portal.access import policy

logger = logging.getLogger(__name__)

COVER_WIDTH = 480


def render_first_page(document, width: int = COVER_WIDTH) -> bytes | None:
    """A PNG of the document's first page, or None if it is not a readable PDF (never raises).

    Drawn by the documents app's render_thumbnail, in an isolated process: a hostile PDF cannot take the
    worker down.
    """
    from portal.documents.ingestion import local_path
    from portal.documents.pdftools import render_thumbnail

    try:
        with local_path(document) as path:
            return render_thumbnail(path, width=width)
    except Exception:  # a missing or unreadable file simply has no generated cover
        logger.info("No cover for document %s", document.pk, exc_info=True)
        return None


def ensure_cover(page) -> bool:
    """Give a public publication without an editor's cover one made from its main PDF; True if set."""
    from wagtail.images import get_image_model

    if page.cover_image_id or page.generated_cover_id:
        return False
    if not policy.can_see_record(policy.ANONYMOUS, page):
        return False
    main = page.main_file
    if main is None:
        return False
    image_model = get_image_model()
    title = f"Cover of document {main.document.pk}"
    image = image_model.objects.filter(title=title).first()
    if image is None:
        png = render_first_page(main.document)
        if png is None:
            return False
        image = image_model(title=title)
        image.file = ImageFile(io.BytesIO(png), name=f"cover-{main.document.pk}.png")
        image.save()
    type(page).objects.filter(pk=page.pk).update(generated_cover=image)
    page.generated_cover = image
    return True
