"""The pseudonymisation key: from configuration, never from the repository, never logged.

MLW_PSEUDONYMISATION_KEY  the secret key of the keyed hash of I-MILO file ids (youth_key)
MLW_DEMO=1                without a key, use the fixed demo key below (sample data only);
                          the ingestion report and the run's metadata say so

Outside demo mode, ingesting an export without a key is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import os

KEY_VARIABLE = "MLW_PSEUDONYMISATION_KEY"
DEMO_VARIABLE = "MLW_DEMO"
MIN_KEY_LENGTH = 16
# Public on purpose: it only protects generated sample data. Never use it for real exports.
DEMO_KEY = "mlw-demo-pseudonymisation-key-not-secret"


class MissingPseudonymisationKey(RuntimeError):
    """No usable key outside demo mode: the project refuses to ingest exports."""


def demo_mode() -> bool:
    return os.environ.get(DEMO_VARIABLE, "").strip().lower() in {"1", "true", "yes"}


def pseudonymisation_key() -> str:
    """The configured key; the demo key when none is set and MLW_DEMO=1; else a clear error."""
    key = os.environ.get(KEY_VARIABLE, "")
    if key:
        if len(key) < MIN_KEY_LENGTH:
            raise MissingPseudonymisationKey(
                f"{KEY_VARIABLE} is too short: use a random secret of at least {MIN_KEY_LENGTH} "
                f"characters (e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)")
        return key
    if demo_mode():
        return DEMO_KEY
    raise MissingPseudonymisationKey(
        f"set {KEY_VARIABLE} to a secret key (kept outside the repository, e.g. in the "
        f"deployment's secret store) before ingesting I-MILO exports; for sample data only, "
        f"set {DEMO_VARIABLE}=1 to use the public demo key")


def is_demo_key(key: str) -> bool:
    return key == DEMO_KEY


def key_fingerprint(key: str) -> str:
    """A keyed hash of a constant: tells whether two ingestions used the same key (so that a
    changed key re-ingests) without revealing the key or allowing it to be guessed offline."""
    return hmac.new(key.encode(), b"mlw-ingestion-key-fingerprint", hashlib.sha256).hexdigest()[:16]
