"""Reading raw inputs (folders, files, glob patterns) into ``RawDocument`` objects.

Every input that yields no document yields a ``SkippedInput`` with the reason instead: one bad
file or JSON line never stops the others. Formats: plain text (any suffix that decodes as
text), HTML (main text via trafilatura), JSON / JSONL (optionally gzipped) with the usual news
field names, Multi-News style clusters, and Timeline17 topic folders (PTB-tokenized text).
"""

from __future__ import annotations

import codecs
import errno
import glob
import gzip
import io
import json
import logging
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import charset_normalizer

from storyline import settings
from storyline.ingest.sanitise import display_name
from storyline.model import RawDocument, SkippedInput
from storyline.settings import DEFAULT_MAX_BYTES

_log = logging.getLogger("storyline")
_PROGRESS_MIN_FILES = 10  # a bar for a handful of files is only noise

_GLOB_MAGIC = re.compile(r"[*?\[]")
_JSON_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")
_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_TIMELINE17_REFERENCE = {
    "timelines.jsonl": "Timeline17 reference timelines, not articles",
    "keywords.json": "Timeline17 topic keywords, not articles",
}
_TIMELINE17_ARTICLES = re.compile(r"^articles.*\.jsonl(\.gz)?$")

# Leading bytes of common non-text formats, so the reason can name what the file is.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "binary file (PDF document)"),
    (b"\x89PNG", "binary file (PNG image)"),
    (b"\xff\xd8\xff", "binary file (JPEG image)"),
    (b"GIF8", "binary file (GIF image)"),
    (b"RIFF", "binary file (RIFF media)"),
    (b"\x7fELF", "binary file (executable)"),
    (b"\xd0\xcf\x11\xe0", "binary file (MS Office document)"),
    (b"PK\x03\x04", "unsupported archive (zip; unpack it first)"),
    (b"BZh", "unsupported archive (bzip2; unpack it first)"),
    (b"\xfd7zXZ", "unsupported archive (xz; unpack it first)"),
    (b"7z\xbc\xaf", "unsupported archive (7z; unpack it first)"),
    (b"Rar!", "unsupported archive (rar; unpack it first)"),
)
_MAGIC_PREFIXES = tuple(magic for magic, _ in _MAGIC)
_GZIP_MAGIC = b"\x1f\x8b"

_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html\b)", re.I | re.S
)
_HTML_TAG = re.compile(
    r"</?(?:p|div|span|a|br|li|ul|ol|h[1-6]|script|style|article|section|meta|link|table|"
    r"body|head|title|nav|footer|header|img)\b[^<>]{0,500}>",
    re.I,
)

_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "heading"),
    "text": ("text", "body", "content", "article", "maintext", "full_text", "article_text"),
    "date": (
        "date",
        "time",
        "published",
        "publish_date",
        "pubdate",
        "datetime",
        "date_publish",
        "published_at",
        "publishedat",
        "publication_date",
        "pub_date",
        "timestamp",
    ),
    "url": ("url", "link", "uri", "href"),
    # The input's own id of an article, kept so that a program can join the brief to its data.
    "id": ("id", "_id", "uuid", "guid", "doc_id", "article_id", "document_id", "docid"),
    "outlet": (
        "source",
        "outlet",
        "publisher",
        "site",
        "sitename",
        "site_name",
        "domain",
        "source_domain",
        "source_name",
    ),
}
_CLUSTER_FIELDS = ("documents", "articles")
# A cluster of clusters is read (a story of sub-stories); deeper nesting is not news data.
_MAX_CLUSTER_DEPTH = 3
# The original Multi-News release joins a cluster's documents with this separator.
_MULTINEWS_SEPARATOR = "|||||"


def read_inputs(
    paths: Iterable[str | os.PathLike[str]],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: bool = False,
) -> Iterator[RawDocument | SkippedInput]:
    """Yield a ``RawDocument`` per article found in ``paths``, or a ``SkippedInput`` per failure.

    Folders are walked recursively in sorted order, glob patterns are expanded; files are read
    in that order and JSONL files in line order.
    """
    files, skipped = _expand_paths(paths)
    yield from skipped
    if progress and len(files) >= _PROGRESS_MIN_FILES:
        from tqdm import tqdm

        files = tqdm(files, desc="reading", unit="file")
    for file_name in files:
        yield from read_file(file_name, max_bytes=max_bytes)


def read_file(
    file_name: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[RawDocument | SkippedInput]:
    """Read one file; its :func:`display_name` is the ``source`` of what it yields.

    Never raises on content: a file that yields nothing gets a skip entry, and an unexpected
    error while reading one becomes a skip entry naming the error.
    """
    shown = display_name(file_name)
    found = False
    try:
        for item in _read_file(file_name, shown, max_bytes):
            found = True
            yield item
    except Exception as error:  # one strange file must never stop the others
        found = True
        yield SkippedInput(shown, f"could not be read ({type(error).__name__}: {_message(error)})")
    if not found:
        yield SkippedInput(shown, "no article found in the file")


def _message(error: BaseException) -> str:
    return " ".join(str(error).split())[:200] or type(error).__name__


def _read_file(file_name: str, shown: str, max_bytes: int) -> Iterator[RawDocument | SkippedInput]:
    path = Path(file_name)
    reference = _timeline17_reference_reason(path)
    if reference:
        yield SkippedInput(shown, reference)
        return
    try:
        info = path.stat()
    except OSError as error:
        yield SkippedInput(shown, _stat_failure(file_name, error))
        return
    if not stat.S_ISREG(info.st_mode):
        # A FIFO or a device would block or never end when read.
        yield SkippedInput(shown, f"not a regular file ({_file_kind(info.st_mode)})")
        return
    size = info.st_size
    if size > max_bytes:
        yield SkippedInput(
            shown, f"file too large ({_human_size(size)} > {_human_size(max_bytes)} limit)"
        )
        return
    if size == 0:
        yield SkippedInput(shown, "empty file")
        return
    name = path.name.lower()
    try:
        with open(path, "rb") as handle:
            head = handle.read(8192)
            if head.startswith(_GZIP_MAGIC):
                inner = name[:-3] if name.endswith(".gz") else name
                yield from _read_gzip(path, shown, inner, max_bytes)
                return
            if name.endswith(_JSON_SUFFIXES) and not head.startswith(_MAGIC_PREFIXES):
                handle.seek(0)
                yield from _read_json_lines(handle, shown, max_bytes)
                return
            data = head + handle.read()
    except OSError as error:
        yield SkippedInput(shown, f"unreadable file ({error.strerror or error})")
        return
    yield from _read_bytes(data, shown, name)


def _stat_failure(file_name: str, error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symbolic link loop"
    if os.path.islink(file_name):
        return "broken symbolic link (its target does not exist)"
    return f"unreadable file ({error.strerror or error})"


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


# ---------------------------------------------------------------- paths


def _expand_paths(
    paths: Iterable[str | os.PathLike[str]],
) -> tuple[list[str], list[SkippedInput]]:
    """Files to read (as the user spelled their folder or pattern) and paths that gave none."""
    files: list[str] = []
    skipped: list[SkippedInput] = []
    seen: set[str] = set()

    def add(file_name: str) -> None:
        key = os.path.realpath(file_name)
        if key not in seen:
            seen.add(key)
            files.append(file_name)

    def add_folder(folder: str, *, given: bool) -> None:
        found, notes = _walk_folder(folder)
        skipped.extend(notes)
        if given and not found and not notes:
            skipped.append(SkippedInput(display_name(folder), "empty folder"))
        for file_name in found:
            add(file_name)

    for given in paths:
        name = os.fspath(given)
        if isinstance(name, bytes):
            name = os.fsdecode(name)
        if os.path.isdir(name):
            add_folder(name, given=True)
        elif os.path.exists(name):
            add(name)
        elif os.path.islink(name):
            skipped.append(SkippedInput(display_name(name), _stat_failure_of(name)))
        elif _GLOB_MAGIC.search(name):
            matches = sorted(glob.glob(name, recursive=True))
            if not matches:
                skipped.append(SkippedInput(display_name(name), "no files match this pattern"))
            for match in matches:
                if os.path.isdir(match):
                    add_folder(match, given=False)
                else:
                    add(match)
        else:
            skipped.append(SkippedInput(display_name(name), "path not found"))
    return files, skipped


def _stat_failure_of(file_name: str) -> str:
    try:
        os.stat(file_name)
    except OSError as error:
        return _stat_failure(file_name, error)
    return "unreadable file"


def _walk_folder(folder: str) -> tuple[list[str], list[SkippedInput]]:
    """Files under ``folder`` in sorted path order, and a skip entry for every entry that is
    not read: hidden files and folders, unreadable folders, broken or looping symbolic links,
    special files, entries past the folder limit.

    Symbolic links to folders are followed once: a link back to a folder already being read
    (a loop) is reported instead.
    """
    found: list[str] = []
    notes: list[SkippedInput] = []
    visited = {os.path.realpath(folder)}
    entries = 0

    def unreadable(error: OSError) -> None:
        where = display_name(error.filename or folder)
        notes.append(SkippedInput(where, f"unreadable folder ({error.strerror or error})"))

    for root, dirs, names in os.walk(folder, onerror=unreadable, followlinks=True):
        entries += len(dirs) + len(names)
        if entries > settings.MAX_FOLDER_ENTRIES:
            notes.append(
                SkippedInput(
                    display_name(root),
                    f"not read: over {settings.MAX_FOLDER_ENTRIES:,} entries under "
                    f"{display_name(folder)}",
                )
            )
            dirs[:] = []
            break
        kept = []
        for directory in sorted(dirs):
            full = os.path.join(root, directory)
            if directory.startswith("."):
                notes.append(SkippedInput(display_name(full), "hidden folder"))
                continue
            real = os.path.realpath(full)
            if os.path.islink(full) and real in visited:
                notes.append(
                    SkippedInput(display_name(full), "symbolic link loop (a folder already read)")
                )
                continue
            visited.add(real)
            kept.append(directory)
        dirs[:] = kept
        for name in sorted(names):
            full = os.path.join(root, name)
            if name.startswith("."):
                notes.append(SkippedInput(display_name(full), "hidden file"))
            elif os.path.isfile(full):
                found.append(full)
            elif os.path.islink(full) and not os.path.exists(full):
                notes.append(SkippedInput(display_name(full), _stat_failure_of(full)))
            else:
                try:
                    kind = _file_kind(os.stat(full).st_mode)
                except OSError as error:
                    kind = error.strerror or str(error)
                notes.append(SkippedInput(display_name(full), f"not a regular file ({kind})"))
    # os.walk visits a folder's files before its subfolders; sort the whole list by path parts.
    found.sort(key=lambda file_name: Path(file_name).parts)
    return found, notes


def _timeline17_reference_reason(path: Path) -> str | None:
    reason = _TIMELINE17_REFERENCE.get(path.name.lower())
    if reason is None:
        return None
    try:
        siblings = os.listdir(path.parent)
    except OSError:
        return None
    if any(_TIMELINE17_ARTICLES.match(sibling.lower()) for sibling in siblings):
        return reason
    return None


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} kB"
    return f"{size} bytes"


# ---------------------------------------------------------------- bytes to documents


def _read_gzip(
    path: Path, shown: str, inner_name: str, max_bytes: int
) -> Iterator[RawDocument | SkippedInput]:
    if inner_name.endswith(_JSON_SUFFIXES):
        # Streamed line by line: JSONL dumps can be far larger than memory allows.
        try:
            with gzip.open(path, "rb") as handle:
                yield from _read_json_lines(handle, shown, settings.MAX_STREAM_BYTES)
        except (OSError, EOFError, zlib.error) as error:
            yield SkippedInput(shown, f"corrupt gzip file ({error})")
        return
    if not inner_name.endswith((".json", ".txt", ".text", *_HTML_SUFFIXES)):
        yield SkippedInput(shown, "unsupported archive (gzip of an unknown format)")
        return
    try:
        with gzip.open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as error:
        yield SkippedInput(shown, f"corrupt gzip file ({error})")
        return
    if len(data) > max_bytes:
        yield SkippedInput(shown, f"file too large (uncompressed > {_human_size(max_bytes)} limit)")
        return
    yield from _read_bytes(data, shown, inner_name)


def _read_bytes(data: bytes, shown: str, name: str) -> Iterator[RawDocument | SkippedInput]:
    if not data.strip():
        yield SkippedInput(shown, "empty file" if not data else "whitespace-only file")
        return
    for magic, reason in _MAGIC:
        if data.startswith(magic):
            yield SkippedInput(shown, reason)
            return
    if name.endswith(_JSON_SUFFIXES):
        yield from _read_json_lines(io.BytesIO(data), shown, len(data))
        return
    decoded = _decode(data)
    if isinstance(decoded, SkippedInput):
        yield SkippedInput(shown, decoded.reason)
        return
    text, encoding, warnings = decoded
    if not text.strip():
        yield SkippedInput(shown, "whitespace-only file")
        return
    if name.endswith(".json"):
        yield from _read_json_document(text, shown, encoding)
        return
    if name.endswith(_HTML_SUFFIXES) or _looks_like_html(data):
        yield _read_html(text, shown, encoding, warnings)
        return
    if _looks_ptb_tokenized(text):
        text = detokenize_ptb(text)
    yield RawDocument(source=shown, text=text, encoding=encoding, warnings=warnings)


_Decoded = tuple[str, str, list[str]]


def _decode(data: bytes) -> _Decoded | SkippedInput:
    """Text, encoding name and warnings of ``data``, or why it is not text."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding, []
            except UnicodeDecodeError:
                return SkippedInput("", f"undecodable text (invalid {encoding})")
    if b"\x00" in data[:8192]:
        utf16 = _decode_utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        return SkippedInput("", "binary file (contains NUL bytes)")
    try:
        # Strict UTF-8 first: the common case, and fast.
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    mixed = _decode_mixed_lines(data)
    if mixed is not None:
        return mixed
    text_encoding = _decode_western(data) or _decode_detected(data)
    if text_encoding is None:
        return SkippedInput("", "binary or undecodable file")
    text, encoding = text_encoding
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\n\r\t\f")
    if controls > max(2, len(text) // 100):
        return SkippedInput("", "binary file (control characters)")
    return text, encoding, []


def _decode_utf16_without_bom(data: bytes) -> _Decoded | None:
    """UTF-16 text saved without a byte order mark (Windows tools do): in mostly-ASCII text
    every other byte is NUL, the high (odd, little-endian; even, big-endian) ones."""
    sample = data[:8192]
    half = len(sample) // 2
    if half < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.6 * half and even <= 0.05 * half:
        encoding = "utf-16-le"
    elif even >= 0.6 * half and odd <= 0.05 * half:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data[: len(data) - len(data) % 2].decode(encoding)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for char in text[:8192] if ord(char) < 32 and char not in "\n\r\t\f")
    if controls > max(2, len(text[:8192]) // 100):
        return None
    return text, encoding, ["UTF-16 without a byte order mark"]


def _decode_mixed_lines(data: bytes) -> _Decoded | None:
    """A UTF-8 file with some lines in a legacy code page (pasted from an old file): each line
    is decoded on its own, so the UTF-8 part keeps its curly quotes. None when no line with
    non-ASCII characters is valid UTF-8 (then the whole file is in one legacy encoding)."""
    lines = data.split(b"\n")
    utf8_lines = 0
    legacy: list[int] = []
    for number, line in enumerate(lines):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_lines += 1
        except UnicodeDecodeError:
            legacy.append(number)
    if not utf8_lines or not legacy:
        return None
    joined = b"\n".join(lines[number] for number in legacy)
    other = _decode_western(joined) or _decode_detected(joined)
    if other is None:
        return None
    encoding = other[1]
    legacy_set = set(legacy)
    decoded = [
        line.decode(encoding, errors="replace") if number in legacy_set else line.decode("utf-8")
        for number, line in enumerate(lines)
    ]
    warning = (
        f"mixed encodings: {len(legacy)} of {len(lines)} lines are not UTF-8 and were read as "
        f"{encoding}"
    )
    return "\n".join(decoded), f"utf-8+{encoding}", [warning]


def _decode_western(data: bytes) -> tuple[str, str] | None:
    """Latin-1 / cp1252 when the decoded text is Latin-script prose.

    Why not charset-normalizer alone: on short Western texts it often answers cp1250 (which
    turns "à" into "ŕ"); news in Latin-script languages is by far our most common non-UTF-8
    input. Latin-1 and cp1252 differ only in 0x80-0x9F, so their choice is exact.
    """
    uses_c1 = any(0x80 <= byte <= 0x9F for byte in data)
    try:
        text = data.decode("cp1252" if uses_c1 else "latin-1")
    except UnicodeDecodeError:
        return None
    letters = [char for char in text if char.isalpha()]
    non_ascii = sum(1 for char in letters if ord(char) > 127)
    # Cyrillic, Greek, Arabic... read as cp1252 come out as long runs of accented letters.
    if not letters or non_ascii > 0.2 * len(letters):
        return None
    return text, "cp1252" if uses_c1 else "latin-1"


def _decode_detected(data: bytes) -> tuple[str, str] | None:
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None
    return str(best), best.encoding


def _looks_like_html(data: bytes) -> bool:
    if _HTML_START.match(data[:4096]):
        return True
    head = data[:8192].decode("latin-1")
    return len(_HTML_TAG.findall(head)) >= 5


def _read_html(
    html: str, file_name: str, encoding: str, warnings: list[str]
) -> RawDocument | SkippedInput:
    import trafilatura  # imported here: it is slow to import and only HTML input needs it

    extracted = trafilatura.bare_extraction(html, favor_precision=True, with_metadata=True)
    if extracted is None or not (extracted.text or "").strip():
        # Precision mode drops short pages; a second, lenient pass keeps them.
        extracted = trafilatura.bare_extraction(html, with_metadata=True)
    if extracted is None or not (extracted.text or "").strip():
        return SkippedInput(file_name, "no main text found in HTML")
    # trafilatura puts one paragraph per line; a blank line marks our paragraph breaks.
    paragraphs = [line.strip() for line in extracted.text.splitlines() if line.strip()]
    return RawDocument(
        source=file_name,
        text="\n\n".join(paragraphs),
        title=extracted.title or None,
        date_text=extracted.date or None,
        url=extracted.url or None,
        outlet=extracted.sitename or None,
        encoding=encoding,
        warnings=warnings,
    )


# ---------------------------------------------------------------- JSON


_NON_BLANK = re.compile(rb"[^ \t\r\n\x0b\x0c]")
_CHUNK = 1 << 20


def json_lines(handle: IO[bytes], max_total: int) -> Iterator[tuple[int, bytes | str]]:
    """(line number, line) of every non-blank line; (line number, reason) for a line over
    :data:`settings.MAX_LINE_BYTES` (skipped without being held whole) and, last, for the
    rest of an input over ``max_total`` bytes.

    Read in chunks: runs of blank lines are skipped inside C calls, not line by line (100 MB
    of blank lines took 108 s with ``for line in handle``).
    """
    max_line = settings.MAX_LINE_BYTES
    number = 1  # the number of the line starting at ``buffer[0]``
    buffer = b""
    total = 0
    in_long_line = False
    while chunk := handle.read(_CHUNK):
        total += len(chunk)
        if total > max_total:
            yield number, f"not read from here on: over the {_human_size(max_total)} limit"
            return
        buffer = buffer + chunk if buffer else chunk
        position = 0
        while True:
            if in_long_line:
                end = buffer.find(b"\n", position)
                if end < 0:
                    buffer, position = b"", 0
                    break
                in_long_line = False
                number += 1
                position = end + 1
                continue
            found = _NON_BLANK.search(buffer, position)
            if found is None:
                number += buffer.count(b"\n", position)
                buffer, position = b"", 0
                break
            number += buffer.count(b"\n", position, found.start())
            position = found.start()
            end = buffer.find(b"\n", position)
            if end < 0 or end + 1 - position > max_line:
                if end < 0 and len(buffer) - position <= max_line:
                    break  # an unfinished line: wait for the next chunk
                yield number, f"line too long (over the {_human_size(max_line)} limit)"
                if end < 0:
                    in_long_line = True
                    buffer, position = b"", 0
                    break
                number += 1
                position = end + 1
                continue
            yield number, buffer[position : end + 1]
            number += 1
            position = end + 1
        buffer = buffer[position:]
    if buffer.strip() and not in_long_line:
        yield number, buffer


def _read_json_lines(
    handle: IO[bytes], file_name: str, max_total: int
) -> Iterator[RawDocument | SkippedInput]:
    legacy_lines = 0
    any_line = False
    for number, raw_line in json_lines(handle, max_total):
        any_line = True
        source = f"{file_name}:{number}"
        if isinstance(raw_line, str):  # a limit was hit
            yield SkippedInput(source, raw_line)
            continue
        encoding = "utf-8"
        try:
            line = raw_line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            # JSON must be UTF-8, but hand-made files are sometimes saved as cp1252.
            encoding = "cp1252"
            line = raw_line.decode(encoding, errors="replace")
            legacy_lines += 1
        value = _parse_json(line.strip())
        if isinstance(value, SkippedInput):
            yield SkippedInput(source, value.reason)
            continue
        yield from documents_from_record(value, source, encoding)
    if not any_line:
        yield SkippedInput(file_name, "whitespace-only file")
    if legacy_lines:
        _log.warning(
            "%s: mixed encodings: %d lines are not UTF-8 and were read as cp1252",
            file_name,
            legacy_lines,
        )


def _parse_json(text: str) -> Any:
    """The JSON value of ``text``, or a ``SkippedInput`` (source left blank) saying why not."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        return SkippedInput("", f"malformed JSON ({error.msg} at column {error.colno})")
    except RecursionError:
        return SkippedInput("", "JSON nested too deeply")
    except ValueError as error:  # e.g. an integer of over 4,300 digits
        return SkippedInput("", f"malformed JSON ({_message(error)})")


def _read_json_document(
    text: str, file_name: str, encoding: str
) -> Iterator[RawDocument | SkippedInput]:
    value = _parse_json(text)
    if isinstance(value, SkippedInput):
        # A ".json" file is often really JSON Lines.
        if "\n" in text.strip() and "nested too deeply" not in value.reason:
            encoded = text.encode("utf-8", errors="surrogatepass")
            yield from _read_json_lines(io.BytesIO(encoded), file_name, len(encoded))
            return
        yield SkippedInput(file_name, value.reason)
        return
    if isinstance(value, list):
        for index, item in enumerate(value, start=1):
            yield from documents_from_record(item, f"{file_name}[{index}]", encoding)
    else:
        yield from documents_from_record(value, file_name, encoding)


def documents_from_record(
    value: Any, source: str, encoding: str, *, _depth: int = 0
) -> Iterator[RawDocument | SkippedInput]:
    """The articles of one parsed JSON value: an article object, or a cluster object with a
    "documents"/"articles" list (Multi-News); anything else is a skipped input."""
    if not isinstance(value, dict):
        yield SkippedInput(source, f"not a JSON object ({type(value).__name__})")
        return
    fields = {str(key).lower(): item for key, item in value.items()}
    for cluster_field in _CLUSTER_FIELDS:
        documents = fields.get(cluster_field)
        if isinstance(documents, str) and _MULTINEWS_SEPARATOR in documents:
            documents = documents.split(_MULTINEWS_SEPARATOR)
        if isinstance(documents, list):
            if _depth >= _MAX_CLUSTER_DEPTH:
                yield SkippedInput(source, f"clusters nested more than {_MAX_CLUSTER_DEPTH} deep")
                return
            if not documents:
                yield SkippedInput(source, f"empty '{cluster_field}' list")
            for index, document in enumerate(documents, start=1):
                member = f"{source}#{index}"
                if isinstance(document, str) and not document.strip():
                    yield SkippedInput(member, "empty document")
                    continue
                if isinstance(document, str):
                    document = {"text": document}
                yield from documents_from_record(document, member, encoding, _depth=_depth + 1)
            return
    text = _text_field(fields)
    if not text.strip():
        yield SkippedInput(source, "no article text (expected a text/body/content field)")
        return
    if _looks_ptb_tokenized(text):
        text = detokenize_ptb(text)
    yield RawDocument(
        source=source,
        text=text,
        title=_string_field(fields, "title"),
        date_text=_string_field(fields, "date"),
        url=_string_field(fields, "url"),
        outlet=_string_field(fields, "outlet"),
        encoding=encoding,
        input_id=_string_field(fields, "id"),
    )


def _text_field(fields: Mapping[str, Any]) -> str:
    for key in _FIELDS["text"]:
        value = fields.get(key)
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, list) and all(isinstance(part, str) for part in value):
            joined = "\n\n".join(part.strip() for part in value if part.strip())
            if joined:
                return joined
    return ""


def _string_field(fields: Mapping[str, Any], kind: str) -> str | None:
    for key in _FIELDS[kind]:
        value = fields.get(key)
        if isinstance(value, dict):  # e.g. NewsAPI: "source": {"id": ..., "name": "BBC News"}
            value = value.get("name") or value.get("title")
        if isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            return str(value)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


# ---------------------------------------------------------------- PTB detokenizing

# Our own small detokenizer: the Timeline17 escapes are few and fixed, and the general
# detokenizers (sacremoses, nltk) would be new dependencies for these dozen rules.
_PTB_MARKERS = re.compile(r"-[LR][RSC]B-|(?:^|\s)(?:``|` `|'')(?=\s|$)| n't\b| 's\b| [,.] ", re.M)
_PTB_BRACKETS = {
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
}
_PTB_BRACKET = re.compile(r"-(?:LRB|RRB|LSB|RSB|LCB|RCB)-")
# Plain replacements first (fast); the regexes match spaces only, never the line breaks that
# separate sentences.
_PTB_QUOTES = (("` ` ", '"'), ("`` ", '"'), ("` `", '"'), ("``", '"'), (" ''", '"'), ("''", '"'))
_PTB_SPLIT_CONTRACTION = re.compile(r"(?<=\w) ' (?=(?:s|re|ve|ll|d|m|t)\b)")
# Lookarounds only, so that the substitution deletes a space without a template to expand
# (a template costs a Python call per match: seconds on thousands of articles).
_PTB_ATTACH_LEFT = re.compile(
    r" (?=(?:n't|N'T|'(?:s|re|ve|ll|d|m|S|RE|VE|LL|D|M)\b|\.\.\.|[,.;:?!%)\]}]|')"
    r"(?:[ \n,.;:?!)\]}\"']|$))"
)
_PTB_ATTACH_RIGHT = re.compile(r"(?<=[(\[{$#]) ")
# A spaced hyphen between words joins a compound ("pro - Gadhafi"), except before words that
# start a clause, where it is a dash ("protests - the army said").
_PTB_HYPHEN = re.compile(
    r"(?<=\w) - (?!(?:the|a|an|and|but|or|where|which|who|that|this|these|it|its|he|she|we|"
    r"they|i|you|his|her|their|our|said|says|as|at|in|on|to|for|with)\b)(?=\w)",
    re.I,
)


def detokenize_ptb(text: str) -> str:
    """Readable text from Penn-Treebank-tokenized text, one sentence per line kept."""
    text = _PTB_BRACKET.sub(lambda match: _PTB_BRACKETS[match.group(0)], text)
    text = text.replace("\\/", "/").replace("\\*", "*")
    for token, replacement in _PTB_QUOTES:
        text = text.replace(token, replacement)
    text = text.replace("` ", "'").replace("`", "'")  # opening single quote
    text = _PTB_SPLIT_CONTRACTION.sub("'", text)
    text = _PTB_ATTACH_LEFT.sub("", text)
    text = _PTB_ATTACH_RIGHT.sub("", text)
    text = _PTB_HYPHEN.sub("-", text)
    return "\n".join(line.strip() for line in text.split("\n"))


def _looks_ptb_tokenized(text: str) -> bool:
    sample = text[:5000]
    return len(_PTB_MARKERS.findall(sample)) >= max(3, sample.count(",") // 2)
