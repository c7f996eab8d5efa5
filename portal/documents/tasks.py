"""The ingestion task: in-process in the embedded default, `manage.py db_worker` with the database backend."""

import logging

from django_tasks import task

from portal.documents import ingestion
from portal.documents.models import PortalDocument

logger = logging.getLogger(__name__)


@task()
def ingest_document(document_id: int) -> str:
    """Read one document into pages. Returns its new status; never leaves it "processing"."""
    ingestion.release_stuck()
    document = ingestion.claim(document_id)
    if document is None:
        return "not waiting"
    try:
        return ingestion.ingest(document).status
    except Exception:
        # Not the file (extraction never raises) but the machinery, e.g. the database: try again, boundedly.
        logger.exception("Ingestion of document %s failed", document_id)
        retry = document.attempts < ingestion.MAX_ATTEMPTS
        status = PortalDocument.Status.PENDING if retry else PortalDocument.Status.UNREADABLE
        PortalDocument.objects.filter(pk=document_id).update(
            status=status,
            processing_started_at=None,
            message="" if retry else "Could not be read: the portal failed while reading it; ask an operator.",
        )
        if retry:
            ingestion.enqueue_ingestion(document)
        return status
