"""Yearly partitions: one per report edition year."""

from dagster import TimeWindowPartitionsDefinition

# The earliest edition the corpus holds is a 2014 web page; Missions Locales date from 1982.
FIRST_YEAR = "2000"

yearly_partitions = TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 1 *", fmt="%Y", start=FIRST_YEAR, end_offset=1
)
