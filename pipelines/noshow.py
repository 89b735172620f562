"""What predicts a no-show: a logistic regression on lead time, hour, source and first visit.

`no_show_model(facts)` is an ML step: it fits on a fixed, stratified three-quarters of the
meetings with a recorded outcome (`queries.booking_facts`) and returns the fitted model with
its metrics on the held-out quarter. `summarise` renders them; `drivers` lists the
coefficients, which say how each feature moves the odds of a no-show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

SEED = 0
NUMERIC = ("lead_hours", "hour")
CATEGORICAL = ("source", "is_first_time")
TARGET = "is_no_show"


@dataclass
class NoShowModel:
    """The fitted pipeline and its held-out metrics."""

    pipeline: Pipeline
    metrics: dict[str, float]


def _features(facts: pl.DataFrame) -> tuple[object, np.ndarray]:
    frame = facts.select(
        pl.col("lead_hours").clip(lower_bound=0).cast(pl.Float64),
        pl.col("hour").cast(pl.Float64),
        pl.col("source").fill_null("unknown"),
        pl.col("is_first_time").cast(pl.String),
    ).to_pandas()
    return frame, facts[TARGET].cast(pl.Int8).to_numpy()


def _log_scaled() -> Pipeline:
    """log(1 + hours), then standardised: lead times span minutes to months."""
    log = FunctionTransformer(np.log1p, feature_names_out="one-to-one")
    return Pipeline([("log", log), ("scale", StandardScaler())])


def no_show_model(facts: pl.DataFrame) -> NoShowModel:
    """Fit the no-show model; metrics are ROC AUC, average precision and Brier score."""
    features, target = _features(facts)
    if len(set(target.tolist())) < 2:
        raise ValueError("The model needs both attended meetings and no-shows to learn from.")
    x_train, x_test, y_train, y_test = train_test_split(
        features, target, test_size=0.25, random_state=SEED, stratify=target
    )
    prepare = ColumnTransformer(
        [
            ("lead", _log_scaled(), ["lead_hours"]),
            ("hour", StandardScaler(), ["hour"]),
            ("kind", OneHotEncoder(handle_unknown="ignore", drop="first"), list(CATEGORICAL)),
        ]
    )
    pipeline = Pipeline(
        [
            ("features", prepare),
            ("model", LogisticRegression(class_weight="balanced", random_state=SEED)),
        ]
    ).fit(x_train, y_train)
    scores = pipeline.predict_proba(x_test)[:, 1]
    metrics = {
        "meetings": float(len(target)),
        "no_show_rate": float(target.mean()),
        "roc_auc": float(roc_auc_score(y_test, scores)),
        "average_precision": float(average_precision_score(y_test, scores)),
        "brier": float(brier_score_loss(y_test, scores)),
    }
    return NoShowModel(pipeline, metrics)


def drivers(model: NoShowModel) -> pl.DataFrame:
    """Each feature's coefficient (log-odds of a no-show per unit), strongest first."""
    names = model.pipeline.named_steps["features"].get_feature_names_out()
    coefficients = model.pipeline.named_steps["model"].coef_[0]
    return pl.DataFrame({"feature": list(names), "coefficient": coefficients.tolist()}).sort(
        pl.col("coefficient").abs(), descending=True
    )


def summarise(model: NoShowModel) -> str:
    """The metrics in one paragraph."""
    m = model.metrics
    return (
        f"{int(m['meetings']):,} meetings, {m['no_show_rate']:.1%} no-shows. On the held-out "
        f"quarter: ROC AUC {m['roc_auc']:.3f}, average precision {m['average_precision']:.3f} "
        f"(chance: {m['no_show_rate']:.3f}), Brier score {m['brier']:.3f}."
    )
