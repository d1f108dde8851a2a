"""One action block into its records: a Programme, the Facts and Claims of its milestones.

Nothing is invented: a missing carrier, target public or label is reported (IssueLog) and
left empty, never filled in from elsewhere in the guide.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.claims import Claim
from extractors.facts import Fact
from extractors.lines import Document, Line
from extractors.pia_guide.action_layout import ActionLayout
from extractors.pia_guide.ages import parse_ages
from extractors.pia_guide.communes import own_communes
from extractors.pia_guide.guide_mapping import GuideMapping
from extractors.pia_guide.guide_text import REDACTED, Span, clean, join_text, redact
from extractors.pia_guide.issue_log import IssueLog, source_of
from extractors.pia_guide.milestone_figures import FigureReading, find_figures, read_figure
from extractors.pia_guide.milestones import Milestone
from extractors.pia_guide.tail import read_tail
from extractors.programmes import Programme, ProgrammeCommune
from extractors.reference import national_scheme_code


@dataclass
class ActionRecords:
    programme: Programme
    facts: list[Fact] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


def action_name(layout: ActionLayout) -> str:
    """The title as printed, its lines joined with single spaces (case kept)."""
    return " ".join(part.title for part in layout.title)


def carriers(layout: ActionLayout, mapping: GuideMapping) -> tuple[str, ...]:
    """The carrier line's organisations as printed: one item, unless the line separates several
    with an explicit separator of the mapping (commas and "et" occur inside names)."""
    if layout.carrier is None:
        return ()
    value = clean(layout.carrier.text).split(":", 1)[1]
    items = [value]
    for separator in mapping.carrier_separators:
        items = [piece for item in items for piece in item.split(separator)]
    return tuple(redact(item.strip()) for item in items if item.strip())


def _communes(layout: ActionLayout, mapping: GuideMapping,
              log: IssueLog) -> tuple[tuple[ProgrammeCommune, ...], list[Line]]:
    """The action's own communes and its target public's lines; layout problems are reported."""
    tail = read_tail(layout.tail, mapping)
    communes = own_communes(tail.tokens, mapping)
    where, name = layout.carrier or layout.title[0].line, action_name(layout)
    if not communes.map_complete:
        log.add(tail.tokens[-1].line, f"action {name!r}: the map's commune labels stop before "
                f"{mapping.map_last!r}: only communes printed twice are kept as the action's own")
    for run in tail.unknown:
        log.add(run[0], f"action {name!r}: line among the commune labels is not a known commune: "
                "not read")
    if any(kind == "relative" for kind, _ in tail.scopes) and not communes.own:
        line = next(line for kind, line in tail.scopes if kind == "relative")
        log.add(line, f"action {name!r}: scope relative to a commune the text does not name: "
                "no commune kept")
    if not tail.target:
        log.add(where, f"action {name!r} without a target public")
    return communes.own, tail.target


def build_action(document: Document, layout: ActionLayout, key: str, milestones: list[Milestone],
                 edition: int | None, mapping: GuideMapping, log: IssueLog) -> ActionRecords:
    """The action's records. Its source is its title line; when a contact is printed on that
    line, the source text keeps the title only, followed by "[contact retiré]"."""
    name = action_name(layout)
    title = layout.title[0]
    source_text = f"{title.title} {REDACTED}" if title.foreign else None
    if layout.carrier is None:
        log.add(title.line, f"action block {name!r} without a carrier (\"Porteur de l'action\")")
    if layout.block.axis is None:
        log.add(title.line, f"action {name!r} printed before any axis heading: no category")
    if not layout.has_innovation:
        log.add(layout.block.lines[0], f"action {name!r}: no innovation marker, description not read")
    if not milestones:
        log.add(title.line, f"action {name!r} without yearly milestones")
    communes, target_lines = _communes(layout, mapping, log)
    target = join_text(target_lines)
    ages = parse_ages(target)
    if ages.problem:
        log.add(target_lines[0], f"action {name!r}: target public: {ages.problem}")
    programme = Programme(
        key=key, name=name, category=layout.block.axis, carriers=carriers(layout, mapping),
        target_public=target, age_min=ages.age_min, age_max=ages.age_max, communes=communes,
        first_year=min((m.first_year for m in milestones), default=None),
        last_year=max((m.last_year for m in milestones), default=None),
        resources=join_text(layout.resources), description=join_text(layout.description),
        structure=None, year=edition, source=source_of(document, title.line, source_text),
        national_scheme=national_scheme_code(name),
    )
    records = ActionRecords(programme)
    for milestone in milestones:
        year, yearly = _figure_year(milestone, edition)
        for span in milestone.spans:
            _publish(document, records, span, year, yearly, mapping, log)
    for paragraph in layout.key_figures:
        if edition is not None:
            _publish(document, records, Span.join(paragraph), edition, "undated key figure",
                     mapping, log)
    return records


def _figure_year(milestone: Milestone, edition: int | None) -> tuple[int, str | None]:
    """The year of a milestone's figures, and why they are not yearly figures (None if they are)."""
    if milestone.first_year != milestone.last_year:
        return milestone.last_year, f"milestone {milestone.first_year}-{milestone.last_year}"
    if edition is not None and milestone.first_year > edition:
        return milestone.first_year, f"dated after the guide's edition year {edition}"
    return milestone.first_year, None


def _publish(document: Document, records: ActionRecords, span: Span, year: int,
             yearly: str | None, mapping: GuideMapping, log: IssueLog) -> None:
    key = records.programme.key
    for figure in find_figures(span, mapping.figures, records.programme.name):
        reading: FigureReading = read_figure(figure, mapping.figures, yearly)
        source = source_of(document, figure.line)
        if reading.reading == "issue":
            log.add(figure.line, f"action {records.programme.name!r}: {reading.reason}: not published")
            continue
        if reading.reading == "fact":
            records.facts.append(Fact(
                indicator=reading.indicator or "", dimensions={"programme": key},
                value=figure.value, unit="count", year=year, structure=None, is_total=False,
                source=source, table=f"milestones:{key}"))
            continue
        if reading.reason and reading.reason.startswith("dated after"):
            log.add(figure.line, f"action {records.programme.name!r}: figure {figure.printed} "
                    f"{reading.reason}: a forecast, kept as a claim")
        records.claims.append(Claim(
            kind="count", value=figure.value, unit="count", subject=reading.subject or "",
            comparison_year=None, sentence=redact(figure.sentence), year=year,
            structure=None,  # the guide has no Mission Locale
            source=source, lines=tuple(line.number for line in figure.sentence_lines)))
