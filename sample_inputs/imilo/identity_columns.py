"""Fake identity columns: names, e-mail, phone, social-security-like number, street address.

Invented from small lists, vectorised with pyarrow string kernels (no loop over rows). They look
real enough for a personal-data scan to find them: French first names and surnames with accents,
`prenom.nom@provider` e-mails, `06 12 34 56 78` phones, 15-digit numbers shaped like a French
NIR (sex, birth year and month, department, commune, order, valid 97-modulo key) and street
addresses. Every character is in Windows-1252, so the cp1252 export can hold them.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

FIRST_NAMES_F = (
    "Léa", "Chloé", "Inès", "Manon", "Camille", "Sarah", "Emma", "Jade", "Lina", "Yasmine",
    "Océane", "Clara", "Maëlle", "Anaïs", "Justine", "Mélissa", "Amira", "Kenza", "Lou", "Zoé",
    "Éloïse", "Nour", "Aya", "Salomé", "Laura", "Julie", "Marie", "Fatoumata", "Awa", "Célia",
)
FIRST_NAMES_M = (
    "Lucas", "Hugo", "Mohamed", "Théo", "Nathan", "Enzo", "Yanis", "Louis", "Mathis", "Adam",
    "Rayan", "Noah", "Kylian", "Bilal", "Maxime", "Thomas", "Quentin", "Alexandre", "Jérémy",
    "Kévin", "Anis", "Ibrahim", "Mamadou", "Loïc", "Dylan", "Axel", "Romain", "Valentin",
    "Sofiane", "Nicolas",
)
SURNAMES = (
    "Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Leroy", "Moreau", "Lambert", "Dupont",
    "Lemaire", "Lefèvre", "Fontaine", "Dumont", "Delattre", "Vandenberghe", "Declercq",
    "Vermeersch", "Caron", "Lecomte", "Duhamel", "Mercier", "Benali", "Haddad", "Bouzid",
    "Belkacem", "Diallo", "Traoré", "Nguyen", "Kaya", "Pereira", "Da Silva", "Ferreira",
    "Rousseau", "Boucher", "Desmet", "Verhaeghe", "Deschamps", "Carpentier", "Lemoine",
    "Ghesquière", "Prévost", "Hennebert", "Delannoy", "Cuvelier", "Wattel", "Boulanger", "Coppin",
    "Lebrun", "Masson", "Leclercq", "N'Diaye", "Saint-Maxent",
)
STREETS = (
    "rue Jean Jaurès", "avenue de la République", "rue de l'Église", "boulevard Victor Hugo",
    "rue du Général de Gaulle", "place de la Gare", "allée des Tilleuls", "rue Pasteur",
    "rue Nationale", "rue de Lille", "chemin du Moulin", "rue Roger Salengro", "rue Gambetta",
    "résidence Les Acacias", "rue Jules Ferry", "avenue Foch", "rue du Château", "rue Faidherbe",
    "rue de la Paix", "impasse des Lilas", "rue Léon Blum", "rue Émile Zola", "rue du Bourg",
    "avenue du Peuple Belge", "rue des Écoles", "rue Condorcet", "rue de Wambrechies",
    "square Marcel Pagnol", "rue Pierre Mauroy", "cité Bonte",
)
MAIL_DOMAINS = ("gmail.com", "hotmail.fr", "outlook.fr", "yahoo.fr", "laposte.net", "orange.fr",
                "free.fr", "icloud.com", "sfr.fr")
EPOCH = np.datetime64("1970-01-01", "D")


def _ascii(name: str) -> str:
    """A name as an e-mail would spell it: no accents, spaces or apostrophes, lower case."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch == "-")


def _strings(values: np.ndarray, width: int = 0) -> pa.Array:
    out = pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())
    return pc.utf8_lpad(out, width=width, padding="0") if width else out


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def names(sex: np.ndarray, birth: np.ndarray, year: int, rng: np.random.Generator
          ) -> dict[str, pa.Array]:
    """nomNaissance, nomUsage (mostly empty; a married name for some women), prenom, mail."""
    n = len(sex)
    female = sex == 0
    first_f = rng.integers(0, len(FIRST_NAMES_F), n)
    first_m = rng.integers(0, len(FIRST_NAMES_M), n)
    first_all = pa.array(FIRST_NAMES_F + FIRST_NAMES_M)
    first_idx = np.where(female, first_f, len(FIRST_NAMES_F) + first_m)
    last_idx = rng.integers(0, len(SURNAMES), n)
    age = year - (birth.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970)
    married = female & (age >= 22) & (rng.random(n) < 0.12)
    usage_idx = (last_idx + 1 + rng.integers(0, len(SURNAMES) - 1, n)) % len(SURNAMES)
    surnames = pa.array(SURNAMES)
    first = first_all.take(pa.array(first_idx))
    last = surnames.take(pa.array(last_idx))
    usage = surnames.take(pa.array(usage_idx, mask=~married))
    first_ascii = pa.array([_ascii(x) for x in FIRST_NAMES_F + FIRST_NAMES_M]).take(
        pa.array(first_idx))
    mail_last_idx = np.where(married, usage_idx, last_idx)
    last_ascii = pa.array([_ascii(x) for x in SURNAMES]).take(pa.array(mail_last_idx))
    suffix_kind = rng.random(n)
    birth_yy = (year - age) % 100
    suffix = np.where(suffix_kind < 0.45, -1, np.where(suffix_kind < 0.75, birth_yy,
                                                       rng.integers(1, 100, n)))
    suffix_str = pc.if_else(pa.array(suffix < 0), pa.scalar(""), _strings(np.maximum(suffix, 0), 2))
    separator = pc.if_else(pa.array(rng.random(n) < 0.8), pa.scalar("."), pa.scalar("_"))
    domain = pa.array(MAIL_DOMAINS).take(pa.array(rng.integers(0, len(MAIL_DOMAINS), n)))
    mail = _join(first_ascii, separator, last_ascii, suffix_str, "@", domain)
    mail = pc.if_else(pa.array(rng.random(n) < 0.04), pa.scalar(None, pa.string()), mail)
    return {"nomNaissance": pc.utf8_upper(last), "nomUsage": pc.utf8_upper(usage),
            "prenom": first, "mail": mail}


def phones(n: int, rng: np.random.Generator) -> pa.Array:
    """French mobile numbers in the ways they get typed: 06 12 34 56 78, 0612345678,
    +33 6 12 34 56 78; a few missing."""
    lead = np.where(rng.random(n) < 0.6, 6, 7)
    pairs = [_strings(rng.integers(0, 100, n), 2) for _ in range(4)]
    spaced = _join("0", _strings(lead), " ", pairs[0], " ", pairs[1], " ", pairs[2], " ", pairs[3])
    compact = _join("0", _strings(lead), pairs[0], pairs[1], pairs[2], pairs[3])
    international = _join("+33 ", _strings(lead), " ", pairs[0], " ", pairs[1], " ", pairs[2], " ",
                          pairs[3])
    kind = rng.random(n)
    out = pc.if_else(pa.array(kind < 0.55), spaced,
                     pc.if_else(pa.array(kind < 0.85), compact, international))
    return pc.if_else(pa.array(kind > 0.97), pa.scalar(None, pa.string()), out)


def social_security_numbers(sex: np.ndarray, birth: np.ndarray, department: np.ndarray,
                            rng: np.random.Generator) -> pa.Array:
    """15 digits: sex (1 male, 2 female), birth year (2) and month (2), department (2) and
    commune (3) of birth, order (3), then the key 97 - (the 13 digits mod 97)."""
    n = len(sex)
    days = birth.astype("datetime64[D]")
    yy = (days.astype("datetime64[Y]").astype(np.int64) + 1970) % 100
    mm = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    elsewhere = rng.random(n) < 0.25
    dept = np.where(elsewhere, rng.choice(np.r_[1:20, 21:96], n), department)
    commune = rng.integers(1, 900, n)
    order = rng.integers(1, 1000, n)
    number = (np.where(sex == 1, 1, 2) * 10**12 + yy * 10**10 + mm * 10**8 + dept * 10**6
              + commune * 10**3 + order).astype(np.int64)
    key = 97 - number % 97
    return _join(_strings(number, 13), _strings(key, 2))


def addresses(n: int, rng: np.random.Generator) -> dict[str, pa.Array]:
    """adresseNumero (sometimes with "bis") and adresseLibelleVoie."""
    number = _strings(1 + np.floor(rng.pareto(1.2, n) * 8).astype(np.int64) % 250)
    number = pc.if_else(pa.array(rng.random(n) < 0.05), _join(number, " bis"), number)
    street = pa.array(STREETS).take(pa.array(rng.integers(0, len(STREETS), n)))
    return {"adresseNumero": number, "adresseLibelleVoie": street}
