"""Learning the component weights from counsellors' decisions, and keeping them without pickle.

A counsellor approves or rejects proposals. Each decision is a row of score components and a
label; a logistic regression on those rows says how much each component predicts approval. Its
coefficients, clipped at zero (a component may not count *against* a pair: a nearer placement
must never score lower for being near), become the weights. The result is saved as a small JSON
file that a person can read, with a model card that says what it was fitted on and how well it
did; nothing is ever unpickled.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from .scoring import COMPONENTS, DEFAULT_WEIGHTS

FORMAT = "talentmatch-weights/1"


@dataclass(frozen=True, slots=True)
class FittedWeights:
    weights: dict[str, float]
    coefficients: dict[str, float]
    intercept: float
    n_decisions: int
    n_approved: int
    auc_cross_validated: float | None
    fitted_at: str

    def to_json(self) -> dict:
        return {"format": FORMAT, "weights": self.weights, "coefficients": self.coefficients,
                "intercept": self.intercept, "n_decisions": self.n_decisions,
                "n_approved": self.n_approved,
                "auc_cross_validated": self.auc_cross_validated, "fitted_at": self.fitted_at}

    def model_card(self) -> str:
        auc = "n/a (too few decisions of one kind)" if self.auc_cross_validated is None \
            else f"{self.auc_cross_validated:.3f}"
        rows = "\n".join(
            f"| {name} | {DEFAULT_WEIGHTS[name]:.3f} | {self.weights[name]:.3f} | "
            f"{self.coefficients[name]:+.3f} |" for name in COMPONENTS)
        return f"""# Model card: Talentmatch score weights

- **What it does**: weighs the score components of a (student, placement) pair into one score.
  Hard rules (level, kind, travel limit, period) are applied before and are not learned.
- **Fitted on**: {self.n_decisions} counsellor decisions ({self.n_approved} approved,
  {self.n_decisions - self.n_approved} rejected), {self.fitted_at}.
- **Method**: logistic regression (scikit-learn, L2, balanced classes) on the components;
  negative coefficients are clipped to zero and the rest rescaled to sum to one.
- **Quality**: ROC AUC of approval predicted from the components, 5-fold cross-validated: {auc}.
- **Inputs**: {", ".join(COMPONENTS)}. Gender is not an input, nor anything derived from it.
- **Limits**: it learns what counsellors approved, including their habits; compare the
  fairness audit of a round with these weights to one with the default weights before using it.

| component | default weight | fitted weight | coefficient |
|---|---|---|---|
{rows}
"""


class WeightLearner(BaseEstimator):
    """Fits component weights from decisions.

    Parameters
    ----------
    C : inverse regularisation strength of the logistic regression.
    min_decisions : fewer decisions than this is refused: the weights would be noise.
    random_state : for the cross-validation folds.
    """

    def __init__(self, C: float = 1.0, min_decisions: int = 30, random_state: int = 0):
        self.C = C
        self.min_decisions = min_decisions
        self.random_state = random_state

    def fit(self, components: list[dict[str, float]] | np.ndarray,
            approved: list[bool] | np.ndarray) -> WeightLearner:
        X = np.array([[row[name] for name in COMPONENTS] for row in components], dtype=float) \
            if not isinstance(components, np.ndarray) else components.astype(float)
        y = np.asarray(approved, dtype=int)
        if len(y) < self.min_decisions:
            raise ValueError(f"need at least {self.min_decisions} decisions to fit weights, "
                             f"got {len(y)}")
        if len(set(y.tolist())) < 2:
            raise ValueError("need both approved and rejected proposals to fit weights")
        model = LogisticRegression(C=self.C, class_weight="balanced", max_iter=1000)
        model.fit(X, y)
        coef = model.coef_[0]
        clipped = np.clip(coef, 0.0, None)
        weights = clipped / clipped.sum() if clipped.sum() > 0 else \
            np.array([DEFAULT_WEIGHTS[name] for name in COMPONENTS])
        auc = None
        folds = min(5, int(np.bincount(y).min()))
        if folds >= 2:
            cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.random_state)
            # scikit-learn's inferred return type of cross_val_predict is not an array.
            predicted = np.asarray(cross_val_predict(
                LogisticRegression(C=self.C, class_weight="balanced", max_iter=1000), X, y,
                cv=cv, method="predict_proba"))[:, 1]
            auc = round(float(roc_auc_score(y, predicted)), 4)
        self.coef_ = coef
        self.intercept_ = float(np.asarray(model.intercept_)[0])
        self.weights_: dict[str, float] = dict(
            zip(COMPONENTS, (round(float(w), 4) for w in weights), strict=True))
        self.result_ = FittedWeights(
            weights=self.weights_,
            coefficients=dict(zip(COMPONENTS, (round(float(c), 4) for c in coef), strict=True)),
            intercept=round(self.intercept_, 4), n_decisions=int(len(y)),
            n_approved=int(y.sum()), auc_cross_validated=auc,
            fitted_at=datetime.now(UTC).isoformat(timespec="seconds"))
        return self


def save(result: FittedWeights, path: Path) -> Path:
    """Writes the weights as JSON and the model card next to it (``.md``)."""
    path = Path(path)
    path.write_text(json.dumps(result.to_json(), indent=2, sort_keys=True) + "\n",
                    encoding="utf-8")
    card = path.with_suffix(".md")
    card.write_text(result.model_card(), encoding="utf-8")
    return card


def _is_weight(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) \
        and math.isfinite(value) and value >= 0


def load(path: Path) -> dict[str, float]:
    """The weights saved by :func:`save`; a clear error for anything else."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"cannot read weights from {path}: {error}") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{path} is not a Talentmatch weights file ({FORMAT})")
    weights = data.get("weights", {})
    if not isinstance(weights, dict) or set(weights) != set(COMPONENTS) or not all(
            _is_weight(v) for v in weights.values()) or sum(weights.values()) <= 0:
        raise ValueError(f"{path}: weights must give a finite, non-negative number for each "
                         f"of {', '.join(COMPONENTS)}, not all zero")
    return {name: float(weights[name]) for name in COMPONENTS}
