"""The stable id of a record: the same parts give the same id, run after run.

Facts, claims, review items and programmes are keyed by what they are and where they were
printed (document SHA-256, page, line...), never by a counter: a document extracted again
gives the same ids, so the warehouse and the releases keep them.
"""

from __future__ import annotations

import hashlib
import json

ID_LENGTH = 24  # hexadecimal characters kept of the SHA-256


def stable_id(*parts: object) -> str:
    """The first ID_LENGTH hex digits of the SHA-256 of the parts as a JSON array."""
    key = json.dumps(list(parts), ensure_ascii=False)
    return hashlib.sha256(key.encode()).hexdigest()[:ID_LENGTH]
