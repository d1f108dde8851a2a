"""What an ingestion did: rows landed per table, rows quarantined and why, file-level errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class FileError:
    """A file that was not ingested (its rows are counted as quarantined)."""

    file: str               # export_file: "<export>/<file name>"
    kind: str               # missing file, wrong delimiter, missing column, truncated file...
    message: str            # names the file, and the line when known; never quotes the content
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


@dataclass
class IngestionReport:
    export: str                                   # the export folder's name
    folder: Path
    year: int | None = None
    demo_key: bool = False                        # True: the public demo key was used
    rows: dict[str, int] = field(default_factory=dict)          # raw table -> rows landed
    rows_read: dict[str, int] = field(default_factory=dict)     # file -> data rows read
    rows_quarantined: dict[str, int] = field(default_factory=dict)  # file -> rows quarantined
    quarantine_reasons: dict[str, int] = field(default_factory=dict)  # reason -> quarantine rows
    file_errors: list[FileError] = field(default_factory=list)
    encodings: dict[str, str] = field(default_factory=dict)     # file -> utf-8 / windows-1252...
    sha256: dict[str, str] = field(default_factory=dict)        # file -> SHA-256 of its bytes
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors

    @property
    def quarantined(self) -> int:
        """Rows not landed (invalid rows, and every row of a rejected file)."""
        return sum(self.rows_quarantined.values())

    @property
    def quarantined_share(self) -> float:
        read = sum(self.rows_read.values())
        return self.quarantined / read if read else 0.0

    def summary(self) -> str:
        landed = ", ".join(f"{table} {count}" for table, count in self.rows.items())
        text = (f"I-MILO export {self.export} ({self.year}): {landed}; "
                f"{self.quarantined} row(s) quarantined ({self.quarantined_share:.2%})")
        if self.demo_key:
            text += "; DEMO pseudonymisation key"
        if self.file_errors:
            text += "; file errors: " + "; ".join(str(error) for error in self.file_errors)
        return text

    def to_metadata(self) -> dict[str, object]:
        """Plain values, for the run's metadata."""
        return {
            "export": self.export, "year": self.year or 0, "demo_key": self.demo_key,
            "rows": dict(self.rows), "rows_read": dict(self.rows_read),
            "rows_quarantined": dict(self.rows_quarantined), "quarantined": self.quarantined,
            "quarantined_share": round(self.quarantined_share, 6),
            "quarantine_reasons": dict(self.quarantine_reasons),
            "file_errors": [str(error) for error in self.file_errors],
            "encodings": dict(self.encodings), "sha256": dict(self.sha256),
            "warnings": list(self.warnings),
        }
