"""Lines of text in any script of the region, typeset for a PDF: the stamp on restricted downloads.

Each character is given the first font of `STAMP_FONTS` that has a glyph for it (marks, spaces and punctuation
stay with the font of the letters before them), HarfBuzz shapes each run of one font (Thai and Lao marks stacked,
Khmer and Burmese vowels and medials reordered, Vietnamese accents placed), and the glyphs are drawn from
subsets of those fonts embedded as CID fonts.

Copying or extracting the stamp gives the text as it was typed: each line is marked with it (`/ActualText`), and
for readers that ignore that, the first glyph of each cluster maps to the cluster's characters (`/ToUnicode`).
In TrueType fonts a glyph that stands for different characters in different places (a Khmer subscript, a Burmese
vowel sign drawn before its consonant) gets one code per use, so that each mapping is right.
"""

from __future__ import annotations

import hashlib
import struct
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import uharfbuzz as hb
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

_NOTO = "/usr/share/fonts/truetype/noto"
# (file, family of the face in a collection) in order of preference; a character takes the first that covers it.
STAMP_FONTS: tuple[tuple[str, str], ...] = (
    (f"{_NOTO}/NotoSans-Regular.ttf", ""),  # Latin with every Vietnamese letter, Greek, Cyrillic
    (f"{_NOTO}/NotoSansThai-Regular.ttf", ""),
    ("/usr/share/fonts/truetype/tlwg/Garuda.ttf", ""),  # Thai again, if Noto Sans Thai is missing
    (f"{_NOTO}/NotoSansLao-Regular.ttf", ""),
    (f"{_NOTO}/NotoSansKhmer-Regular.ttf", ""),
    (f"{_NOTO}/NotoSansMyanmar-Regular.ttf", ""),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),  # Chinese (simplified forms)
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", ""),  # symbols the others lack
)
# Marks, spaces, punctuation, symbols and digits stay in the run before them when its font has them, so that a
# Thai name's tone marks and the space after it do not break the run that HarfBuzz shapes.
_FOLLOWERS = ("M", "Z", "P", "S", "N")
_LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "morx", "kerx", "VORG", "vhea", "vmtx")

AddObject = Callable[[PdfObject], PdfObject]  # the writer's: a PDF object in, an indirect reference out


class NoStampFont(Exception):
    """None of the stamp fonts is installed."""


@dataclass(frozen=True)
class Glyph:
    """One shaped glyph; lengths in thousandths of the font size, as PDF text space wants them."""

    gid: int
    text: str  # the characters it stands for when text is extracted ("" for the second glyph of a cluster on)
    advance: int  # where HarfBuzz moves the pen
    dx: int
    dy: int
    width: int  # where PDF moves it: the glyph's own advance, written in the font's /W


@dataclass
class StampFont:
    """One font file (one face of a collection), and the glyphs drawn with it so far."""

    face: hb.Face
    font: hb.Font
    resource_name: str
    uses: dict[tuple[int, str], None] = field(default_factory=dict)  # (gid, text), in order of first use

    def covers(self, char: str) -> bool:
        return self.font.get_nominal_glyph(ord(char)) is not None

    def scale(self, value: int) -> int:
        return round(value * 1000 / self.face.upem)

    def width(self, gid: int) -> int:
        return self.scale(self.font.get_glyph_h_advance(gid))

    @property
    def is_cff(self) -> bool:
        return "CFF " in self.face.table_tags

    @property
    def gids(self) -> set[int]:
        return {gid for gid, _ in self.uses}


@dataclass
class Run:
    font: StampFont
    glyphs: list[Glyph]


class FontSet:
    """The stamp fonts that are installed, each opened when a character first needs it."""

    def __init__(self, candidates: tuple[tuple[str, str], ...] = STAMP_FONTS):
        self._candidates = [(path, family) for path, family in candidates if Path(path).is_file()]
        if not self._candidates:
            raise NoStampFont("no stamp font is installed (Debian packages fonts-noto-core, fonts-noto-cjk)")
        self._opened: dict[int, StampFont | None] = {}

    @property
    def used(self) -> list[StampFont]:
        return [font for font in self._opened.values() if font and font.uses]

    def font_for(self, char: str, current: StampFont | None) -> StampFont:
        category = unicodedata.category(char)
        # Joiners and other format characters are HarfBuzz's to hide or use, whatever the font has.
        if current and (category == "Cf" or (category.startswith(_FOLLOWERS) and current.covers(char))):
            return current
        for position in range(len(self._candidates)):
            font = self._open(position)
            if font and font.covers(char):
                return font
        # Nothing covers it: the .notdef box of the current (or first) font shows that something is there.
        fallback = current or next((font for font in self._opened.values() if font), None)
        if fallback is None:
            raise NoStampFont("none of the stamp fonts could be read")
        return fallback

    def _open(self, position: int) -> StampFont | None:
        if position not in self._opened:
            path, family = self._candidates[position]
            blob = hb.Blob.from_file_path(path)
            index = _face_index(blob, family)
            face = hb.Face(blob, index) if index is not None else None
            self._opened[position] = face and StampFont(face, hb.Font(face), f"/CAUStampF{position}")
        return self._opened[position]


def _face_index(blob: hb.Blob, family: str) -> int | None:
    if not family:
        return 0
    faces = (hb.Face(blob, index) for index in range(hb.Face(blob).count))
    return next((face.index for face in faces if face.get_name(hb.OTNameIdPredefined.FONT_FAMILY) == family), None)


def shape_line(text: str, fonts: FontSet) -> list[Run]:
    """The line cut into runs of one font, each shaped by HarfBuzz."""
    runs: list[tuple[StampFont, str]] = []
    for char in text:
        font = fonts.font_for(char, runs[-1][0] if runs else None)
        if runs and runs[-1][0] is font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return [Run(font, shape(font, chunk)) for font, chunk in runs]


def shape(font: StampFont, text: str) -> list[Glyph]:
    """HarfBuzz's glyphs for `text` in `font`, each with the characters it stands for."""
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font.font, buffer)
    clusters = [info.cluster for info in buffer.glyph_infos]
    starts = sorted(set(clusters))
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    glyphs, seen, pen = [], set(), 0
    for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        chars = "" if info.cluster in seen else text[info.cluster : ends[info.cluster]]
        seen.add(info.cluster)
        start = font.scale(pen)  # rounded from the exact pen, so that rounding does not add up along the line
        advance, dx = font.scale(pen + pos.x_advance) - start, font.scale(pen + pos.x_offset) - start
        glyphs.append(Glyph(info.codepoint, chars, advance, dx, font.scale(pos.y_offset), font.width(info.codepoint)))
        font.uses[(info.codepoint, chars)] = None
        pen += pos.x_advance
    return glyphs


def typeset(lines: list[str], size: float, origin: tuple[float, float], add_object: AddObject):
    """Content-stream operators drawing `lines` one under the other, the last one's baseline at `origin`, the
    /Font resource dictionary they use, and how far right the longest line reaches. Raises NoStampFont."""
    lines = ["".join(" " if unicodedata.category(c) == "Cc" else c for c in line) for line in lines]
    fonts = FontSet()
    shaped = [shape_line(line, fonts) for line in lines]
    resources, codes = DictionaryObject(), {}
    for font in fonts.used:
        subset, new_gid = _subset(font)
        codes[font.resource_name] = _codes(font, new_gid)
        font_dict = _type0_font(font, subset, new_gid, codes[font.resource_name], add_object)
        resources[NameObject(font.resource_name)] = add_object(font_dict)
    longest = max((sum(glyph.advance for run in runs for glyph in run.glyphs) for runs in shaped), default=0)
    reach = origin[0] + longest * size / 1000
    return text_operators(shaped, lines, codes, size, origin), resources, reach


def text_operators(lines: list[list[Run]], texts: list[str], codes: dict, size: float, origin) -> str:
    x, y = origin
    leading = size * 1.3
    ops = ["BT"]
    for i, (runs, text) in enumerate(zip(lines, texts, strict=True)):
        ops.append(f"/Span <</ActualText {_text_string(text)}>> BDC")
        ops.append(f"1 0 0 1 {_num(x)} {_num(y + (len(lines) - 1 - i) * leading)} Tm")
        pen = drawn = 0  # where HarfBuzz puts the next glyph, where PDF would put it
        for run in runs:
            ops.append(f"{run.font.resource_name} {_num(size)} Tf")
            pen, drawn = _show_run(run, codes[run.font.resource_name], size, (pen, drawn), ops)
        ops.append("EMC")
    ops.append("ET")
    return "\n".join(ops)


def _show_run(run: Run, codes: dict, size: float, position: tuple[int, int], ops: list[str]) -> tuple[int, int]:
    """TJ arrays for the run; a kerning number wherever HarfBuzz's pen and PDF's differ, a text rise for marks
    that HarfBuzz moves up or down."""
    pen, drawn = position
    rise, shown = 0, []
    for glyph in run.glyphs:
        if glyph.dy != rise:
            _flush(shown, ops)
            rise = glyph.dy
            ops.append(f"{_num(rise * size / 1000)} Ts")
        target = pen + glyph.dx
        if target != drawn:
            shown.append(str(drawn - target))
        shown.append(f"<{codes[(glyph.gid, glyph.text)]:04X}>")
        drawn = target + glyph.width
        pen += glyph.advance
    _flush(shown, ops)
    if rise:
        ops.append("0 Ts")
    return pen, drawn


def _flush(shown: list[str], ops: list[str]) -> None:
    if shown:
        ops.append(f"[{''.join(shown)}] TJ")
        shown.clear()


def _subset(font: StampFont) -> tuple[hb.Face, dict[int, int]]:
    """The font cut down to the glyphs drawn, and the new glyph id of each. A CID-keyed CFF font gets CID = glyph
    id, so that PDF codes (which are CIDs) can be glyph ids."""
    request = hb.SubsetInput()
    request.glyph_set.update(font.gids)
    request.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NO_LAYOUT_CLOSURE | hb.SubsetFlags.CFF_IDENTITY_CHARSET
    request.drop_table_tag_set.update(int.from_bytes(tag.encode("ascii"), "big") for tag in _LAYOUT_TABLES)
    plan = hb.SubsetPlan(font.face, request)
    new_gid = dict(plan.old_to_new_glyph_mapping.items())
    return plan.execute(), new_gid


def _codes(font: StampFont, new_gid: dict[int, int]) -> dict[tuple[int, str], int]:
    """The code of each use of a glyph: one per use in TrueType fonts (their /CIDToGIDMap maps codes to glyphs);
    in CFF fonts, where codes select glyphs directly, the glyph's id."""
    if font.is_cff:
        return {use: new_gid[use[0]] for use in font.uses}
    return {use: code for code, use in enumerate(font.uses, start=1)}


def _type0_font(font: StampFont, subset: hb.Face, new_gid: dict, codes: dict, add_object: AddObject):
    name = NameObject(f"/{_subset_tag(font)}+{font.face.get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME) or 'Stamp'}")
    widths = {code: font.width(gid) for (gid, _), code in codes.items()}
    descendant = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/CIDFontType0" if font.is_cff else "/CIDFontType2"),
            NameObject("/BaseFont"): name,
            NameObject("/CIDSystemInfo"): DictionaryObject(
                {
                    NameObject("/Registry"): TextStringObject("Adobe"),
                    NameObject("/Ordering"): TextStringObject("Identity"),
                    NameObject("/Supplement"): NumberObject(0),
                }
            ),
            NameObject("/FontDescriptor"): add_object(_descriptor(font, subset, name, add_object)),
            NameObject("/W"): ArrayObject(
                v for code in sorted(widths) for v in (NumberObject(code), ArrayObject([NumberObject(widths[code])]))
            ),
        }
    )
    if not font.is_cff:
        cid_to_gid = [0] * (max(codes.values()) + 1)
        for (gid, _), code in codes.items():
            cid_to_gid[code] = new_gid[gid]
        descendant[NameObject("/CIDToGIDMap")] = add_object(_stream(struct.pack(f">{len(cid_to_gid)}H", *cid_to_gid)))
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type0"),
            NameObject("/BaseFont"): name,
            NameObject("/Encoding"): NameObject("/Identity-H"),
            NameObject("/DescendantFonts"): ArrayObject([add_object(descendant)]),
            NameObject("/ToUnicode"): add_object(_stream(_to_unicode_cmap(codes))),
        }
    )


def _subset_tag(font: StampFont) -> str:
    digest = hashlib.sha256(repr(sorted(font.gids)).encode()).digest()
    return "".join(chr(ord("A") + byte % 26) for byte in digest[:6])


def _descriptor(font: StampFont, subset: hb.Face, name: NameObject, add_object: AddObject) -> DictionaryObject:
    extents = font.font.get_font_extents("ltr")
    x_min, y_min, x_max, y_max = struct.unpack(">4h", font.face.reference_table("head").data[36:44])
    program = _stream(subset.blob.data)
    if font.is_cff:  # the whole OpenType subset (PDF 1.6), so that readers and tests can open it like any font
        program[NameObject("/Subtype")] = NameObject("/OpenType")
    program_key = "/FontFile3" if font.is_cff else "/FontFile2"
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/FontDescriptor"),
            NameObject("/FontName"): name,
            NameObject("/Flags"): NumberObject(4),  # symbolic: glyphs are picked by code, not by a standard encoding
            NameObject("/FontBBox"): ArrayObject(NumberObject(font.scale(v)) for v in (x_min, y_min, x_max, y_max)),
            NameObject("/ItalicAngle"): NumberObject(0),
            NameObject("/Ascent"): NumberObject(font.scale(extents.ascender)),
            NameObject("/Descent"): NumberObject(font.scale(extents.descender)),
            NameObject("/CapHeight"): NumberObject(font.scale(extents.ascender)),
            NameObject("/StemV"): NumberObject(80),
            NameObject(program_key): add_object(program),
        }
    )


def _to_unicode_cmap(codes: dict[tuple[int, str], int]) -> bytes:
    texts: dict[int, str] = {}
    for (_, text), code in codes.items():
        if text and code not in texts:  # a CFF glyph used for several texts keeps the first
            texts[code] = text
    entries = [f"<{code:04X}> <{text.encode('utf-16-be').hex().upper()}>" for code, text in sorted(texts.items())]
    blocks = [
        f"{len(entries[i : i + 100])} beginbfchar\n" + "\n".join(entries[i : i + 100]) + "\nendbfchar\n"
        for i in range(0, len(entries), 100)
    ]
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "".join(blocks)
        + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


def _stream(data: bytes):
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream.flate_encode()


def _text_string(text: str) -> str:
    """A PDF text string (UTF-16 with its byte-order mark) in hexadecimal."""
    return "<" + ("\ufeff" + text).encode("utf-16-be").hex().upper() + ">"


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"
