"""Text extraction from PDFs, page by page, isolated in a subprocess with a time and a memory limit.

`extract_pdf()` is the one entry point. It never raises: whatever the file, it returns an `ExtractionResult`
with a status and a sentence a person understands.

Which extractor: poppler's `pdftotext` first where it is installed (clean text in every script of the
region), then PDFium (`pypdfium2`, fast but splits and repeats Thai, Khmer and Burmese clusters), then pypdf
(NUL characters and visual-order vowels in those scripts, mojibake on CJK fonts without a usable map). Each
page's text is judged (`textcheck.assess`); a page that looks garbled or suspicious is asked of the next
extractor and the better text kept. pypdf reads the structure: decryption (including files with an empty
user password), metadata, page labels.

A password given by an editor reaches the subprocess on its standard input and only in-process libraries,
never a command line (where other users of the machine could read it), so poppler is not used for such files.

The subprocess is forked from a fork server that imports this module and the PDF libraries, nothing from
Django.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import resource
import shutil
import signal
import subprocess
import threading
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from portal.documents.textcheck import assess, clean_text, guess_language, strip_controls

# Statuses, stored on the document (see models.Document.Status for their labels).
INGESTED = "ingested"
NO_TEXT_PAGES = "ingested_no_text_pages"
GARBLED = "garbled"
NEEDS_PASSWORD = "needs_password"  # noqa: S105 - a status, not a password
UNREADABLE = "unreadable"

# Page states.
PAGE_TEXT = "text"
PAGE_BLANK = "blank"
PAGE_SCANNED = "scanned"
PAGE_GARBLED = "garbled"

DEFAULT_TIMEOUT = 120  # seconds for one file
DEFAULT_MAX_MEMORY = 1024  # MB of address space for the subprocess (and the pdftotext it starts)
MAX_PAGE_CHARS = 200_000  # a dense page has ~6,000; more is a content-stream bomb, not text
EXTRACTORS = ("pdftotext", "pdfium", "pypdf")
_BETTER_BY = 0.05  # a fallback's text replaces the first one's only when clearly better

_ROOT = Path(__file__).resolve().parents[2]
_NO_METADATA = {"title": "", "author": "", "created": ""}


@dataclass
class PageText:
    number: int  # 1-based
    label: str  # the PDF's own page label ("iv", "A-3"), "" when the PDF has none
    text: str
    extractor: str
    state: str = PAGE_TEXT


@dataclass
class ExtractionResult:
    status: str
    message: str
    page_count: int = 0
    pages: list[PageText] = field(default_factory=list)
    extractor: str = ""  # the extractor that produced most of the text
    extractors: dict[str, int] = field(default_factory=dict)  # pages of text per extractor
    language: str = ""
    title: str = ""
    author: str = ""
    created: datetime | None = None
    encrypted: bool = False
    scanned_pages: int = 0
    blank_pages: int = 0
    garbled_pages: int = 0
    seconds: float = 0.0
    peak_memory_mb: float = 0.0
    cpu_seconds: float = 0.0  # of the extraction process and the pdftotext it started
    detail: str = ""  # the reader's own words for a failure, for operators

    @property
    def text_pages(self) -> int:
        return sum(1 for p in self.pages if p.state == PAGE_TEXT)


def available_extractors() -> list[str]:
    names = []
    if shutil.which("pdftotext"):
        names.append("pdftotext")
    for name, module in (("pdfium", "pypdfium2"), ("pypdf", "pypdf")):
        with contextlib.suppress(ImportError):
            __import__(module)
            names.append(name)
    return names


def sniff(head: bytes) -> str:
    """What the first bytes of a file say it is: "pdf", "empty", or a few words on what it is instead."""
    if not head:
        return "empty"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    for magic, what in (
        (b"PK\x03\x04", "a ZIP archive or an Office document"),
        (b"\xd0\xcf\x11\xe0", "an old Office document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"II*\x00", "a TIFF image"),
        (b"MM\x00*", "a TIFF image"),
        (b"{\\rtf", "an RTF document"),
        (b"<", "an HTML or XML page"),
    ):
        if head.lstrip().startswith(magic):
            return what
    return "not a PDF"


def extract_pdf(
    path: str | os.PathLike,
    password: str | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_memory: int = DEFAULT_MAX_MEMORY,
    extractors: list[str] | None = None,
) -> ExtractionResult:
    """Extract the text of every page of the PDF at `path`. Never raises."""
    started = time.monotonic()
    try:
        result = _extract(Path(path), password, timeout, max_memory, extractors or available_extractors())
    except Exception as exc:  # the promise is a status, whatever happened
        result = _unreadable(f"an unexpected error occurred ({type(exc).__name__}: {exc})")
    result.seconds = time.monotonic() - started
    return result


def _unreadable(reason: str) -> ExtractionResult:
    return ExtractionResult(status=UNREADABLE, message=f"Could not be read: {reason}.")


def _extract(
    path: Path, password: str | None, timeout: float, max_memory: int, extractors: list[str]
) -> ExtractionResult:
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        return _unreadable(f"the file cannot be opened ({exc.strerror or exc})")
    kind = sniff(head)
    if kind == "empty":
        return _unreadable("the file is empty (0 bytes)")
    if kind != "pdf":
        return _unreadable(f"this is not a PDF (it looks like {kind})")
    request = {
        "path": str(path),
        "password": password,
        "timeout": timeout,
        "max_memory": max_memory,
        "extractors": list(extractors),
    }
    lines, failure = run_isolated(_extract_in_child, request, timeout=timeout, max_memory=max_memory)
    if failure:
        return _unreadable(failure)
    return _assemble(lines, max_memory, path)


_context_lock = threading.Lock()


def _processes():
    """A fork server with the PDF libraries imported: every file gets a fresh process, forked from it.

    A fresh process per file means a hostile file cannot leave anything behind for the next one; forking it from
    a server that has already imported pypdf and PDFium (and never opened a file) saves the interpreter
    start-up, which costs more than extracting a short PDF.

    As with any multiprocessing start method but fork, a script that extracts must guard its top level with
    `if __name__ == "__main__":` (manage.py, pytest, gunicorn and the task worker do).
    """
    with _context_lock:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["portal.documents.warmup"])
        return context


def run_isolated(target, request: dict, *, timeout: float, max_memory: int) -> tuple[list[dict], str]:
    """Run `target(request, send)` in a fresh process with time and memory limits; collect what it sends.

    `target` sends dicts; the last one has type "end" or "error". Returns (records, "") or ([], the reason in
    plain words) when the process ran out of time or died.
    """
    context = _processes()
    receiver, sender = context.Pipe(duplex=False)
    limits = {"timeout": timeout, "max_memory": max_memory}
    process = context.Process(target=_isolated_entry, args=(target, request, limits, sender), name="pdf-isolated")
    process.start()
    sender.close()
    records: list[dict] = []
    deadline = time.monotonic() + timeout
    try:
        while not records or records[-1]["type"] not in ("end", "error"):
            if not receiver.poll(max(0.0, deadline - time.monotonic())):
                return [], _too_long(timeout)
            records.append(receiver.recv())
    except EOFError:  # the process died: killed by the memory or CPU limit, or crashed in a C library
        if process.exitcode == -signal.SIGXCPU:
            return [], _too_long(timeout)
        return [], (
            f"the PDF reader stopped on this file (it is damaged, or needs more than {max_memory} MB of memory)"
        )
    finally:
        receiver.close()
        _end(process)
    return records, ""


_TINY_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R"
    b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >> endobj\n"
    b"4 0 obj << /Length 44 >> stream\nBT /F1 12 Tf 20 100 Td (warm up text) Tj ET\nendstream endobj\n"
    b"trailer << /Root 1 0 R /Size 5 >>\n%%EOF\n"
)


def warm_up() -> None:
    """Extract a tiny PDF with every extractor, so that lazy imports and caches are loaded."""
    import tempfile

    logging.disable(logging.CRITICAL)
    try:
        with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
            tmp.write(_TINY_PDF)
            tmp.flush()
            request = {"path": tmp.name, "extractors": available_extractors()}
            _child_extract(request, lambda **record: None)
            _Sources(tmp.name, "", ["pypdf"]).page(0)
            datetime.strptime("2024", "%Y")
    except Exception:  # noqa: S110 - warming up is an optimisation only
        pass
    finally:
        logging.disable(logging.NOTSET)


def _too_long(timeout: float) -> str:
    return f"took longer than {timeout:g} second{'' if timeout == 1 else 's'}"


def _end(process) -> None:
    """End the process and the pdftotext it may have started (its own session, see _child_entry)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError, PermissionError, AttributeError):
        process.kill()
    process.join()
    with contextlib.suppress(ValueError):
        process.close()


def _assemble(lines: list[dict], max_memory: int, path: Path) -> ExtractionResult:
    head, tail = lines[0], lines[-1]
    if tail["type"] == "error":
        return _from_error(tail, head if head["type"] == "doc" else {}, max_memory, path)
    result = ExtractionResult(status=INGESTED, message="")
    result.page_count = head["page_count"]
    result.encrypted = head.get("encrypted", False)
    result.title = head.get("title", "")
    result.author = head.get("author", "")
    if head.get("created"):
        with contextlib.suppress(ValueError):
            result.created = datetime.fromisoformat(head["created"])
    result.pages = [
        PageText(p["number"], p["label"], p["text"], p["extractor"], p["state"]) for p in lines if p["type"] == "page"
    ]
    result.peak_memory_mb = tail.get("peak_memory_mb", 0.0)
    result.cpu_seconds = tail.get("cpu_seconds", 0.0)
    _summarise(result)
    return result


def _from_error(tail: dict, head: dict, max_memory: int, path: Path) -> ExtractionResult:
    kind = tail.get("kind")
    if kind == "password":
        result = ExtractionResult(
            status=NEEDS_PASSWORD,
            message=(
                "The password given does not open this PDF; try again with the right one."
                if tail.get("wrong")
                else "This PDF is protected by a password: give it once in the admin to retry (it is not stored)."
            ),
            encrypted=True,
        )
        result.page_count = head.get("page_count", 0)
        return result
    if kind == "memory":
        return _unreadable(f"it needs more than {max_memory} MB of memory")
    if kind == "no_pages":
        return _unreadable("the PDF has no pages")
    result = _unreadable(_plain_reason(path, tail.get("detail") or ""))
    result.detail = tail.get("detail") or ""
    return result


def _plain_reason(path: Path, detail: str) -> str:
    with contextlib.suppress(OSError), path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - 2048))
        if b"%%EOF" not in fh.read():
            return "the file is incomplete: it stops before the end of the PDF (an interrupted download?)"
    lowered = detail.lower()
    if "/pages" in lowered or "page" in lowered:
        return "the PDF is damaged: its list of pages is broken, so no page can be found"
    if "xref" in lowered or "trailer" in lowered:
        return "the PDF is damaged: its table of objects is broken beyond repair"
    return "the PDF is damaged and no PDF reader could open it"


def _summarise(result: ExtractionResult) -> None:
    states = Counter(p.state for p in result.pages)
    result.scanned_pages = states[PAGE_SCANNED]
    result.blank_pages = states[PAGE_BLANK]
    result.garbled_pages = states[PAGE_GARBLED]
    by_extractor = Counter(p.extractor for p in result.pages if p.state == PAGE_TEXT)
    result.extractors = dict(by_extractor)
    result.extractor = by_extractor.most_common(1)[0][0] if by_extractor else ""
    result.language = guess_language("\n".join(p.text for p in result.pages if p.state == PAGE_TEXT))
    result.status, result.message = _status(result, states[PAGE_TEXT])


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _status(result: ExtractionResult, text: int) -> tuple[str, str]:
    total, scanned = result.page_count, result.scanned_pages
    garbled, blank = result.garbled_pages, result.blank_pages
    if garbled and garbled >= text:
        return GARBLED, (
            f"The text looks garbled on {garbled} of {_plural(total, 'page')} (the PDF's fonts do not map to "
            "real characters), so it is not searchable: it needs OCR or a better copy of the file."
        )
    notes = []
    if garbled:
        notes.append(f"{_plural(garbled, 'page')} with garbled text left out")
    if blank:
        notes.append(f"{_plural(blank, 'blank page')}")
    extra = f" ({', '.join(notes)})" if notes else ""
    are = "is a scanned image" if scanned == 1 else "are scanned images"
    if scanned and not text:
        if scanned == total:
            what = "the page is a scanned image" if total == 1 else f"the {total} pages are scanned images"
        else:
            what = f"{_plural(scanned, 'page')} {are}"
        return NO_TEXT_PAGES, f"No page has text: {what}{extra}; it needs OCR to be searchable."
    if scanned:
        return NO_TEXT_PAGES, (
            f"Text extracted from {text} of {_plural(total, 'page')}; {_plural(scanned, 'page')} {are} "
            f"without text{extra} and will need OCR."
        )
    if not text:
        return INGESTED, f"The PDF has {_plural(total, 'page')} but no text on any of them{extra}."
    if text == total:
        return INGESTED, f"Text extracted from {'the only page' if total == 1 else f'all {total} pages'}."
    return INGESTED, f"Text extracted from {text} of {_plural(total, 'page')}{extra}."


# --- in the subprocess ----------------------------------------------------------------------------------


class _PasswordNeeded(Exception):
    def __init__(self, wrong: bool):
        self.wrong = wrong


class _Damaged(Exception):
    pass


def _isolated_entry(target, request: dict, limits: dict, conn) -> None:
    os.setsid()  # a process group of its own, so that a timeout also ends the pdftotext it starts
    _limit_resources(limits["max_memory"], limits["timeout"])
    logging.disable(logging.CRITICAL)  # pypdf logs every oddity of every file; the status says what matters
    warnings.simplefilter("ignore")
    try:
        target(request, conn.send)
    except MemoryError:
        conn.send({"type": "error", "kind": "memory"})
    except Exception as exc:
        conn.send({"type": "error", "kind": "damaged", "detail": f"{type(exc).__name__}: {exc}"[:300]})
    finally:
        conn.close()


def _extract_in_child(request: dict, send) -> None:
    try:
        _child_extract(request, lambda **record: send(record))
    except _PasswordNeeded as exc:
        send({"type": "error", "kind": "password", "wrong": exc.wrong})
    except _Damaged as exc:
        send({"type": "error", "kind": "damaged", "detail": str(exc)[:300]})


def _limit_resources(max_memory_mb: int, timeout: float) -> None:
    limit = int(max_memory_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = int(timeout) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child_extract(request: dict, emit) -> None:
    path, password = request["path"], request.get("password") or ""
    extractors = [e for e in request["extractors"] if e in EXTRACTORS]
    if password:
        extractors = [e for e in extractors if e != "pdftotext"]  # see the module docstring
    sources = _Sources(path, password, extractors)
    try:
        sources.start()  # pdftotext works on the text (on the other core) while pypdf reads the structure
        structure = sources.structure()
        emit(type="doc", **structure)
        labels = structure.pop("labels")
        for index in range(structure["page_count"]):
            text, extractor, state = sources.page(index)
            label = labels[index] if labels and index < len(labels) else ""
            emit(type="page", number=index + 1, label=label, text=text, extractor=extractor, state=state)
    finally:
        sources.close()
    usages = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    emit(
        type="end",
        peak_memory_mb=round(max(u.ru_maxrss for u in usages) / 1024, 1),
        cpu_seconds=round(sum(u.ru_utime + u.ru_stime for u in usages), 3),
    )


class _Sources:
    """The open readers of one file, each opened on first use, pages read one at a time."""

    def __init__(self, path: str, password: str, extractors: list[str]):
        self.path, self.password, self.extractors = path, password, extractors
        self._pypdf = self._pdfium = None
        self._pypdf_failed = self._pdfium_failed = False
        self._poppler = None  # iterator over pdftotext's pages, in order
        self._poppler_next = 0

    def start(self) -> None:
        if self.extractors and self.extractors[0] == "pdftotext":
            self._start_poppler()

    def _start_poppler(self) -> None:
        self._poppler = _poppler_pages(self.path)
        next(self._poppler)  # runs up to the process start

    # structure ------------------------------------------------------------------------------------------

    def structure(self) -> dict:
        try:
            return self._pypdf_structure()
        except _PasswordNeeded:
            raise
        except Exception as exc:
            pypdf_error = f"{type(exc).__name__}: {exc}"
        try:
            return self._pdfium_structure()
        except _PasswordNeeded:
            raise
        except Exception:  # noqa: S110 - poppler is the last resort below
            pass
        count = self._poppler_page_count()
        if count:
            return {"page_count": count, "encrypted": False, "labels": None, **_NO_METADATA}
        raise _Damaged(pypdf_error)

    def _pypdf_structure(self) -> dict:
        import pypdf

        reader = pypdf.PdfReader(self.path, strict=False)
        encrypted = reader.is_encrypted
        if encrypted and not reader.decrypt(self.password):
            raise _PasswordNeeded(wrong=bool(self.password))
        self._pypdf = reader
        count = self._pdfium_page_count()
        if count is None:
            count = len(reader.pages)
        if not count:
            raise _Damaged("the PDF has no pages")
        return {
            "page_count": count,
            "encrypted": encrypted,
            **_pypdf_metadata(reader),
            "labels": _pypdf_labels(reader, count),
        }

    def _pdfium_page_count(self) -> int | None:
        """PDFium counts pages without building them; pypdf builds its whole page list to count."""
        if "pdfium" not in self.extractors:
            return None
        try:
            doc = self._pdfium_doc()
        except _PasswordNeeded:
            return None
        return len(doc) if doc is not None else None

    def _pdfium_structure(self) -> dict:
        doc = self._pdfium_doc()
        if doc is None:
            raise _Damaged("PDFium cannot open it")
        meta = {}
        with contextlib.suppress(Exception):
            meta = doc.get_metadata_dict(skip_empty=True)
        labels = None
        with contextlib.suppress(Exception):
            labels = [doc.get_page_label(i) or "" for i in range(len(doc))]
            if not any(labels):
                labels = None
        return {
            "page_count": len(doc),
            "encrypted": False,
            "title": _clean_meta(meta.get("Title")),
            "author": _clean_meta(meta.get("Author")),
            "created": _pdf_date(meta.get("CreationDate")),
            "labels": labels,
        }

    # pages ----------------------------------------------------------------------------------------------

    def page(self, index: int) -> tuple[str, str, str]:
        """(text, extractor, state) of a page: the first extractor's text, or a better one's if it is bad."""
        best, tried = None, 0
        for name in self.extractors:
            raw = self._page_text(name, index)
            if raw is None:
                continue
            tried += 1
            text = clean_text(raw[:MAX_PAGE_CHARS])
            quality = assess(text)
            if best is None or quality.score > best[2].score + _BETTER_BY:
                best = (text, name, quality)
            # A doubtful page gets a second opinion; only a garbled one gets a third (the slowest extractor
            # is last, and a page two extractors find empty has no text for the third either).
            if not best[2].suspicious or (tried >= 2 and not best[2].garbled):
                break
        if best is None:
            return "", "", self._empty_page_state(index)
        text, name, quality = best
        if not quality.visible:
            return "", "", self._empty_page_state(index)
        return strip_controls(text), name, PAGE_GARBLED if quality.garbled else PAGE_TEXT

    def _page_text(self, name: str, index: int) -> str | None:
        try:
            if name == "pdftotext":
                return self._poppler_page(index)
            if name == "pdfium":
                return self._pdfium_page(index)
            return self._pypdf_page(index)
        except MemoryError:
            raise
        except Exception:
            return None

    def _poppler_page(self, index: int) -> str | None:
        if self._poppler is None:
            self._start_poppler()
        while self._poppler_next <= index:
            text = next(self._poppler, None)
            self._poppler_next += 1
            if text is None:
                return None
        return text

    def _poppler_page_count(self) -> int:
        if "pdftotext" not in self.extractors:
            return 0
        return sum(1 for page in _poppler_pages(self.path) if page is not None)

    def _pdfium_doc(self):
        if self._pdfium is None and not self._pdfium_failed:
            try:
                import pypdfium2

                self._pdfium = pypdfium2.PdfDocument(self.path, password=self.password or None)
            except Exception as exc:
                self._pdfium_failed = True
                if "password" in str(exc).lower():
                    raise _PasswordNeeded(wrong=bool(self.password)) from exc
        return self._pdfium

    def _pdfium_page(self, index: int) -> str | None:
        doc = self._pdfium_doc()
        if doc is None:
            return None
        page = doc[index]
        try:
            textpage = page.get_textpage()
            try:
                # PDFium marks a hyphen it removed at a line end with U+0002.
                return textpage.get_text_bounded().replace("\x02", "")
            finally:
                textpage.close()
        finally:
            page.close()

    def _pypdf_page(self, index: int) -> str | None:
        if self._pypdf is None:
            return None
        return self._pypdf.pages[index].extract_text()

    def _empty_page_state(self, index: int) -> str:
        """A page without text is scanned when it shows an image, garbled when it draws unmappable text."""
        try:
            doc = self._pdfium_doc()
        except _PasswordNeeded:
            doc = None
        if doc is None:
            return PAGE_SCANNED if self._pypdf_has_image(index) else PAGE_BLANK
        import pypdfium2.raw as pdfium_c

        page = doc[index]
        try:
            kinds = {obj.type for obj in page.get_objects(max_depth=3)}
        except Exception:
            kinds = set()
        finally:
            page.close()
        if pdfium_c.FPDF_PAGEOBJ_IMAGE in kinds:
            return PAGE_SCANNED
        if pdfium_c.FPDF_PAGEOBJ_TEXT in kinds or (not kinds and self._pypdf_has_fonts(index)):
            # Text is drawn but no extractor can name its characters (or the stream that draws it is damaged).
            return PAGE_GARBLED
        return PAGE_BLANK

    def _pypdf_has_image(self, index: int) -> bool:
        if self._pypdf is None:
            return False
        try:
            return bool(self._pypdf.pages[index].images)
        except Exception:
            return False

    def _pypdf_has_fonts(self, index: int) -> bool:
        if self._pypdf is None:
            return False
        try:
            resources = _pypdf_page_resources(self._pypdf, index)
            return bool(resources.get_object().get("/Font"))
        except Exception:
            return False

    def close(self) -> None:
        if self._pdfium is not None:
            with contextlib.suppress(Exception):
                self._pdfium.close()
        if self._poppler is not None:
            self._poppler.close()


def _poppler_pages(path: str):
    """Yield pdftotext's text page by page as it is produced; nothing if pdftotext fails on the file."""
    proc = subprocess.Popen(  # noqa: S603
        ["pdftotext", "-q", "-enc", "UTF-8", path, "-"],  # noqa: S607 - Debian's poppler-utils on PATH
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    yield None  # started: the first next() returns here, the pages follow
    buffer = b""
    try:
        while chunk := proc.stdout.read(65536):
            buffer += chunk
            *pages, buffer = buffer.split(b"\f")
            for page in pages:
                yield page.decode("utf-8", "replace")
            if len(buffer) > MAX_PAGE_CHARS * 4:
                buffer = buffer[: MAX_PAGE_CHARS * 4]
    finally:
        proc.stdout.close()
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def _pypdf_metadata(reader) -> dict:
    meta = None
    with contextlib.suppress(Exception):
        meta = reader.metadata
    if not meta:
        return dict(_NO_METADATA)
    created = ""
    with contextlib.suppress(Exception):
        created = meta.creation_date.isoformat() if meta.creation_date else ""
    if not created:
        with contextlib.suppress(Exception):
            created = _pdf_date(meta.get("/CreationDate"))
    title = author = ""
    with contextlib.suppress(Exception):
        title = _clean_meta(meta.title)
    with contextlib.suppress(Exception):
        author = _clean_meta(meta.author)
    return {"title": title, "author": author, "created": created}


def _pypdf_labels(reader, count: int) -> list[str] | None:
    """The PDF's page labels, or None when it defines none (pypdf would invent "1", "2", ...).

    `count` pages are labelled: pypdf's own `page_labels` first builds its list of every page object to count
    them, which costs more than the labels on a long file.
    """
    try:
        if "/PageLabels" not in reader.trailer["/Root"]:
            return None
        try:
            from pypdf._page_labels import index2labels
        except ImportError:  # a pypdf without it
            return list(reader.page_labels)
        return index2labels(reader, count)
    except Exception:
        return None


def _pypdf_page_resources(reader, index: int):
    """The /Resources of page `index`, found by walking down the page tree by its /Count entries.

    pypdf's `reader.pages[index]` first flattens the whole tree (every page object of a 400-page file) for one
    page; the walk reads one branch. Resources are inherited from the tree's nodes. A tree whose counts do not
    add up is left to pypdf.
    """
    node, wanted = reader.root_object["/Pages"].get_object(), index
    resources = node.get("/Resources")
    for _depth in range(64):
        if "/Kids" not in node:
            if index != 0:
                break
            return node.get("/Resources", resources) or {}
        for kid in node["/Kids"]:
            kid = kid.get_object()
            size = int(kid.get("/Count", 1)) if "/Kids" in kid else 1
            if index < size:
                node = kid
                resources = node.get("/Resources", resources)
                break
            index -= size
        else:
            break
    return reader.pages[wanted].get("/Resources") or {}


def _clean_meta(value) -> str:
    if not value:
        return ""
    text = str(value).replace("\x00", "").strip()
    return text[:500] if assess(text).badness < 0.2 else ""


def _pdf_date(value) -> str:
    """A PDF date string (D:20230117120000+01'00') as ISO 8601, "" when it is not one."""
    if not value:
        return ""
    digits = str(value).removeprefix("D:")[:14]
    for fmt, length in (("%Y%m%d%H%M%S", 14), ("%Y%m%d%H%M", 12), ("%Y%m%d", 8), ("%Y%m", 6), ("%Y", 4)):
        with contextlib.suppress(ValueError):
            return datetime.strptime(digits[:length], fmt).isoformat()
    return ""
