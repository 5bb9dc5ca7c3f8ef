"""Block scoring gives, bit for bit, the totals of the plain computation, whatever the layout."""

import random
from datetime import date, timedelta

import numpy as np
import pytest

import matching.blocks
from matching.blocks import CohortBlocks
from matching.components import UNKNOWN_DISTANCE, UNKNOWN_STUDENT_PERIOD, period_fit
from matching.scoring import MatchScorer

from .records import TODAY, observed, placement, student

POSTCODES = ("6901", "6902", "6903", "6911", "6921", "6941", "6951", "7001", "1011", None)
LEVELS = ("vmbo_bb", "mbo_2", "mbo_3", "hbo")
KINDS = ("snuffelstage", "bol_internship", "bbl_apprenticeship")
THEMES = ("robotica", "elektrotechniek", "installatietechniek", "bouw", "lassen")
WORDS = ("solderen", "robots", "lassen", "bouwen", "installeren", "programmeren", "monteur",
         "zorg", "kapper", "schakelkasten", "printplaten")
DAYS = (None, date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 15), date(2026, 6, 30))


def some_period(rng: random.Random) -> tuple[date | None, date | None]:
    start = rng.choice(DAYS)
    end = rng.choice((None, *(d for d in DAYS if d and (start is None or d > start))))
    return start, end if end is None or start is None or end > start else None


def cohort(seed: int, n_students: int = 160, n_placements: int = 60):
    rng = random.Random(seed)
    placements = []
    for j in range(1, n_placements + 1):
        starts_on, ends_on = some_period(rng)
        placements.append(placement(
            j, kind=rng.choice(KINDS), postcode=rng.choice(POSTCODES),
            levels=tuple(rng.sample(LEVELS, rng.randint(0, 2))),
            themes=tuple(rng.sample(THEMES, rng.randint(0, 2))),
            title=f"Stage {rng.choice(WORDS)}",
            description=" ".join(rng.sample(WORDS, 3)), starts_on=starts_on, ends_on=ends_on))
    # Twins of some placements: equal scores, so ties are part of what is compared.
    placements += [placement(n_placements + j, **{
        field: getattr(placements[j], field) for field in (
            "kind", "postcode", "levels", "themes", "title", "description", "starts_on",
            "ends_on")}) for j in range(0, n_placements, 7)]
    students = []
    for i in range(1, n_students + 1):
        available_from, available_until = some_period(rng)
        students.append(student(
            i, level=rng.choice(LEVELS), postcode=rng.choice(POSTCODES),
            travel_km=float(rng.choice((0, 5, 10, 25, 40, 120))),
            available_from=available_from, available_until=available_until,
            wanted_kinds=tuple(rng.sample(KINDS, rng.randint(0, 2))),
            interests=" ".join(rng.sample(WORDS, rng.randint(0, 3))),
            themes=tuple(rng.sample(THEMES, rng.randint(0, 1))),
            observations=tuple(observed(t) for t in rng.sample(THEMES, rng.randint(0, 1)))))
    scorer = MatchScorer(today=TODAY, candidates_k=8).fit(placements)
    return scorer, students


def plain_total(scorer, batch, rows, cols, km):
    """The block's totals as the scorer computed them before blocks shared anything: every
    rule over the whole rows x cols matrix (the reference the block scoring must equal)."""
    w = scorer.weights_
    side = np.hstack([w["themes"] * batch.fit, w["talent"] * batch.evidence]).astype(np.float32)
    limit = np.maximum(batch.travel_km[rows], 1e-9)[:, None]
    located = ~np.isnan(km)
    mask = (km[None, :] <= batch.travel_km[rows][:, None]) | ~located
    mask &= batch.wants[rows][:, scorer.kind_[cols]]
    mask &= ~batch.insufficient[rows][:, None]
    fitting = None
    if scorer.period_known_[cols].any() and batch.period_known[rows].any():
        fitting = period_fit(scorer, batch.available[rows, 0][:, None],
                             batch.available[rows, 1][:, None],
                             batch.period_known[rows][:, None], cols[None, :])
        mask &= fitting.overlap
    live = np.flatnonzero(mask.any(axis=0))
    cols, km, located = cols[live], km[live], located[live]
    if fitting is None:
        period = np.where(scorer.period_known_[cols], UNKNOWN_STUDENT_PERIOD, 1.0)[None, :]
    else:
        period = fitting.score[:, live]
    total = side[rows] @ scorer.theme_pair_[cols].T
    total += w["text"] * (batch.text[rows] @ scorer.text_[cols].T).toarray()
    total += scorer.column_constant_[cols]
    ratio = np.where(located, km, 0.0)[None, :] / limit
    total += w["distance"] * np.where(located, np.clip(1.0 - ratio, 0.0, 1.0),
                                      UNKNOWN_DISTANCE)
    total += w["period"] * period
    out = np.full(mask.shape, -np.inf, dtype=total.dtype)
    out[:, live] = np.where(mask[:, live], total, -np.inf)
    return out, mask


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_block_scores_bit_for_bit_as_the_plain_computation(seed):
    scorer, students = cohort(seed)
    batch = scorer.prepare(students)
    blocks = CohortBlocks(scorer, batch)
    seen = np.zeros(len(students), dtype=int)
    for block in blocks:
        got = blocks.total(block)
        total, mask = plain_total(scorer, batch, block.rows, block.cols,
                                  block.near.km[block.at])
        assert np.array_equal(got.live, np.flatnonzero(mask.any(axis=0)))
        assert np.array_equal(got.admissible, mask.sum(axis=1))
        full = got.full(len(block.at))
        assert full.dtype == total.dtype and full.tobytes() == total.tobytes()
        seen[block.rows] += 1
    # Every student is in exactly one block, and some blocks hold admissible pairs.
    assert (seen == 1).all()
    assert scorer.score(batch).scores.nnz > 0


def plain_candidates(scorer, batch, k):
    """Each row's k best as scoring chose them over the whole block, before it kept only the
    live placements: a selection over every placement of the block (-inf where excluded).
    Also how many rows had a tie at the k-th place."""
    chosen, boundary_ties = {}, 0
    for block in CohortBlocks(scorer, batch):
        total, _ = plain_total(scorer, batch, block.rows, block.cols, block.near.km[block.at])
        best = np.argpartition(-total, k - 1, axis=1)[:, :k] if total.shape[1] > k \
            else np.broadcast_to(np.arange(total.shape[1]), total.shape)
        for n, row in enumerate(block.rows.tolist()):
            kept = best[n][np.isfinite(total[n, best[n]])]
            chosen[row] = sorted(block.cols[kept].tolist())
            ranked = -np.sort(-total[n])
            boundary_ties += bool(len(ranked) > k and np.isfinite(ranked[k])
                                  and ranked[k - 1] == ranked[k])
    return chosen, boundary_ties


@pytest.mark.parametrize("seed", [7, 8])
def test_each_student_keeps_the_candidates_a_selection_over_the_whole_block_keeps(seed):
    # Twins tie, and with a short list ties fall on its last place: which twin stays is
    # decided as over the whole block.
    scorer, students = cohort(seed, n_students=120, n_placements=40)
    scorer.set_params(candidates_k=3)
    batch = scorer.prepare(students)
    table = scorer.score(batch)
    expected, boundary_ties = plain_candidates(scorer, batch, 3)
    assert boundary_ties > 0
    for i in range(len(students)):
        assert table.scores[i].indices.tolist() == expected[i]  # by placement, as stored
    assert table.scores.has_canonical_format


def test_the_placements_words_made_per_block_give_the_same_candidates(monkeypatch):
    scorer, students = cohort(4)
    batch = scorer.prepare(students)
    shared = scorer.score(batch)
    monkeypatch.setattr(matching.blocks, "DENSE_TEXT_CELLS", 0)
    per_block = scorer.score(batch)
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(shared.scores, name), getattr(per_block.scores, name))
    assert np.array_equal(shared.admissible, per_block.admissible)


def test_placements_without_a_free_place_are_left_out_of_every_block():
    scorer, students = cohort(5)
    batch = scorer.prepare(students)
    available = np.arange(len(scorer.placements_)) % 3 != 0
    table = scorer.score(batch, available=available)
    assert table.scores.nnz > 0
    assert available[table.scores.indices].all()
    # The rest are scored as without the unavailable ones: each student's best remaining.
    full = scorer.score(batch)
    for i in range(len(students)):
        row = full.scores[i]
        kept = row.indices[available[row.indices]]
        assert set(table.scores[i].indices) >= set(kept[:1].tolist()) or not len(kept)


def test_a_student_beyond_every_placement_and_one_without_a_postcode_are_scored_too():
    far = [placement(1, postcode="1011"), placement(2, postcode=None)]
    scorer = MatchScorer(today=TODAY).fit(far)
    students = [student(1, postcode="6901", travel_km=5), student(2, postcode=None),
                student(3, postcode="0000")]
    table = scorer.score(students)
    assert table.scores[0].indices.tolist() == [1]  # only the one without a location
    assert sorted(table.scores[1].indices.tolist()) == [0, 1]
    assert table.admissible.tolist() == [1, 2, 2]


def test_availability_and_periods_are_read_once_per_distinct_value_and_spread_exactly():
    start = date(2026, 3, 1)
    placements = [placement(j, starts_on=start + timedelta(days=j),
                            ends_on=start + timedelta(days=40 + j)) for j in range(1, 6)]
    scorer = MatchScorer(today=TODAY).fit(placements)
    students = [student(i, available_from=start + timedelta(days=3 * (i % 4)),
                        available_until=start + timedelta(days=30)) for i in range(1, 13)]
    batch = scorer.prepare(students)
    blocks = CohortBlocks(scorer, batch)
    [block] = list(blocks)
    assert block.near.period.shape == (4, 5)  # four availabilities, five periods
    total, _ = plain_total(scorer, batch, block.rows, block.cols, block.near.km[block.at])
    assert blocks.total(block).full(len(block.at)).tobytes() == total.tobytes()


def test_with_no_placement_available_nobody_has_a_candidate_and_progress_counts_everyone():
    scorer, students = cohort(9, n_students=50, n_placements=20)
    batch = scorer.prepare(students)
    calls = []
    table = scorer.score(batch, available=np.zeros(len(scorer.placements_), dtype=bool),
                         progress=lambda done, total: calls.append((done, total)))
    assert table.scores.nnz == 0 and not table.admissible.any()
    assert calls and calls[-1] == (len(students), len(students))
    assert scorer.score(batch).scores.nnz > 0
