"""Grouping a heap or a stream of articles into stories: copies first, then clustering."""
