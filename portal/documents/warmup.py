"""Imported by the extraction fork server only: one extraction there, so that every process forked from it
starts with pypdf's and PDFium's lazy imports and caches already in place (a third of a short file's time)."""

from portal.documents.extraction import warm_up

warm_up()
