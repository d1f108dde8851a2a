"""What the sample-breakdown tests share: the seed of their editions and the breakdown facts of an
extraction, compared with what the generator says it printed."""

from __future__ import annotations

from extractors.catalogue import load_catalogue

SEED = 7


def _grain(indicator: str) -> str:
    return load_catalogue()[indicator].grain


def _breakdown_facts(result) -> list[tuple]:
    return sorted((fact.indicator, tuple(sorted(fact.dimensions.items())), fact.is_total,
                   fact.value) for fact in result.facts if _grain(fact.indicator) == "breakdown")
