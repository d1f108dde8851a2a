"""`mlw audit-page`: locate (or render) the audit page of a year's current release, and
screenshot it."""

from __future__ import annotations

import sys
from pathlib import Path

from orchestration.audit_page.render import ensure_audit_page, render_audit_page
from orchestration.audit_page.screenshot import ScreenshotError, screenshot
from orchestration.publication import current_release
from orchestration.settings import Settings


def audit_page_command(settings: Settings, year: int, render: bool, screenshot_path: str | None) -> int:
    """Print the page's path (and the screenshot's); 1 with the reason when there is none."""
    release = current_release(settings.published_dir, year)
    if release is None:
        print(f"{settings.published_dir / str(year)}: no current release of {year} "
              "(run `mlw run` first, or the year's gate has never passed)", file=sys.stderr)
        return 1
    try:
        page = render_audit_page(settings, release) if render else ensure_audit_page(settings, release)
    except (OSError, ValueError, KeyError) as error:
        print(f"{release}: the audit page could not be written: {type(error).__name__}: {error}",
              file=sys.stderr)
        return 1
    print(f"audit page of {year} (release {release.name}): {page}")
    if screenshot_path:
        try:
            image, truncated = screenshot(page, Path(screenshot_path))
        except (ScreenshotError, OSError) as error:
            print(f"screenshot of {page} failed: {error}", file=sys.stderr)
            return 1
        print(f"screenshot: {image}" + (" (the page is longer: its top only)" if truncated else ""))
    return 0
