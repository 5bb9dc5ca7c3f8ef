"""The signals of the occupation normaliser and the weights that fuse them.

``regime_weights(fields, given)`` gives the weights a normaliser fuses titles and long texts
with (``given`` overrides keys of both): titles take ``DEFAULT_WEIGHTS``, texts of more than
``LONG_TEXT_WORDS`` words ``TEXT_WEIGHTS``, and a normaliser that may not search alternative
labels ``NO_ALT_WEIGHTS`` for both; keys a set lacks take ``DEFAULT_WEIGHTS``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .occupation_lexicon import LEXICON_SIGNALS

SIGNALS = ("words", "preferred", "chars", "occupation_chars", "description", "exact",
           *LEXICON_SIGNALS)
# Fitted by ``benchmarks/occupations.py --fit-weights`` (ESCO held-out labels, seed 0);
# "exact" is set, not fitted, so that a title that is an ESCO label comes first. The lexicon's
# signals ("english", "onet", "related") are set by hand: for titles the learned re-ranker
# weighs them (see ``reranking``), these only choose its candidates; 0.6/0.2/0.4 against
# 0.3/0.1/0.2 moved uwv_title_nl hit@10 from 0.781 to 0.787 (5-fold, development split).
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "words": 0.94, "preferred": 0.68, "chars": 1.0, "occupation_chars": 0.74,
    "description": 0.43, "exact": 1.0, "group": 0.0, "parent": 0.3,
    "english": 0.6, "onet": 0.2, "related": 0.4,
}
# Texts of more words than this are descriptions (a student's "what I like"), not titles.
LONG_TEXT_WORDS = 10
# Where no learned model re-scores, long texts and searches without alternative labels fuse
# the signals with weights of their own, fitted (``benchmarks/occupations.py --fit-regimes``)
# on the development split's ESCO-derived queries of that kind; keys missing take DEFAULT_WEIGHTS.
TEXT_WEIGHTS: Mapping[str, float] = {
    "words": 0.52, "preferred": 0.85, "chars": 0.91, "occupation_chars": 1.0, "description": 0.0,
    "english": 0.63, "onet": 0.28, "related": 0.0, "group": 0.0, "parent": 0.0}
NO_ALT_WEIGHTS: Mapping[str, float] = {
    "words": 0.72, "preferred": 0.72, "chars": 1.0, "occupation_chars": 0.87, "description": 0.62,
    "english": 0.6, "onet": 0.17, "related": 0.19, "group": 0.0, "parent": 0.0}


def regime_weights(fields: Iterable[str], given: Mapping[str, float]
                   ) -> tuple[dict[str, float], dict[str, float]]:
    """The weights of titles and of long texts for a normaliser searching ``fields``."""
    if "altLabels" in set(fields):
        return ({**DEFAULT_WEIGHTS, **given}, {**DEFAULT_WEIGHTS, **TEXT_WEIGHTS, **given})
    both = {**DEFAULT_WEIGHTS, **NO_ALT_WEIGHTS, **given}
    return both, both
