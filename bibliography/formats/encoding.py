"""Reading uploaded bibliography files whatever their encoding, or refusing them clearly.

Reference managers write UTF-8, but older Chinese-language exports are GBK and older Western ones
Latin-1 / Windows-1252. A file that is not text at all (a PDF, a Word file) is refused with a message
naming the problem.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass


class UnreadableFile(ValueError):
    """The file is not text in an encoding we can read; the message says why."""


@dataclass
class DecodedText:
    text: str
    encoding: str


_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (a Word, Excel or similar file)",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
}


def decode_bytes(data: bytes) -> DecodedText:
    """Decode a bibliography file: UTF-8 (with or without BOM), UTF-16 with BOM, GBK, else Latin-1."""
    _refuse_binary(data)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return DecodedText(data.decode("utf-16"), "utf-16")
    if data.startswith(codecs.BOM_UTF8):
        return DecodedText(_strict(data[3:], "utf-8", "UTF-8 with a byte-order mark"), "utf-8-sig")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if _looks_like_gbk(data):
        return DecodedText(data.decode("gbk"), "gbk")
    try:
        return DecodedText(data.decode("cp1252"), "windows-1252")
    except UnicodeDecodeError:
        return DecodedText(data.decode("latin-1"), "latin-1")


def _strict(data: bytes, encoding: str, label: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"The file says it is {label} but byte {exc.start} is not valid {encoding}; "
            "save it again as UTF-8 and re-import."
        ) from exc


def _refuse_binary(data: bytes) -> None:
    for signature, what in _SIGNATURES.items():
        if data.startswith(signature):
            raise UnreadableFile(f"This is {what}, not a BibTeX or RIS text file.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    if b"\x00" in data[:4096]:
        raise UnreadableFile(
            "The file contains NUL bytes: it is binary or UTF-16 without a byte-order mark, "
            "not a BibTeX or RIS text file."
        )


def _looks_like_gbk(data: bytes) -> bool:
    """True when the bytes decode as GBK and read like Chinese, not like accented Latin-1.

    Latin-1 text often decodes as GBK too ('ü' + 'l' is a valid GBK pair), so we also ask that most
    double-byte characters use two high bytes and land in the CJK ideograph blocks.
    """
    try:
        text = data.decode("gbk")
    except UnicodeDecodeError:
        return False
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return False
    cjk = sum(1 for c in wide if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f")
    return cjk / len(wide) > 0.8 and _high_pairs_ratio(data) > 0.8


def _high_pairs_ratio(data: bytes) -> float:
    pairs = high = 0
    i = 0
    while i < len(data) - 1:
        if data[i] > 0x80:
            pairs += 1
            high += data[i + 1] > 0x80
            i += 2
        else:
            i += 1
    return high / pairs if pairs else 0.0
