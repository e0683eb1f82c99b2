"""The learned sentence scorer: a small network over :mod:`storyline.summarise.features`.

The model is a JSON file shipped in the package (``data/scorer.json``), trained by
``python -m storyline.summarise.train`` on Multi-News validation clusters; inference is a few
numpy matrix products, no ML library needed.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from storyline.summarise.features import FEATURE_NAMES

__all__ = ["Scorer", "default_scorer"]


class Scorer:
    """Standardise the features, then a one-hidden-layer network (or a linear model when
    the file has no hidden layer) gives each candidate a salience score."""

    def __init__(self, model: dict[str, Any]) -> None:
        names = tuple(model["features"])
        missing = set(names) - set(FEATURE_NAMES)
        if missing:
            raise ValueError(f"scorer model uses unknown features: {sorted(missing)}")
        self.columns = np.array([FEATURE_NAMES.index(name) for name in names])
        self.mean = np.array(model["mean"], dtype=np.float64)
        self.scale = np.array(model["scale"], dtype=np.float64)
        self.layers = [
            (np.array(layer["weight"], dtype=np.float64), np.array(layer["bias"], np.float64))
            for layer in model["layers"]
        ]
        self.meta = model.get("meta", {})

    @classmethod
    def load(cls, path: str | Path) -> Scorer:
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def __call__(self, features: np.ndarray) -> np.ndarray:
        """Scores of the rows of ``features`` (columns in :data:`FEATURE_NAMES` order)."""
        if len(features) == 0:
            return np.zeros(0)
        hidden = (features[:, self.columns] - self.mean) / self.scale
        for i, (weight, bias) in enumerate(self.layers):
            hidden = hidden @ weight + bias
            if i < len(self.layers) - 1:
                hidden = np.tanh(hidden)
        return hidden[:, 0]


@lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    """The model shipped with the package."""
    text = resources.files("storyline.summarise").joinpath("data/scorer.json").read_text("utf-8")
    return Scorer(json.loads(text))
