"""Likely duplicate applications across the OPDs of one region.

Two applications of different OPDs are flagged when their names are nearly the same, or
when they share a good part of the words that describe what they do. Words that say
nothing about an application's function ("aplikasi", "sistem", "informasi", place names,
conjunctions) are dropped first. The measure is deliberately simple so that a reviewer can
see why a pair was flagged: the shared words are listed with it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

# Words that say nothing about what an application does.
_STOP_WORDS_TEXT = """
    aplikasi sistem informasi manajemen sim elektronik online daring digital berbasis web
    android mobile portal website situs data layanan pelayanan pengelolaan pengolahan
    kabupaten kota daerah pemerintah pemda gunung mas kuala kurun kalimantan tengah
    dan atau yang untuk dengan dari pada dalam oleh secara serta bagi ke di ini itu
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
# A pair is flagged when the normalised names are this similar (difflib ratio)...
NAME_THRESHOLD = 0.85
# ...or when this share of their distinct function words is common to both (Jaccard).
WORDS_THRESHOLD = 0.4


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def words(text: str) -> list[str]:
    """The meaningful words of ``text``, lower-case, in order, without stop words."""
    return [
        word
        for word in re.findall(r"[a-z0-9]+", _ascii(text or ""))
        if len(word) >= 3 and word not in STOP_WORDS
    ]


@dataclass(frozen=True)
class Similarity:
    name_ratio: float
    word_overlap: float
    shared_words: tuple[str, ...]

    @property
    def score(self) -> float:
        return max(self.name_ratio, self.word_overlap)

    @property
    def is_likely_duplicate(self) -> bool:
        return self.name_ratio >= NAME_THRESHOLD or self.word_overlap >= WORDS_THRESHOLD


def similarity(first: Any, second: Any) -> Similarity:
    """Compare two applications (anything with ``name`` and ``description``)."""
    first_name, second_name = " ".join(words(first.name)), " ".join(words(second.name))
    name_ratio = (
        difflib.SequenceMatcher(None, first_name, second_name).ratio()
        if first_name and second_name
        else 0.0
    )
    first_words = set(words(f"{first.name} {first.description}"))
    second_words = set(words(f"{second.name} {second.description}"))
    shared = first_words & second_words
    union = first_words | second_words
    return Similarity(
        name_ratio=round(name_ratio, 2),
        word_overlap=round(len(shared) / len(union), 2) if union else 0.0,
        shared_words=tuple(sorted(shared)),
    )


@dataclass(frozen=True)
class DuplicatePair:
    first: Any
    second: Any
    similarity: Similarity

    @property
    def score_percent(self) -> int:
        return round(100 * self.similarity.score)


def likely_duplicates(applications: Iterable[Any]) -> list[DuplicatePair]:
    """Pairs of applications of different OPDs that probably do the same thing.

    ``applications`` are objects with ``pk``, ``opd_id``, ``name`` and ``description``,
    normally one region's active and in-development applications. Most similar first.
    """
    pairs = []
    for first, second in combinations(sorted(applications, key=lambda a: a.pk), 2):
        if first.opd_id == second.opd_id:
            continue
        measured = similarity(first, second)
        if measured.is_likely_duplicate:
            pairs.append(DuplicatePair(first, second, measured))
    pairs.sort(key=lambda pair: (-pair.similarity.score, pair.first.name, pair.second.name))
    return pairs


def duplicates_among(applications) -> list[DuplicatePair]:
    """Likely duplicates among ``applications`` (a queryset of one region's), retired ones
    left out."""
    from opds.models import Application

    candidates = (
        applications.exclude(status=Application.Status.INACTIVE)
        .select_related("opd")
        .only("pk", "name", "description", "opd__name", "opd__short_name")
    )
    return likely_duplicates(candidates)


def region_duplicates(user, region) -> list[DuplicatePair]:
    """Likely duplicates among the region's applications ``user`` may see, retired ones left
    out."""
    from opds.models import Application

    return duplicates_among(Application.objects.visible_to(user).filter(opd__region=region))
