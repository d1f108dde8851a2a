"""Great Expectations gates of the annual marts (see commune_year_suite for the rules)."""

from expectations.commune_year_suite import GateResult, run_commune_year_gate

__all__ = ["GateResult", "run_commune_year_gate"]
