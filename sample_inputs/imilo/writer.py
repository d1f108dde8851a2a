"""Columns -> the five semicolon CSV files (pyarrow's CSV writer, batch after batch).

Dates are written from a small lookup table of formatted days (a dictionary array: no per-row
formatting), codes from their label tuples, amounts with a decimal comma. The header is written
once, unquoted; values never hold a semicolon, a quote or a line break (pyarrow refuses to write
one with quoting "none"), so no value is quoted either. UTF-8 or Windows-1252.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from sample_inputs.imilo.codes import FILES

EPOCH = np.datetime64("1970-01-01", "D")
NONE = -1


def date_array(days: np.ndarray) -> pa.Array:
    """dd/mm/yyyy of day numbers (NONE -> empty), as a dictionary array over the days spanned."""
    days = np.asarray(days, dtype=np.int64)
    empty = days == NONE
    if empty.all():
        return pa.nulls(len(days), pa.string())
    low, high = int(days[~empty].min()), int(days[~empty].max())
    lookup = pc.strftime(pa.array(np.arange(low, high + 1, dtype=np.int32), pa.date32()),
                         format="%d/%m/%Y")
    indices = pa.array(np.where(empty, 0, days - low).astype(np.int32), mask=empty)
    return pa.DictionaryArray.from_arrays(indices, lookup)


def code_array(codes: np.ndarray, labels: tuple[str, ...]) -> pa.Array:
    """Labels of codes; an empty label ("") is an empty cell."""
    codes = np.asarray(codes, dtype=np.int32)
    empty = np.isin(codes, [i for i, label in enumerate(labels) if label == ""])
    return pa.DictionaryArray.from_arrays(pa.array(codes, mask=empty) if empty.any()
                                          else pa.array(codes), pa.array(labels))


def amount_array(cents: np.ndarray) -> pa.Array:
    """Euros with a decimal comma and two decimals, no thousands separator: 1234,56."""
    cents = np.asarray(cents, dtype=np.int64)
    euros = pc.cast(pa.array(cents // 100), pa.string())
    rest = pc.utf8_lpad(pc.cast(pa.array(cents % 100), pa.string()), width=2, padding="0")
    return pc.binary_join_element_wise(euros, rest, ",")


class ExportWriter:
    """The five files of one export folder, written batch after batch."""

    def __init__(self, out_dir: str | Path, encoding: str = "utf-8"):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.encoding = encoding
        "é".encode(encoding)  # an unknown encoding fails here, before any file is written
        self.rows = dict.fromkeys(FILES, 0)
        self.paths = {name: self.out_dir / f"{name}.csv" for name in FILES}
        self._files = {name: open(path, "wb") for name, path in self.paths.items()}
        for name, columns in FILES.items():
            self._files[name].write((";".join(columns) + "\n").encode(encoding))
        self._options = pcsv.WriteOptions(include_header=False, delimiter=";",
                                          quoting_style="none")

    def write(self, name: str, table: pa.Table) -> None:
        if table.column_names != list(FILES[name]):
            raise ValueError(f"{name}: columns {table.column_names} are not {FILES[name]}")
        if table.num_rows == 0:
            return
        sink = pa.BufferOutputStream()
        pcsv.write_csv(table, sink, self._options)
        data = sink.getvalue().to_pybytes()
        if self.encoding.replace("-", "").lower() not in ("utf8",):
            data = data.decode("utf-8").encode(self.encoding)
        self._files[name].write(data)
        self.rows[name] += table.num_rows

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()

    def __enter__(self) -> "ExportWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
