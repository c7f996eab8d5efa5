"""Cover images made from the first page of a publication's main PDF.

Images live in private storage and are served through the access policy (`portal.images`): a cover takes the
tiers of the file it shows, so the title page of a restricted report is seen only by those who may open it.
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
    """Give a publication without an editor's cover one made from its main PDF; True if set.

    The cover shows the first page of a file, so it is kept as closed as that file and as the page's files (an
    existing cover is closed again each time the page is published); the image view shows it only to those who
    may open them.
    """
    if page.cover_image_id:
        return False
    main = page.main_file
    if page.generated_cover_id:
        if main is not None:
            _close_cover(page.generated_cover, page, main.document)
        return False
    if main is None:
        return False
    image = _cover_image(main.document)
    if image is None:
        return False
    _close_cover(image, page, main.document)
    type(page).objects.filter(pk=page.pk).update(generated_cover=image)
    page.generated_cover = image
    return True


def _cover_image(document):
    from wagtail.images import get_image_model

    image_model = get_image_model()
    title = f"Cover of document {document.pk}"
    image = image_model.objects.filter(title=title).first()
    if image is None:
        png = render_first_page(document)
        if png is None:
            return None
        image = image_model(title=title)
        image.file = ImageFile(io.BytesIO(png), name=f"cover-{document.pk}.png")
        image.save()
    return image


def _close_cover(image, page, document) -> None:
    changed = policy.close_to_container(image, document)
    if policy.close_to_container(image, page) or changed:
        image.save()
