"""The audit page of the 2023 release, from the real session run, opened in headless Chromium.

The page is written by the publication beside the release (never inside it), so the release
stays intact; in the browser it loads without a console error or a network request, and shows
the release's own figures, the manifest's SHA-256 and the gate's status. Chromium is Debian's
package (`make test` installs it), driven by Playwright.
"""

from __future__ import annotations

import hashlib
import json
import shutil

import pandas as pd
import pytest

from orchestration.audit_page import audit_page_path
from orchestration.audit_page.command import audit_page_command
from orchestration.audit_page.data import gather
from orchestration.audit_page.render import figure
from orchestration.publication import MANIFEST, verify_release

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("no chromium on PATH: `make test` installs Debian's chromium (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def browser_page(chromium):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page
        browser.close()


@pytest.fixture(scope="module")
def loaded(mno_2023_published, browser_page):
    """The 2023 page opened in the browser, with what went wrong while it loaded."""
    page_path = audit_page_path(mno_2023_published.release)
    problems: list[str] = []
    browser_page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
                    if message.type in ("error", "warning") else None)
    browser_page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    browser_page.on("request", lambda request: problems.append(f"request: {request.url}")
                    if not request.url.startswith(("file:", "data:")) else None)
    browser_page.goto(page_path.as_uri())
    return browser_page, page_path, problems


def test_publication_writes_the_page_beside_the_release_which_stays_intact(mno_2023_published):
    release = mno_2023_published.release
    page = audit_page_path(release)
    assert page.is_file() and page.parent == release.parent and page.name == f"{release.name}.audit.html"
    assert verify_release(release) == []


def test_page_loads_in_chromium_without_console_error_or_network(loaded):
    page, _, problems = loaded
    assert page.title().startswith("Audit 2023")
    assert problems == []
    # every chart is inline SVG, and there is no script at all
    assert page.locator("svg").count() >= 2
    assert page.locator("script").count() == 0


def test_page_shows_the_release_hash_gate_and_a_commune_figure(loaded, mno_2023_published):
    page, _, _ = loaded
    release = mno_2023_published.release
    manifest_bytes = (release / MANIFEST).read_bytes()
    assert page.locator("#manifest-sha256").inner_text() == hashlib.sha256(manifest_bytes).hexdigest()
    assert page.locator("#release-id").inner_text() == json.loads(manifest_bytes)["release"] == release.name
    assert page.locator("#gate-status").inner_text().startswith("PASSED")
    communes = pd.read_parquet(release / "mart_commune_year.parquet")
    lambersart = communes[communes["commune_name"] == "Lambersart"].iloc[0]
    row = page.locator("#commune-figures tr", has_text="Lambersart").inner_text()
    assert f"{int(lambersart['youths_in_contact']):,}" in row  # 610 in the 2023 report
    assert "Lambersart" in page.locator("#communes-chart svg").first.inner_html()  # the chart names it


def test_page_shows_the_inputs_with_their_sha256(loaded, mno_2023_published):
    page, _, _ = loaded
    text = page.locator("#inputs ~ table").first.inner_text()
    manifest = json.loads((mno_2023_published.release / MANIFEST).read_text(encoding="utf-8"))
    assert all(document["sha256"] in text for document in manifest["inputs"])
    body = page.locator("body").inner_text()
    assert all(file["sha256"] in body for export in manifest["exports"] for file in export["files"])


def test_reconciliation_shows_only_what_the_published_marts_show(mno_2023_published, loaded):
    data = gather(mno_2023_published.settings, mno_2023_published.release)
    communes = data.communes
    assert data.reconciliation_in_sync
    assert (data.reconciliation["status"] == "withheld").any()  # small counts exist in 2023
    for row in data.reconciliation.to_dict("records"):
        cells = communes[(communes["structure_code"] == row["structure_code"])
                         & (communes["is_stated_total"] if row["commune"] == "Total"
                            else communes["commune_name"] == row["commune"])]
        published = cells[f"{row['indicator_code']}_recomputed"].iloc[0] if len(cells) else None
        if row["withheld"]:
            assert pd.isna(published) and pd.isna(row["recomputed_value"]) and pd.isna(row["difference"])
        else:
            assert row["recomputed_value"] == pytest.approx(float(published))
    # the one figure of the 2023 report that the exports do not reproduce, with its gap
    mismatches = data.reconciliation[data.reconciliation["status"] == "mismatch"]
    page, _, _ = loaded
    gaps = page.locator("#reconciliation-gaps").inner_text()
    for row in mismatches.to_dict("records"):
        assert row["indicator_code"] in gaps and figure(row["difference"]) in gaps


def test_report_audit_findings_are_listed(loaded, mno_2023_published):
    page, _, _ = loaded
    audit = pd.read_parquet(mno_2023_published.release / "mart_report_audit.parquet")
    assert page.locator("#report-audit-rows tr").count() == len(audit) + 1  # + header
    inconsistent = audit[audit["status"] == "inconsistent"]
    text = page.locator("#report-audit-rows").inner_text()
    assert all(subject in text for subject in inconsistent["subject"])


def test_screenshots_of_the_page(loaded, mno_2023_published, tmp_path):
    page, _, _ = loaded
    full = tmp_path / "playwright.png"
    page.screenshot(path=str(full), full_page=True)
    assert full.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the command: locates the page and screenshots it with chromium itself
    out = tmp_path / "cli.png"
    assert audit_page_command(mno_2023_published.settings, 2023, False, str(out)) == 0
    from PIL import Image

    with Image.open(out) as image:
        assert image.width == 1280 and image.height > 2000  # the whole page, blank tail cut
    assert audit_page_command(mno_2023_published.settings, 1999, False, None) == 1

