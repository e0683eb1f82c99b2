"""Making untrusted text safe to process and to show, before anything else reads it.

Article text, titles and file names come from anywhere: scraped dumps carry lone surrogate
escapes (``"\\ud800"`` in JSON, which spaCy and UTF-8 writers reject), terminal escape
sequences, NUL bytes and bidirectional overrides that reorder what a reader sees. Every reader's
output goes through :func:`safe_text` (text) or :func:`display_name` (file names).
"""

from __future__ import annotations

import os
import re

# Terminal escape sequences as a whole (CSI "ESC [ ... m", OSC "ESC ] ... BEL", two-byte
# escapes): removing only the ESC would leave "[31m" in the text.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
# C0 and C1 control characters except tab and the line breaks (\n, \r; \v and \f become \n),
# DEL, and the bidi embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI),
# which can make shown text read differently from what it is ("Trojan Source"). The plain
# direction marks (LRM, RLM, ALM) stay: they are legitimate in Arabic and Hebrew text and
# reorder nothing beyond their neighbours.
_CONTROLS = re.compile(
    r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udfff]"
)
_VERTICAL = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_UNSAFE_HINT = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]"
)
# In a file name every control character is shown as an escape, tab and newline too.
_UNSAFE_IN_NAME = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]"
)


def _replace(match: re.Match[str]) -> str:
    # A lone surrogate stands for a character that was lost: mark the spot. Controls go.
    return "\ufffd" if "\ud800" <= match.group(0) <= "\udfff" else ""


def safe_text(text: str) -> str:
    """``text`` without terminal escapes, control characters (tab and line breaks kept) and
    bidi overrides; lone surrogates become U+FFFD. Unchanged (and fast) when already clean."""
    if not _UNSAFE_HINT.search(text):
        return text
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    text = text.translate(_VERTICAL)
    # \t, \n and \r are outside the removed ranges; \x0b and \x0c were turned into \n.
    return _CONTROLS.sub(_replace, text)


def safe_field(value: str | None, limit: int) -> str | None:
    """A one-line field (title, outlet, url, id): safe, on one line, at most ``limit`` chars."""
    if value is None:
        return None
    value = " ".join(safe_text(value).split())
    if len(value) > limit:
        value = value[: limit - 1].rstrip() + "…"
    return value or None


def display_name(file_name: str | os.PathLike[str]) -> str:
    """A file name as it can be shown and written anywhere: bytes that are not UTF-8 (kept by
    Python as surrogate escapes) and control characters become visible ``\\xNN`` escapes."""
    raw = os.fsencode(file_name)
    shown = raw.decode("utf-8", errors="backslashreplace")
    if not _UNSAFE_IN_NAME.search(shown):
        return shown
    return "".join(_escaped(char) if _UNSAFE_IN_NAME.match(char) else char for char in shown)


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
