"""Writing a release's audit page right after its publication (the publish asset calls this)."""

from __future__ import annotations

import logging
from pathlib import Path

from orchestration.audit_page.render import ensure_audit_page, render_audit_page
from orchestration.settings import Settings


def write_audit_page(settings: Settings, release: Path, year: int, is_new: bool,
                     log: logging.Logger | logging.LoggerAdapter) -> Path | None:
    """The page of a new release (or of a kept one that has none yet); its path, or None.

    The release is already published and current when this runs: a page that cannot be written
    is a warning naming the release and the reason, not a failed publication, and
    `mlw audit-page --year Y` writes it again.
    """
    try:
        page = render_audit_page(settings, release) if is_new else ensure_audit_page(settings, release)
    except Exception as error:  # noqa: BLE001 - the page is a view of the release, never its gate
        log.warning(f"{year}: audit page of {release} not written: {type(error).__name__}: {error} "
                    f"(`mlw audit-page --year {year}` writes it again)")
        return None
    log.info(f"{year}: audit page {page}")
    return page
