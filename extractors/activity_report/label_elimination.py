"""A renamed row label with no close wording, suggested by elimination.

A later edition prints a category in other words ("E-mail" -> "Courriel"). When the table
prints every other category of its dimension, the one code it leaves out is what the new label
most likely means: suggested (a reviewer accepts it), never read. Only when exactly one row of
the table is unmapped, its stated total adds up with that row, exactly one code of the
dimension (extractors/catalogue/dimensions.yaml) is not printed, codes that group or are grouped
by a printed one (`covers`: "Téléphone / SMS" beside "SMS") aside, as a table never prints both,
and the row keeps a renamed row's place: not after every known row, nor right before the
`other` row, where a report adds a new category (a dimension may have a code this table never
prints: the new category is not that one).
"""

from __future__ import annotations

from extractors.catalogue import load_dimensions

OTHER_CODE = "other"  # the "Autres (...)" category, printed last


def eliminated_code(dimension: str, row_codes: list[str | None], total_adds_up: bool) -> str | None:
    """The one code of `dimension` a table whose rows print `row_codes` (None: the unmapped
    row) leaves out, when the rules above hold; else None."""
    known = load_dimensions().get(dimension)
    if known is None or row_codes.count(None) != 1 or not total_adds_up:
        return None
    after = row_codes[row_codes.index(None) + 1:]
    if not after or after[0] == OTHER_CODE:
        return None
    printed = {code for code in row_codes if code is not None}

    def grouped_with_printed(code: str) -> bool:
        return bool(set(known.covers.get(code, ())) & printed) or any(
            code in known.covers.get(other, ()) for other in printed)

    left = [code for code in known.codes if code not in printed and not grouped_with_printed(code)]
    return left[0] if len(left) == 1 else None
