"""The lines between the carrier and the resources: commune lines, scope, target public.

Commune lines are recognised one by one (see communes.py). The other lines form runs of text:
a run that reads as a scope ("Sur l'ensemble du territoire métropolitain") is the action's
scope; the runs after the last commune line are the target public; a run among the commune
lines is a label that is not a known commune, reported by the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from extractors.lines import Line
from extractors.pia_guide.communes import CommuneToken, commune_tokens
from extractors.pia_guide.guide_mapping import GuideMapping
from extractors.pia_guide.guide_text import Span, is_blank, norm

ScopeKind = Literal["metropolitan", "relative"]


@dataclass
class Tail:
    tokens: list[CommuneToken] = field(default_factory=list)
    scopes: list[tuple[ScopeKind, Line]] = field(default_factory=list)
    target: list[Line] = field(default_factory=list)  # the target public's lines
    unknown: list[tuple[Line, ...]] = field(default_factory=list)  # runs among the communes


def read_tail(lines: Sequence[Line], mapping: GuideMapping) -> Tail:
    tail = Tail()
    runs: list[tuple[list[Line], int]] = []  # (run, number of commune tokens before it)
    current: list[Line] = []
    for line in lines:
        tokens = None if is_blank(line) else commune_tokens(line, mapping)
        if is_blank(line) or tokens is not None:
            if current:
                runs.append((current, len(tail.tokens)))
            current = []
            tail.tokens.extend(tokens or ())
        else:
            current.append(line)
    if current:
        runs.append((current, len(tail.tokens)))
    for run, before in runs:
        for text_run in _without_scopes(run, tail, mapping):
            if before == len(tail.tokens):
                tail.target.extend(text_run)
            else:
                tail.unknown.append(tuple(text_run))
    return tail


def _without_scopes(run: list[Line], tail: Tail, mapping: GuideMapping) -> list[list[Line]]:
    """The run with its scope phrases taken out (recorded in `tail.scopes`)."""
    kinds: dict[str, ScopeKind] = {
        **{scope: "metropolitan" for scope in mapping.metropolitan_scopes},
        **{scope: "relative" for scope in mapping.relative_scopes},
    }
    rest: list[list[Line]] = []
    index = 0
    while index < len(run):
        for end in range(index + 1, len(run) + 1):
            text = norm(Span.join(run[index:end]).text)
            if text in kinds:
                tail.scopes.append((kinds[text], run[index]))
                index = end
                break
        else:
            if not rest or rest[-1][-1] is not run[index - 1]:
                rest.append([])
            rest[-1].append(run[index])
            index += 1
    return rest
