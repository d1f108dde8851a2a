"""The audit page of a release: one self-contained HTML file an auditor can read, print and keep.

Where it lives: `published/<year>/<release>.audit.html`, beside the release folder and outside it.
A release folder is immutable and its manifest lists every file's SHA-256; a page inside the
folder could not print the manifest's own hash without the manifest listing it (or the manifest
changing). Beside it, the page prints the manifest's SHA-256 and every file's, `mlw verify` on
the release is untouched, and the page, derived from the release (plus the warehouse's
reconciliation and gate record), can be rendered again at any time (`mlw audit-page`).
"""

from orchestration.audit_page.render import audit_page_path, ensure_audit_page, render_audit_page

__all__ = ["audit_page_path", "ensure_audit_page", "render_audit_page"]
