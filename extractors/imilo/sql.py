"""The SQL that reads one export file and keeps only derived, validated values.

One query per file: DuckDB's read_csv (every column as text, explicit delimiter, no sniffing),
then per column a typed value ("t_<column>") and, when the value is missing or invalid, a
problem {column_name, reason}. The result is a temporary table of the connection (never in the
warehouse file) holding the count of line breaks inside the record's fields, the keyed hash of
the file id, the derived columns of the raw table and the list of problems: no identity column,
no raw value of any column leaves the query. The pseudonymisation key is a query parameter
($key), never part of the SQL text.

The query reads the file in parallel and keeps the file's order (`preserve_insertion_order`:
the table's rowid is the landed record's rank), so it holds no join, which DuckDB does not keep
in order: the structure and commune codes are checked against the reference afterwards
(`reference_checks_sql`, an update of the rows whose code is unknown), and no `with
ordinality`, whose numbering runs on one thread.
"""

from __future__ import annotations

from extractors.imilo import spec as s
from extractors.imilo.files import DELIMITER
from extractors.imilo.spec import Column, FileSpec

# An empty cell is an empty string, never NULL (a short row is rejected, not padded).
_NEVER_IN_DATA = "\x01\x02"
_STRUCTURE_PATTERN = "(?:[0-9]{5}|2[AB][0-9]{3})S[0-9]{2}"
REFERENCE_STRUCTURES = "_imilo_ref_structures"
REFERENCE_COMMUNES = "_imilo_ref_communes"
REFERENCE_TABLES = {"structure": REFERENCE_STRUCTURES, "commune": REFERENCE_COMMUNES}


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return literal(str(value))


def _typed(column: Column, raw: str) -> str:
    if column.kind == "id":
        return f"case when regexp_full_match({raw}, '[0-9]{{1,18}}') then cast({raw} as bigint) end"
    if column.kind in REFERENCE_TABLES:
        return f"upper({raw})"  # checked against the reference by reference_checks_sql
    if column.kind == "date":
        parsed = f"cast(try_strptime({raw}, '%d/%m/%Y') as date)"
        return (f"case when regexp_full_match({raw}, '[0-9]{{2}}/[0-9]{{2}}/[0-9]{{4}}') "
                f"and year({parsed}) between 1900 and 2100 then {parsed} end")
    if column.kind == "amount":
        return (f"case when regexp_full_match({raw}, '-?[0-9]{{1,10}}(,[0-9]{{1,2}})?') "
                f"then cast(replace({raw}, ',', '.') as decimal(12,2)) end")
    if column.kind == "code":
        # Matched without case; typographic apostrophes read as plain ones.
        key = f"lower(replace({raw}, '’', ''''))"
        cases = " ".join(f"when {literal(code.lower())} then {_value(value)}"
                         for code, value in column.codes.items())
        if any(isinstance(value, bool) for value in column.codes.values()):
            return f"case {key} {cases} end"
        # Staged as an ENUM (one byte a row, not a string), landed as text by the raw table's type.
        values = ", ".join(literal(str(value)) for value in dict.fromkeys(column.codes.values()))
        return f"cast(case {key} {cases} end as enum({values}))"
    raise ValueError(f"unknown column kind {column.kind!r}")


_INVALID = {"id": s.NOT_AN_INTEGER, "structure": s.UNKNOWN_STRUCTURE, "commune": s.UNKNOWN_COMMUNE,
            "date": s.BAD_DATE, "amount": s.BAD_AMOUNT, "code": s.UNKNOWN_CODE}


def _problem(column_name: str | None, reason: str) -> str:
    name = "null::varchar" if column_name is None else literal(column_name)
    return f"{{'column_name': {name}, 'reason': {literal(reason)}}}"


def _column_problem(column: Column) -> str:
    raw, typed = f'"v_{column.name}"', f'"t_{column.name}"'
    missing = f"when {raw} is null then {_problem(column.name, s.MISSING_VALUE)} " if column.required else ""
    if column.kind in REFERENCE_TABLES:  # an unknown code: reference_checks_sql
        return f"case {missing}end" if missing else "null"
    return (f"case {missing}when {raw} is not null and {typed} is null "
            f"then {_problem(column.name, _INVALID[column.kind])} end")


def line(table: str | None = None) -> str:
    """A staged row's export_line: set when rows were renumbered (rejected records, blank lines,
    fields over several lines) or updated, else the landed record's rank in the file plus the
    header (rowid + 2: the read keeps the file's order). Never written for every row in the
    common case: committing an update of every row of a freshly read table costs several times
    the read's own copy. An UPDATE of a row's list (problems) is a delete and an insert in
    DuckDB, which gives it a new rowid: every such update sets `export_line = line()` too."""
    prefix = f"{table}." if table else ""
    return f"coalesce({prefix}export_line, {prefix}rowid + 2)"


def quarantine_structure(code: str) -> str:
    """The structure code a quarantine row keeps: the row's code when it looks like one (never a
    value shifted in from another column)."""
    return f"case when regexp_full_match({code}, {literal(_STRUCTURE_PATTERN)}) then {code} end"


def rejects_tables(table: str) -> tuple[str, str]:
    """The temporary tables where DuckDB's CSV reader stores the records it rejects."""
    return f"{table}_rejects", f"{table}_rejects_scan"


def staging_sql(spec: FileSpec, positions: dict[str, int], field_count: int, table: str) -> str:
    """CREATE a temporary staging table from the file at $path (UTF-8), hashing with $key.

    The structure is declared, not checked by hand: one VARCHAR column per header field, strict
    mode, no padding, so that DuckDB rejects a record with too few or too many fields into the
    rejects table (rejects.py lands them as quarantine rows, with their physical line).
    The table's rowid ranks the *landed* records only (from 0, in the file's order): rejects.py
    numbers them."""
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(field_count))
    rejects, scan = rejects_tables(table)
    reader = (f"read_csv($path, delim={literal(DELIMITER)}, quote='\"', escape='\"', "
              f"header=false, skip=1, auto_detect=false, all_varchar=true, null_padding=false, "
              f"strict_mode=true, encoding='utf-8', store_rejects=true, "
              f"rejects_table={literal(rejects)}, rejects_scan={literal(scan)}, rejects_limit=0, "
              f"nullstr={literal(_NEVER_IN_DATA)}, columns={{{columns}}})")
    # Line breaks inside fields (quoted newlines, or an unterminated quote swallowing lines):
    # counted over every field, read or not, to number physical lines and catch broken quoting.
    # Counted only in the rare records that hold one (contains is a scan, replace a copy).
    breaks = " + ".join(f"coalesce(length(c{i}) - length(replace(c{i}, chr(10), '')), 0)"
                        for i in range(field_count))
    breaks = (f"cast(case when {' or '.join(f'contains(c{i}, chr(10))' for i in range(field_count))} "
              f"then {breaks} else 0 end as integer)")
    cleaned = ", ".join(f"nullif(trim(c{positions[column.name]}), '') as \"v_{column.name}\""
                        for column in spec.columns)
    typed = ", ".join(f'{_typed(column, chr(34) + "v_" + column.name + chr(34))} as "t_{column.name}"'
                      for column in spec.columns)
    youth_key = ("case when t_idDossier is not null and t_codeStructure is not null then "
                 "substr(sha256($key || ':' || t_codeStructure || ':' || cast(t_idDossier as varchar)),"
                 " 1, 32) end")
    outputs = ", ".join(f"{expression} as {name}" for name, expression in spec.outputs.items())
    checks = [f"case when {condition} then {_problem(column, reason)} end"
              for condition, column, reason in spec.checks]
    problems = ", ".join([*(_column_problem(column) for column in spec.columns), *checks])
    return f"""
create or replace temp table {table} as
select line_breaks, {outputs},
       list_filter([{problems}], lambda problem: problem is not null) as problems
from (
    select *, {youth_key} as youth_key
    from (
        select *, {typed}
        from (
            select {breaks} as line_breaks, {cleaned}
            from {reader}
        )
    )
)
"""


def duplicates_sql(spec: FileSpec, table: str) -> str:
    """Mark as duplicates the valid rows whose natural key a previous valid row already has
    (the first one is kept). Hash aggregates, not a sort: first on one 64-bit hash of the key
    (a small table even for 15 M rows), then on the key itself among the rows whose hash repeats
    (a hash collision is only a candidate)."""
    key = spec.natural_key
    columns = ", ".join(key)
    same = " and ".join(f"{table}.{column} = first.{column}" for column in key)
    return f"""
update {table} set problems = [{_problem(spec.id_column, s.DUPLICATE)}], export_line = {line(table)}
from (select {columns}, min({line()}) as export_line from {table}
      where len(problems) = 0 and hash({columns}) in (
          select hash({columns}) from {table} where len(problems) = 0 group by 1 having count(*) > 1)
      group by all having count(*) > 1) as first
where len({table}.problems) = 0 and {same} and {line(table)} <> first.export_line
"""


def reference_checks_sql(spec: FileSpec, table: str) -> list[str]:
    """UPDATEs of the staging table `table`: a row whose structure or commune code is not in the
    reference gets its problem, at the place `staging_sql` gives a column's problem (after those
    of the columns before it), and loses the values derived from the code (never landed) but the
    code itself (structure_code: the quarantine keeps it when it looks like a structure code)."""
    reasons = "[" + ", ".join(literal(reason) for reason in
                              sorted({s.MISSING_VALUE, *_INVALID.values()})) + "]"
    statements = []
    for index, column in enumerate(spec.columns):
        if column.kind not in REFERENCE_TABLES:
            continue
        typed = f"t_{column.name}"
        code = next(name for name, expression in spec.outputs.items() if expression == typed)
        derived = [name for name, expression in spec.outputs.items()
                   if typed in expression and name != code]
        if column.name == "codeStructure":
            derived.append("youth_key")
        before = "[" + ", ".join(literal(earlier.name) for earlier in spec.columns[:index]) + "]"
        earlier = (f"list_contains({before}, problem.column_name) "
                   f"and list_contains({reasons}, problem.reason)")
        statements.append(
            f"update {table} set problems = list_concat("
            f"list_filter(problems, lambda problem: {earlier}), "
            f"[{_problem(column.name, _INVALID[column.kind])}], "
            f"list_filter(problems, lambda problem: not ({earlier}))), export_line = {line()}"
            + "".join(f", {name} = null" for name in dict.fromkeys(derived))
            + f" where {code} is not null and {code} not in "
              f"(select code from {REFERENCE_TABLES[column.kind]})")
    return statements
