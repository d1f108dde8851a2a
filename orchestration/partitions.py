"""Yearly partitions: one per report edition year."""

from dagster import TimeWindowPartitionsDefinition

FIRST_YEAR = "2015"

yearly_partitions = TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 1 *", fmt="%Y", start=FIRST_YEAR, end_offset=1
)
