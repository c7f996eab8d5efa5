"""Course packs: one ZIP of every material of a course the reader may open, streamed from private storage.

What goes in is decided by the access policy (`filter_records` on the modules, `filter_files` on the documents).
Restricted and confidential PDFs go in as the stamped copies a direct download would give, and every non-public
file put in the pack is written to the audit log as a direct download is. A README.txt lists what was left out
because the reader may not open it; items whose record the reader may not see are not mentioned at all.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify

from portal.access import audit, policy, stamping
from portal.documents.models import PortalDocument

from .models import CoursePage, MaterialKind

logger = logging.getLogger(__name__)
CHUNK = 64 * 1024


@dataclass
class PackFile:
    arcname: str
    document: PortalDocument
    label: str
    failed: bool = False  # its stamped copy could not be made: left out, and said so in the README


@dataclass
class Omission:
    label: str
    reason: str


@dataclass
class PackPlan:
    course: CoursePage
    files: list[PackFile] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    left_out: list[Omission] = field(default_factory=list)


def plan_pack(course: CoursePage, audience: policy.Audience) -> PackPlan:
    """What the pack of `course` holds for `audience`, and what it leaves out (naming only visible records)."""
    plan = PackPlan(course)
    modules = list(course.modules(audience).prefetch_related("materials__document"))
    ids = {m.document_id for module in modules for m in module.materials.all() if m.document_id}
    documents = PortalDocument.objects.filter(pk__in=ids)
    visible = set(policy.filter_records(documents, audience).values_list("pk", flat=True))
    openable = set(policy.filter_files(documents, audience).values_list("pk", flat=True))
    for number, module in enumerate(modules, start=1):
        folder = f"{number:02d}-{slugify(module.title)[:60] or 'module'}"
        for position, material in enumerate(sorted(module.materials.all(), key=lambda m: m.sort_order or 0), 1):
            label = f"Module {number}, {module.title} — {material.get_kind_display()}: {material.display_title}"
            if material.document_id is None:
                _plan_link(plan, module, material, label, audience)
            elif material.document_id not in visible:
                continue  # its existence is information: say nothing
            elif material.document_id in openable:
                name = f"{position:02d}-{slugify(material.display_title)[:60] or 'material'}"
                extension = material.document.file_extension
                plan.files.append(
                    PackFile(
                        f"{folder}/{name}.{extension}" if extension else f"{folder}/{name}", material.document, label
                    )
                )
            else:
                plan.left_out.append(Omission(label, policy.explain(audience, material.document)))
    return plan


def _plan_link(plan, module, material, label, audience) -> None:
    if material.kind != MaterialKind.VIDEO_LINK or not material.link_url:
        return
    if policy.can_open_files(audience, module):
        plan.links.append((label, material.link_url))
    else:
        plan.left_out.append(Omission(label, policy.explain(audience, module)))


def stream_pack(plan: PackPlan, request) -> Iterator[bytes]:
    """The ZIP, chunk by chunk: files are read from storage (or stamped) as the download goes."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in plan.files:
            yield from _add_file(archive, sink, item, plan, request)
        archive.writestr("README.txt", readme(plan, request))
    yield sink.take()


def _add_file(archive, sink, item: PackFile, plan: PackPlan, request) -> Iterator[bytes]:
    document = item.document
    where = f"in the course pack of “{plan.course.title}” (#{plan.course.pk})"
    if policy.files_are_stamped(document) and stamping.is_pdf(document):
        data = _stamped(document, item, plan, request)
        if data is not None:
            audit.record(audit.Action.FILE_OPENED, document, request=request, detail=f"stamped copy, {where}")
            archive.writestr(item.arcname, data)
        yield sink.take()
        return
    if not policy.files_are_public(document):
        audit.record(audit.Action.FILE_OPENED, document, request=request, detail=where)
    with document.file.storage.open(document.file.name, "rb") as source, archive.open(item.arcname, "w") as target:
        while chunk := source.read(CHUNK):
            target.write(chunk)
            yield sink.take()
    yield sink.take()


def _stamped(document, item: PackFile, plan: PackPlan, request) -> bytes | None:
    """The stamped copy, as a direct download makes it; None (and the reason in the README) when it fails."""
    try:
        return stamping.stamped_copy(document, stamping.stamp_lines(request.user, document))
    except Exception as exc:  # any failure, whatever its kind, must not fall through to the original
        logger.exception("stamping document %s for a course pack failed", document.pk)
        item.failed = True
        audit.record(audit.Action.STAMP_FAILED, document, request=request, detail=str(exc))
        plan.left_out.append(
            Omission(
                item.label,
                "The copy stamped with your name could not be made; try its download link on the "
                "module page later, or contact the unit.",
            )
        )
        return None


def readme(plan: PackPlan, request) -> str:
    user = request.user
    who = (user.get_full_name() or user.get_username()) if user.is_authenticated else "a reader who is not signed in"
    lines = [
        plan.course.title,
        "=" * min(len(plan.course.title), 79),
        "",
        f"Course pack prepared for {who} on {timezone.now():%Y-%m-%d %H:%M} UTC.",
        f"Course page: {plan.course.get_full_url(request) or plan.course.url}",
        "",
    ]
    included = [f for f in plan.files if not f.failed]
    lines.append(f"In this pack ({len(included)} file{'s' if len(included) != 1 else ''}):")
    lines += [f"  {f.arcname} — {f.label}" for f in included] or ["  (none)"]
    if any(policy.files_are_stamped(f.document) for f in included):
        lines += ["", "Restricted files carry your name: they are not for further distribution."]
    if plan.links:
        lines += ["", "Video links:"] + [f"  {label}: {url}" for label, url in plan.links]
    if plan.left_out:
        lines += ["", "Left out, because you may not open them (ask for access from the module page):"]
        lines += [f"  {o.label}\n    {o.reason}" for o in plan.left_out]
    return "\n".join(lines) + "\n"


def pack_filename(course: CoursePage) -> str:
    return f"{slugify(course.title)[:80] or 'course'}-pack.zip"


class _Sink:
    """A write-only stream zipfile writes into; `take()` hands over what was written since the last call."""

    def __init__(self):
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self._chunks = b"".join(self._chunks), []
        return data
