"""How one person's name drifts between two registrations: the variants the audit must see through."""

from __future__ import annotations

import re

import numpy as np

MUHAMMAD = ("MUHAMMAD", "MUHAMAD", "MOHAMMAD", "MOHAMAD", "MOCHAMMAD", "MOH.", "M.")
TITLES = ("H.", "HJ.", "DRS.", "DRA.", "IR.", "DR.")


def _muhammad(name: str, rng: np.random.Generator) -> str | None:
    tokens = name.split()
    spots = [i for i, tok in enumerate(tokens) if tok in MUHAMMAD]
    if not spots:
        return None
    i = spots[0]
    tokens[i] = str(rng.choice([v for v in MUHAMMAD if v != tokens[i]]))
    return " ".join(tokens)


_OLD_TO_NEW = (("DJ", "J"), ("TJ", "C"), ("OE", "U"), ("CH", "KH"))
_NEW_TO_OLD = ((r"\bJ", "DJ"), (r"\bC", "TJ"), (r"(?<=[BCDGHJKLMNPRSTW])U", "OE"))


def _spelling(name: str, rng: np.random.Generator) -> str | None:
    """Old (pre-1972) and new spelling: SOEHARTO/SUHARTO, DJOKO/JOKO, TJAHJO/CAHJO."""
    for old, new in _OLD_TO_NEW:
        if old in name:
            return name.replace(old, new, 1)
    for pattern, old in _NEW_TO_OLD:
        changed = re.sub(pattern, old, name, count=1)
        if changed != name:
            return changed
    return None


def _title(name: str, rng: np.random.Generator) -> str | None:
    tokens = name.replace(",", " ,").split()
    if tokens[0] in TITLES:
        return " ".join(tokens[1:]).replace(" ,", ",")
    if "," in name:
        return name.split(",")[0].strip()
    return f"{rng.choice(('H.', 'DRS.'))} {name}"


def _spacing(name: str, rng: np.random.Generator) -> str | None:
    tokens = name.split()
    if len(tokens) >= 2 and not tokens[0].endswith("."):
        return tokens[0] + tokens[1] + "".join(" " + t for t in tokens[2:])
    if "." in name:
        return name.replace(".", "")
    return None


def _shorten(name: str, rng: np.random.Generator) -> str | None:
    tokens = [t for t in name.split() if t not in TITLES]
    if len(tokens) >= 3:
        return " ".join([tokens[0], tokens[1][0] + ".", *tokens[2:]])
    if len(tokens) == 2 and len(tokens[1]) > 3:
        return f"{tokens[0]} {tokens[1][0]}."
    return None


def _typo(name: str, rng: np.random.Generator) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    i = int(rng.choice(letters[1:] or letters))
    kind = rng.integers(0, 3)
    if kind == 0:
        return name[:i] + name[i] + name[i:]  # doubled letter
    if kind == 1 and i + 1 < len(name) and name[i + 1].isalpha():
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]  # swapped pair
    return name[:i] + name[i + 1 :] if len(letters) > 3 else name + "H"  # dropped letter


RULES = (_muhammad, _spelling, _title, _spacing, _shorten)


def name_variant(name: str, rng: np.random.Generator) -> str:
    """A different spelling of the same person's name, as a second registration would show it."""
    for index in rng.permutation(len(RULES)):
        changed = RULES[index](name, rng)
        if changed and changed != name and changed.strip():
            return changed
    return _typo(name, rng)
