"""File-level checks of an export file, before DuckDB reads it: encoding, header, truncation.

The file is streamed in large chunks (never row by row): UTF-8 is validated in one pass; a file
that is not UTF-8 is decoded as Windows-1252 (or UTF-16 when it starts with a UTF-16 byte-order
mark) and transcoded to a temporary UTF-8 copy for DuckDB, whose CSV reader knows UTF-8, UTF-16
and Latin-1 only (Windows-1252 is not Latin-1: 0x80-0x9F hold €, œ, ’...). The copy lives in a
private temporary directory and is deleted as soon as the file is read. A file that mixes "\n"
and "\r\n" line endings is also read from such a copy, with "\n" only: DuckDB's CSV reader in
strict mode (which enforces field counts) refuses mixed line endings.

Problems that make a file unreadable raise `FileProblem` (kind, message, line, column): the file
is then not ingested, the other files of the export are. No message quotes the file's content.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy

from extractors.imilo.folders import file_key, known_sha256, remember_sha256
from extractors.imilo.spec import IDENTITY_COLUMNS, FileSpec

CHUNK_BYTES = 8 * 1024 * 1024
DELIMITER = ";"
OTHER_DELIMITERS = {",": "comma", "\t": "tab", "|": "pipe"}
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_LONGEST_LINE = 64 * 1024 * 1024
# a newline that ends the line before a blank line, in text and in bytes
_BLANK_LINE, _BLANK_LINE_BYTES = re.compile(r"\n(?=\r?\n)"), re.compile(rb"\n(?=\r?\n)")
MAX_BLANK_LINES = 1_000_000  # beyond, line numbers are no longer corrected


@dataclass
class FileProblem(Exception):
    kind: str            # missing file, empty file, undecodable bytes, wrong delimiter, ...
    message: str
    line: int | None = None
    column: str | None = None
    data_lines: int = 0  # how many data lines the file holds, when known (counted as rejected)

    def __str__(self) -> str:
        return self.message


@dataclass
class FileCheck:
    path: Path
    encoding: str              # utf-8, windows-1252 or utf-16
    header: list[str]
    lines: int                 # physical lines, header included
    final_newline: bool
    blank_lines: list[int]     # line numbers of the blank lines (DuckDB skips them)
    positions: dict[str, int]  # column read -> position in the header
    extra_columns: list[str]   # neither documented nor identity: reported, ignored
    sha256: str                # of the file's bytes as found in the folder (not of the copy)

    @property
    def data_lines(self) -> int:
        return max(self.lines - 1, 0)


@dataclass
class _Scan:
    lines: int = 0             # newlines seen
    first_line: str = ""       # (both bytes while a UTF-8 file is read in place, then text)
    tail: str = ""             # text after the last newline (the last line, if unterminated)
    blank_lines: list[int] = field(default_factory=list)  # their line numbers
    nul: bool = False
    sha256: str = ""           # of the file's bytes, computed in the same pass
    carriage_returns: int = 0  # "\r" and "\r\n" in complete lines: tell mixed line endings
    crlf: int = 0

    @property
    def mixed_line_endings(self) -> bool:
        return self.carriage_returns > 0 and not (self.crlf == self.lines
                                                  and self.carriage_returns == self.crlf)


def inspect_file(path: Path, spec: FileSpec, utf8_copy: Path) -> FileCheck:
    """Check the file and make sure a UTF-8 version of it exists: the file itself, or a
    transcoded copy at `utf8_copy` (then `FileCheck.path` is the copy)."""
    if not path.is_file():
        raise FileProblem("missing file", f"{spec.file} is missing from the export folder")
    key = file_key(path)
    known = known_sha256(key)  # then the scan does not hash again what the load digest hashed
    with path.open("rb") as stream:
        start = stream.read(4)
    if not start:
        raise FileProblem("empty file", f"{spec.file} is empty (not even a header line)")
    if start.startswith(_UTF16_BOMS):
        encoding, scan = "utf-16", _transcode(path, "utf-16", utf8_copy, spec, known)
    else:
        try:
            encoding, scan = "utf-8", _scan(path, "utf-8-sig", None, spec.file, known)
        except _Undecodable as error:
            if error.after_non_ascii:
                raise FileProblem(
                    "undecodable bytes",
                    f"{spec.file}, line {error.line}: bytes that are not UTF-8 in a file that "
                    f"is UTF-8 before them (mixed encodings or corrupted file)",
                    line=error.line, data_lines=error.lines_so_far) from None
            encoding, scan = "windows-1252", _transcode(path, "cp1252", utf8_copy, spec, known)
    if known is None:
        remember_sha256(key, scan.sha256)
    if scan.nul:
        raise FileProblem("undecodable bytes",
                          f"{spec.file} contains NUL bytes: not a text CSV file "
                          f"(UTF-16 without byte-order mark?)", data_lines=max(scan.lines - 1, 0))
    if scan.mixed_line_endings:
        # DuckDB's CSV reader in strict mode (which rejects records by field count) refuses a
        # file that mixes "\n" and "\r\n": read a copy with "\n" only (same lines, same numbers).
        source = path if encoding == "utf-8" else utf8_copy
        _normalise_line_endings(source, utf8_copy)
        readable = utf8_copy
    else:
        readable = path if encoding == "utf-8" else utf8_copy
    final_newline = scan.tail == ""
    lines = scan.lines + (0 if final_newline else 1)
    header = _header(scan.first_line, spec, lines)
    positions, extra = _columns(header, spec, lines)
    if not final_newline and lines > 1:
        _check_last_line(scan.tail, header, spec, lines)
    return FileCheck(path=readable, encoding=encoding,
                     header=header, lines=lines, final_newline=final_newline,
                     blank_lines=scan.blank_lines, positions=positions, extra_columns=extra,
                     sha256=scan.sha256)


class _Undecodable(Exception):
    def __init__(self, line: int, lines_so_far: int, after_non_ascii: bool):
        super().__init__(line)
        self.line, self.lines_so_far, self.after_non_ascii = line, lines_so_far, after_non_ascii


def _transcode(path: Path, encoding: str, target: Path, spec: FileSpec,
               known: str | None) -> _Scan:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("w", encoding="utf-8", newline="") as sink:
            return _scan(path, encoding, sink, spec.file, known)
    except _Undecodable as error:
        target.unlink(missing_ok=True)
        name = "Windows-1252" if encoding == "cp1252" else encoding.upper()
        raise FileProblem("undecodable bytes",
                          f"{spec.file}, line {error.line}: bytes that are neither UTF-8 nor "
                          f"{name}", line=error.line, data_lines=error.lines_so_far) from None


def _scan(path: Path, encoding: str, sink, name: str, known: str | None) -> _Scan:
    """Read the file chunk by chunk (never line by line): count lines, find blank lines, keep the
    first and last line. With a `sink`, the text is decoded and written to it; without, a UTF-8
    file is counted as bytes (a newline byte is never inside a multi-byte character), decoded
    only to be validated (ASCII chunks not at all). SHA-256: `known`, or from the same reads."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    digest = None if known else hashlib.sha256()
    in_place = sink is None
    scan = _Scan(tail=b"" if in_place else "")
    non_ascii, first = False, True
    with path.open("rb") as stream:
        while True:
            chunk = stream.read(CHUNK_BYTES)
            if digest is not None:
                digest.update(chunk)
            ascii_chunk = chunk.isascii()
            try:
                if in_place and ascii_chunk and not first and not decoder.getstate()[0]:
                    text = ""  # valid UTF-8 whatever the decoder's state: nothing to decode
                else:
                    text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                before = chunk[:max(error.start, 0)]
                seen = scan.lines + before.count(b"\n")
                raise _Undecodable(seen + 1, seen, non_ascii or not before.isascii()) from None
            first = False
            if data := (chunk if in_place else text):
                _account(scan, data, name)
                if sink is not None:
                    sink.write(text)
            non_ascii = non_ascii or bool(text and not ascii_chunk)  # decoded, valid, non-ASCII
            if not chunk:
                if not scan.lines:
                    scan.first_line = scan.tail
                if in_place:  # the BOM, if any, is in the first line's bytes
                    scan.first_line = scan.first_line.decode("utf-8-sig")
                    scan.tail = scan.tail.decode("utf-8-sig" if not scan.lines else "utf-8")
                scan.sha256 = digest.hexdigest() if digest is not None else known
                return scan


def _account(scan: _Scan, data: str | bytes, name: str) -> None:
    """Count the complete lines of `data` (text, or the bytes of UTF-8 text) after the tail of
    the previous chunk; keep what follows the last newline as the new tail."""
    text = scan.tail + data if scan.tail else data
    in_bytes = isinstance(text, bytes)
    newline, crlf, carriage_return, nul, blank = (
        (b"\n", b"\r\n", b"\r", b"\x00", _BLANK_LINE_BYTES) if in_bytes else ("\n", "\r\n", "\r", "\x00", _BLANK_LINE))
    end = text.rfind(newline) + 1
    complete, scan.tail = text[:end], text[end:]
    if len(scan.tail) > _LONGEST_LINE:
        raise FileProblem("unparseable file", f"{name}, line {scan.lines + 1}: longer than "
                          f"{_LONGEST_LINE} characters, not a CSV export", line=scan.lines + 1)
    if not complete:
        return
    if not scan.lines:
        scan.first_line = complete[:complete.find(newline)]
    scan.nul = scan.nul or nul in complete
    if has_cr := complete.find(carriage_return) >= 0:
        scan.carriage_returns += complete.count(carriage_return)
        scan.crlf += complete.count(crlf)
    if in_bytes:  # vectorised: a chunk is 8 MB of ~45-byte lines
        newlines = (codes := numpy.frombuffer(complete, numpy.uint8)) == 10
        lines = int(numpy.count_nonzero(newlines))
        maybe_blank = (complete.startswith((b"\n", b"\r\n")) or bool(numpy.any(newlines[1:] & newlines[:-1]))
                       or (has_cr and bool(numpy.any(newlines[:-2] & (codes[1:-1] == 13)
                                                     & newlines[2:]))))
    else:
        lines, maybe_blank = complete.count(newline), True
    # Blank lines (rare: in bytes, only searched where a newline follows a newline or "\r\n");
    # newline + complete also sees a blank first line.
    if maybe_blank:
        counted, position = scan.lines, 0
        for match in blank.finditer(newline + complete):
            if len(scan.blank_lines) >= MAX_BLANK_LINES:
                break
            counted += complete.count(newline, position, match.start())
            position = match.start()
            scan.blank_lines.append(counted + 1)
    scan.lines += lines


def _normalise_line_endings(source: Path, target: Path) -> None:
    """Copy the UTF-8 file `source` to `target` with every "\r\n" made "\n", chunk by chunk (a
    "\r" at a chunk's end waits for the next chunk). `source` may be `target` (a transcoded copy)."""
    partial = target.with_name(target.name + ".lf")
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as stream, partial.open("wb") as sink:
        pending = b""
        while chunk := stream.read(CHUNK_BYTES):
            chunk = pending + chunk
            pending = b"\r" if chunk.endswith(b"\r") else b""
            sink.write(chunk[:len(chunk) - len(pending)].replace(b"\r\n", b"\n"))
        sink.write(pending)
    partial.replace(target)


def _split(line: str) -> list[str]:
    return next(csv.reader([line.rstrip("\r")], delimiter=DELIMITER, quotechar='"'), [])


def _header(first_line: str, spec: FileSpec, lines: int) -> list[str]:
    header = [name.strip() for name in _split(first_line)]
    if not any(header):
        raise FileProblem("empty file", f"{spec.file}, line 1: the first line is empty (no header)",
                          line=1, data_lines=max(lines - 1, 0))
    if len(header) == 1:
        found = [label for character, label in OTHER_DELIMITERS.items() if character in header[0]]
        if found:
            raise FileProblem("wrong delimiter",
                              f"{spec.file}, line 1: wrong delimiter, the header is {found[0]}-separated "
                              f"(expected '{DELIMITER}'): all columns would be glued into one",
                              line=1, data_lines=max(lines - 1, 0))
    return header


def _columns(header: list[str], spec: FileSpec, lines: int) -> tuple[dict[str, int], list[str]]:
    by_name: dict[str, int] = {}
    for position, name in enumerate(header):
        if name.lower() in by_name:
            raise FileProblem("duplicate column", f"{spec.file}, line 1: column {name!r} appears twice "
                              f"in the header", line=1, column=name, data_lines=max(lines - 1, 0))
        by_name[name.lower()] = position
    missing = [column.name for column in spec.columns if column.name.lower() not in by_name]
    if missing:
        raise FileProblem("missing column",
                          f"{spec.file}, line 1: required column(s) missing from the header: "
                          f"{', '.join(missing)}", line=1, column=missing[0],
                          data_lines=max(lines - 1, 0))
    known = {column.name.lower() for column in spec.columns} | IDENTITY_COLUMNS
    extra = [name for name in header if name.lower() not in known]
    return {column.name: by_name[column.name.lower()] for column in spec.columns}, extra


def _check_last_line(tail: str, header: list[str], spec: FileSpec, lines: int) -> None:
    """A last line without a final newline is truncated if it is short or ends inside quotes."""
    if not tail.strip():
        return
    unterminated_quote = tail.count('"') % 2 == 1
    fields = len(_split(tail))
    if unterminated_quote or fields < len(header):
        detail = ("ends inside a quoted field" if unterminated_quote
                  else f"has {fields} of {len(header)} fields")
        raise FileProblem("truncated file",
                          f"{spec.file}, line {lines}: truncated file, the last line {detail} and "
                          f"no final newline", line=lines, data_lines=max(lines - 1, 0))
