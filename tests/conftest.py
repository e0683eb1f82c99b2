"""Shared fixtures: the example story, the shared data sets, one brief of the example."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "derna"
SHARED_DATA = Path(os.environ.get("STORYLINE_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return SEED


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def seed_brief():
    from storyline import brief

    return brief(SEED)


@pytest.fixture(scope="session")
def seed_mentions() -> tuple[list, dict[str, str]]:
    """spaCy's entity mentions of the raw seed articles (article id = file prefix) and texts."""
    from storyline.analyse import ENTITY_LABELS
    from storyline.analyse.nlp import load_pipeline, sentences_of
    from storyline.model import EntityMention, sentence_index_at

    nlp = load_pipeline()
    texts = {path.name[:3]: path.read_text(encoding="utf-8") for path in SEED.glob("*.txt")}
    mentions = []
    for article_id, text in sorted(texts.items()):
        doc = nlp(text)
        sentences = [sentence for _, sentence in sentences_of(doc, article_id)]
        for ent in doc.ents:
            if ent.label_ in ENTITY_LABELS:
                index = sentence_index_at(sentences, ent.start_char)
                mentions.append(
                    EntityMention(
                        ent.text, ent.label_, article_id, index, ent.start_char, ent.end_char
                    )
                )
    return mentions, texts
