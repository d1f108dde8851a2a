"""Shared by test_pia_guide.py and test_pia_guide_pieces.py: the two indicators the PIA
Jeunesse guide publishes, and what personal data looks like in its records."""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?:\+33|\b0)\s*\(?0?\)?\s*\d(?:[\s.]?\d{2}){4}\b")
P, R = "programme_participants", "programme_youths_reached"
