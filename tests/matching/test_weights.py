import json

import numpy as np
import pytest

from matching.scoring import COMPONENTS, MatchScorer
from matching.weights import WeightLearner, load, save

from .records import TODAY, placement


def decisions(seed=0, n=400):
    """Counsellors who approve mostly on talent and distance, and ignore feedback."""
    rng = np.random.default_rng(seed)
    X = rng.random((n, len(COMPONENTS)))
    talent, distance = COMPONENTS.index("talent"), COMPONENTS.index("distance")
    logit = 6 * X[:, talent] + 3 * X[:, distance] - 4.5
    y = rng.random(n) < 1 / (1 + np.exp(-logit))
    return [dict(zip(COMPONENTS, row, strict=True)) for row in X], y


def test_fitted_weights_follow_what_counsellors_approve():
    learner = WeightLearner().fit(*decisions())
    weights = learner.weights_
    assert sum(weights.values()) == pytest.approx(1.0, abs=1e-3)
    assert weights["talent"] > weights["distance"] > weights["feedback"]
    assert all(w >= 0 for w in weights.values())
    assert learner.result_.auc_cross_validated > 0.7


def test_saved_weights_are_json_with_a_model_card_and_load_back(tmp_path):
    result = WeightLearner().fit(*decisions()).result_
    card = save(result, tmp_path / "weights.json")
    data = json.loads((tmp_path / "weights.json").read_text())
    assert data["format"] == "talentmatch-weights/1" and data["n_decisions"] == 400
    assert "Gender is not an input" in card.read_text()
    weights = load(tmp_path / "weights.json")
    assert weights == pytest.approx(result.weights)
    scorer = MatchScorer(weights=weights, today=TODAY).fit([placement()])
    assert scorer.weights_["talent"] == pytest.approx(result.weights["talent"], abs=1e-3)


def test_too_few_or_one_sided_decisions_are_refused_with_a_reason():
    rows, y = decisions(n=10)
    with pytest.raises(ValueError, match="at least 30 decisions"):
        WeightLearner().fit(rows, y)
    rows, _ = decisions(n=50)
    with pytest.raises(ValueError, match="both approved and rejected"):
        WeightLearner().fit(rows, [True] * 50)


def test_loading_something_else_says_what_is_wrong(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"weights": {}}')
    with pytest.raises(ValueError, match="not a Talentmatch weights file"):
        load(bad)
    bad.write_text("not json")
    with pytest.raises(ValueError, match="cannot read weights"):
        load(bad)
    bad.write_text(json.dumps({"format": "talentmatch-weights/1", "weights": {"text": 1}}))
    with pytest.raises(ValueError, match="non-negative number for each of"):
        load(bad)
    for nasty in ("Infinity", "NaN", "true", "0"):
        bad.write_text('{"format": "talentmatch-weights/1", "weights": {'
                       + ", ".join(f'"{name}": {nasty}' for name in COMPONENTS) + "}}")
        with pytest.raises(ValueError, match="finite, non-negative"):
            load(bad)
