"""Evaluation metrics: Multi-News ROUGE (rouge-score) and Timeline17 metrics (tilse protocol).

``rouge-score`` is needed only for :func:`multinews_scores` and is imported on first use.
"""

from __future__ import annotations

from storyline.evaluate.rouge import multinews_scores
from storyline.evaluate.timeline_metrics import average_timeline_scores, timeline_scores

__all__ = ["average_timeline_scores", "multinews_scores", "timeline_scores"]
