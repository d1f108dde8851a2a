"""Dates as int64 day numbers (days since 1970-01-01): the export year's calendar, and each
youth's birth and first registration dates, consistent with the youth's age band."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sample_inputs.imilo._numeric import uniform_days
from sample_inputs.imilo.population import Population


EPOCH = np.datetime64("1970-01-01", "D")
NONE = -1  # an empty date


def day(year: int, month: int = 1, dom: int = 1) -> int:
    return int((np.datetime64(f"{year:04d}-{month:02d}-{dom:02d}", "D") - EPOCH).astype(np.int64))


def jan1(years: np.ndarray) -> np.ndarray:
    return ((np.asarray(years, dtype=np.int64) - 1970).astype("datetime64[Y]")
            .astype("datetime64[D]") - EPOCH).astype(np.int64)


@dataclass
class Calendar:
    year: int

    @property
    def start(self) -> int:  # 1 January of the year
        return day(self.year)

    @property
    def end(self) -> int:  # 31 December of the year
        return day(self.year, 12, 31)

    @property
    def export(self) -> int:  # the export's date (the latest dateExport)
        return day(self.year + 1, 1, 15)


# --- youths' own dates ----------------------------------------------------------------------------

AGE_LOW = np.array([16, 18, 22, 26])
AGE_WIDTH = np.array([2, 4, 4, 4])


def youth_dates(pop: Population, cal: Calendar, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Birth date (age at 31 December in the youth's band) and first registration date (in the
    year for new registrations, with their birthday before it so that the age at first
    registration is the same band; 1 to 5 years before for the others, after age 15)."""
    n = pop.n
    age = pop.cols["age"]
    new = pop.mask("NR")
    premier = np.empty(n, dtype=np.int64)
    premier[new] = uniform_days(np.full(new.sum(), cal.start), np.full(new.sum(), cal.end), rng)
    years = cal.year - (AGE_LOW[age] + np.floor(rng.random(n) * AGE_WIDTH[age]).astype(np.int64))
    first = jan1(years)
    length = jan1(years + 1) - first
    doy = np.floor(rng.random(n) * length).astype(np.int64)
    premier_doy = premier - cal.start
    doy = np.where(new, np.minimum(np.floor(rng.random(n) * (premier_doy + 1)).astype(np.int64),
                                   length - 1), doy)
    birth = first + doy
    old = ~new
    low = np.minimum(np.maximum(day(cal.year - 5), birth[old] + 15 * 365 + 4), cal.start - 1)
    premier[old] = uniform_days(low, np.full(old.sum(), cal.start - 1), rng)
    return {"birth": birth, "premier": premier}
