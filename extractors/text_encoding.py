"""Decoding a document's text layer: UTF-8, or a Western European code page when the content
says so, never a silent guess.

Reports are sometimes saved from Windows tools in cp1252 (or latin-1). Reading them as anything
but what they are would change a commune's name or drop a "€" sign, so the fallback is
charset-normalizer's detection, accepted only when it lands on a Western European code page
with (almost) no mess in the decoded text: the caller records the encoding as a warning. French
text read as cp1250 or a Cyrillic page, or bytes that read as nothing with confidence, are
refused with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from charset_normalizer import from_bytes

# What French reports are found in besides UTF-8 (charset-normalizer's names). cp1252 is a
# superset of latin-1's printable characters, so latin-1 files are usually detected as cp1252.
WESTERN_ENCODINGS = frozenset({"cp1252", "latin_1", "iso8859_15"})
# charset-normalizer's "chaos" (share of odd characters in the decoded text): above this, the
# reading is not trusted. Real reports in cp1252 score 0.0.
MAX_CHAOS = 0.1


class UndecodableText(ValueError):
    """Bytes that are not UTF-8 and that no accepted encoding reads with confidence."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # "utf-8" or the detected code page (e.g. "cp1252")

    @property
    def detected(self) -> bool:
        """True when the text was not UTF-8 and its encoding was detected from the content."""
        return self.encoding != "utf-8"


def decode_text(data: bytes) -> DecodedText:
    """UTF-8 (with or without byte-order mark), else a confidently detected Western code page."""
    try:
        return DecodedText(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError as error:
        not_utf8 = f"not valid UTF-8 text (byte {error.start})"
    best = from_bytes(data).best()
    if best is None:
        raise UndecodableText(f"{not_utf8}, and no encoding reads it with confidence")
    if best.encoding not in WESTERN_ENCODINGS:
        raise UndecodableText(
            f"{not_utf8}; the closest encoding detected, {best.encoding}, is not a Western "
            f"European one ({', '.join(sorted(WESTERN_ENCODINGS))}): refusing to guess")
    if best.chaos > MAX_CHAOS:
        raise UndecodableText(
            f"{not_utf8}; read as {best.encoding} it is still garbled "
            f"({best.chaos:.0%} odd characters): refusing to guess")
    return DecodedText(data.decode(best.encoding), best.encoding)
