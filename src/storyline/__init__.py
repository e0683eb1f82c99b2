"""storyline: from a heap of news articles about one story to a sourced brief."""

__version__ = "0.1.0"
