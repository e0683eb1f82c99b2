"""Plain-text normalisation and boilerplate removal for scraped news articles.

Works on lines: scraped pages put each widget, menu item or footer on its own line, while the
article body comes as paragraphs of sentences. A line is removed only when it matches a known
kind of page chrome as a whole; long lines that read as sentences are content. Everything
removed is returned as ``RemovedText`` with the reason, so nothing disappears silently.

Our own rules rather than a library: trafilatura/jusText work on HTML structure, which plain
scraped text has lost.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.model import RemovedText

# ---------------------------------------------------------------- normalisation

_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACE_RUN = re.compile(r" {2,}")
_BLANK_RUN = re.compile(r"\n{3,}")


def _mojibake_continuations() -> str:
    """Characters that UTF-8 continuation bytes (0x80-0xBF) become when read as cp1252."""
    chars = []
    for byte in range(0x80, 0xC0):
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(byte))  # undefined in cp1252: decoders fall back to latin-1
    return "".join(re.escape(char) for char in chars)


# UTF-8 read as cp1252: a lead char (Â Ã â ð...) followed by continuation chars ("â€™").
_MOJIBAKE = re.compile(rf"[\u00c2-\u00f4][{_mojibake_continuations()}]{{1,3}}")


def _fix_mojibake(match: re.Match[str]) -> str:
    """Re-decode one mojibake sequence; leave it alone unless it is valid UTF-8 (safe, cheap)."""
    chunk = match.group(0)
    raw = bytearray()
    for char in chunk:
        try:
            raw += char.encode("cp1252")
        except UnicodeEncodeError:
            if ord(char) > 0xFF:
                return chunk
            raw.append(ord(char))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return chunk


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _MOJIBAKE.search(text):  # first: "Â\u00a0" is a mojibake NBSP, not "Â" and a space
        text = _MOJIBAKE.sub(_fix_mojibake, text)
    text = _INVISIBLE.sub("", _SPACES.sub(" ", text))
    text = "\n".join(line.strip() for line in _SPACE_RUN.sub(" ", text).split("\n"))
    return _BLANK_RUN.sub("\n\n", text).strip("\n")


# ---------------------------------------------------------------- line rules


@dataclass(frozen=True)
class _Rule:
    reason: str
    pattern: re.Pattern[str]
    max_words: int  # longer lines are never this kind of chrome
    prose_ok: bool = False  # also applies to lines that read as sentences
    anywhere: bool = False  # the pattern may match anywhere in the line, not only all of it
    hints: tuple[str, ...] = ()  # cheap pre-check: one of these must occur in the folded line

    def matches(self, line: str, folded: str) -> bool:
        if self.hints and not any(hint in folded for hint in self.hints):
            return False
        if self.anywhere:
            return self.pattern.search(line) is not None
        return self.pattern.fullmatch(line) is not None


def _rule(
    reason: str,
    pattern: str,
    max_words: int,
    *,
    prose_ok: bool = False,
    anywhere: bool = False,
    hints: tuple[str, ...] = (),
    flags: int = re.I,
) -> _Rule:
    return _Rule(reason, re.compile(pattern, flags), max_words, prose_ok, anywhere, hints)


_SOCIAL = (
    r"(?:share(?:\s+this)?(?:\s+(?:article|story|post|page|link))?|tweet|facebook|twitter|x|"
    r"whatsapp|e-?mail|print|pdf|linkedin|pinterest|reddit|telegram|messenger|copy(?:\s+link)?|"
    r"flipboard|pocket|tumblr|vk|google\+|sms|comments?)"
)
_PLATFORMS = (
    r"twitter|facebook|instagram|youtube|tiktok|linkedin|snapchat|pinterest|tumblr|threads|"
    r"bluesky|telegram|whatsapp|google\+?|x\.com|@\w+"
)
_AGENCIES = (
    r"(?i:AFP|AP|Reuters|EPA(?:-EFE)?|Getty(?:\s+Images)?|Anadolu(?:\s+Agency)?|Xinhua|"
    r"Shutterstock|Alamy|SIPA|PA|dpa|Bloomberg|NurPhoto|ANSA|TASS|AAP|Sputnik)"
)

# Ordered: the first rule that matches a whole line gives the reason.
_RULES: tuple[_Rule, ...] = (
    _rule("navigation", r"you are here\b.*", 15),
    _rule(
        "navigation",
        r"(?:skip to (?:main )?(?:content|navigation)|skip navigation|jump to (?:navigation|"
        r"content)|toggle navigation|main menu|menu|home(?:page)?|search(?: for)?|log ?in|"
        r"sign in|log ?out|sections|navigation|open menu)\s*[:»›>]?",
        4,
    ),
    _rule("navigation", r"(?:tags?|topics?|categories|category|filed under|posted in)\s*:.*", 15),
    _rule(
        "navigation",
        r"(?:terms (?:of (?:use|service)|and conditions)|privacy(?: policy| notice)?|"
        r"cookie policy|contact(?: us)?|about(?: us)?|careers|advertise(?: with us)?|faqs?|"
        r"sitemap|rss(?: feeds?)?|imprint)(?:\s*[|·•]\s*.*)?",
        12,
    ),
    _rule(
        "vote counter",
        r"\d[\d,.]*\s+(?:users?|people|persons?|readers?|visitors?)\s+(?:have\s+|has\s+)?"
        r"(?:voted|rated|liked|recommended)(?:\s+(?:for\s+|on\s+)?this(?:\s+\w+)?)?\.?",
        10,
    ),
    _rule(
        "vote counter",
        r"(?:(?:votes?|rating|likes?|points?|score)\s*:?\s*\d[\d.,/ ]*(?:\s*(?:votes?|stars?))?|"
        r"\d[\d,]*\s+(?:votes?|likes?|points?|upvotes?)|rate this(?: article| story| post)?:?)",
        6,
    ),
    _rule(
        "vote counter",
        r"(?:up|down|upvote|downvote|vote(?: up| down)?|like|dislike|unlike|thumbs (?:up|down)|"
        r"[▲▼△▽↑↓👍👎]\s*\d*|[+-]\s*\d+)",
        3,
    ),
    _rule(
        "newsletter prompt",
        r"(?:(?:e-?mail|daily|weekly)\s+)?newsletters?(?:\s+sign[- ]?up)?\s*:?"
        r"|(?:sign up|subscribe|register)(?: now| today| here| for free| free)?\s*[.!:]?",
        4,
    ),
    _rule("newsletter prompt", r"\bnewsletters?\b", 12, anywhere=True, hints=("newsletter",)),
    _rule(
        "newsletter prompt",
        r"\b(?:e-?mailed to you|(?:delivered|sent) (?:straight |directly )?to your inbox|"
        r"straight to your inbox|in your inbox)\b",
        25,
        prose_ok=True,
        anywhere=True,
        hints=("inbox", "mailed"),
    ),
    _rule(
        "newsletter prompt",
        r"\b(?:breaking news (?:e-?mails?|alerts)|delivered (?:every |each )?(?:weekday|daily)"
        r" (?:mornings?|evenings?))",
        25,
        prose_ok=True,
        anywhere=True,
        hints=("breaking news", "delivered"),
    ),
    _rule(
        "newsletter prompt",
        r"(?:(?:sign up|subscribe)\b.*\b(?:updates|alerts|inbox|e-?mail|free|today|now)\b.*|"
        r"(?:get|receive)\s+(?:the|our|top|daily|breaking|the latest)\b.*"
        r"\b(?:emailed|delivered|sent|straight)\b.*|enter your e-?mail(?: address)?.*|"
        r"(?:already (?:a subscriber|have an account)|not a subscriber|become a (?:member|"
        r"subscriber)|support (?:our|independent) journalism).*)",
        20,
        prose_ok=True,
    ),
    _rule("comment prompt", r"leave a (?:reply|comment)\.?(?:\s+cancel reply)?", 5),
    _rule("comment prompt", r"your e-?mail address will not be published.*", 30, prose_ok=True),
    _rule("comment prompt", r"required fields are marked.*", 10, prose_ok=True),
    _rule(
        "comment prompt",
        r"(?:\d+\s+(?:comments?|responses?|replies|reactions)(?:\s+so far)?|no comments?(?: yet)?"
        r"|comments?(?:\s*\(\d+\))?|post (?:a )?comment|add (?:a |your )?comment|"
        r"(?:view|show|hide|load)(?: all)? comments|cancel reply|reply|comments are closed.*|"
        r"be the first to comment.*|join the (?:conversation|discussion).*|"
        r"you must be logged in to post a comment.*|have your say.*|"
        r"save my name,? e-?mail.*|(?:name|e-?mail|website)\s*\*)\s*:?",
        20,
        prose_ok=True,
    ),
    _rule(
        "advertisement",
        r"(?:advertisement|advertising|sponsored(?: content| links?)?|ad|ads by \w+|"
        r"(?:story|article) continues below.*|scroll to continue(?: with content)?|"
        r"paid content|promoted(?: content| stories)?)\s*[:.]?",
        8,
    ),
    _rule("share widget", rf"{_SOCIAL}(?:[\s|,·•/]+{_SOCIAL})*\s*:?", 12),
    _rule(
        "share widget",
        r"(?:(?:share|tweet|post|send|e-?mail|pin|print)\s+(?:this|it|on|via|to|with)\b.{0,40}|"
        r"(?:click|tap) to (?:share|tweet|e-?mail|print)\b.*)",
        8,
    ),
    _rule(
        "widget",
        r"(?:show (?:more|less|all)|read (?:more|less|full (?:story|article))|"
        r"read the full (?:story|article)|load more|see (?:more|all)|view (?:more|all)|"
        r"more stories|back to top(?: button)?|to top|continue reading.*|click here.*|"
        r"print (?:this )?(?:page|article|story)|font size.*|text size.*|"
        r"listen to (?:this )?(?:article|story).*|loading|previous(?: article| post| story| page)?|"
        r"next(?: article| post| story| page)?|prev|watch(?: now| live| video)?|play video|"
        r"video|photos?|gallery|view gallery|expand|collapse|back|page \d+(?: of \d+)?)"
        r"\s*[»›>…:.]*",
        6,
    ),
    _rule(
        "related links",
        r"(?:related|related (?:articles?|stories|news|posts?|content|coverage|links?|topics?|"
        r"reading|videos?)|read also|also read|see also|more on this(?: story| topic)?|"
        r"more (?:from|in) .{1,40}|recommended(?: for you| stories| articles| reading)?|"
        r"most (?:read|popular|viewed|shared|commented)|trending(?: now| stories| news)?|"
        r"you (?:may|might) also (?:like|be interested in|enjoy)|top stories|"
        r"latest (?:news|stories)|editor'?s picks?|don'?t miss|popular (?:stories|articles|posts))"
        r"(?:\s*:.*|\s*[»›>]*)",
        15,
    ),
    _rule(
        "cookie notice",
        r"\b(?:(?:this|our) (?:web)?site uses cookies|we use cookies|"
        r"by (?:continuing|using) (?:to (?:browse|use)|this (?:web)?site|our (?:web)?site)|"
        r"accept (?:all )?cookies)\b",
        80,
        prose_ok=True,
        anywhere=True,
        hints=("cookie", "by continuing", "by using"),
    ),
    _rule(
        "cookie notice",
        r"(?:accept(?: all)?(?: cookies)?|reject all|i agree|got it|cookie (?:policy|settings|"
        r"preferences)|manage (?:cookies|preferences|settings)|allow (?:all|cookies))\W*",
        4,
    ),
    _rule(
        "copyright",
        r"(?:copyright\s*(?:©|\(c\))?\s*\d{4}|copyright\s*(?:©|\(c\))|(?:©|\(c\))\s*\d{4}).*"
        r"|(?:©|\(c\)).*\b(?:\d{4}|rights|reserved|ltd|inc|llc|limited|plc|group|media|company)\b.*",
        30,
        prose_ok=True,
    ),
    _rule(
        "copyright",
        r"\ball rights reserved\b",
        30,
        prose_ok=True,
        anywhere=True,
        hints=("reserved",),
    ),
    _rule(
        "photo credit",
        r"\(?(?:photo|photograph|image|picture|pic|file photo|illustration|graphic|"
        r"(?:photo |image )?credit|photo courtesy|courtesy)s?\s*(?:[:|/]|by\b|©).{0,80}",
        10,
    ),
    _rule(
        "photo credit",
        rf"[(\[]?\s*(?:©\s*)?(?:(?:[A-Z][\w.'-]*\s+){{0,3}}[A-Z][\w.'-]*\s*/\s*)?{_AGENCIES}"
        rf"(?:\s*(?:/|via)\s*{_AGENCIES})*(?:\s+(?:photo|file))?\s*[)\]]?",
        8,
        flags=0,
    ),
    # "REUTERS/Esam Omran Al-Fetori": agency first, then the photographer
    _rule(
        "photo credit",
        rf"[(\[]?\s*(?:©\s*)?{_AGENCIES}\s*/\s*(?:[A-Z][\w.'-]*\s*){{1,4}}[)\]]?",
        6,
        flags=0,
    ),
    _rule("photo credit", r"(?:©|\(c\))\s*[\w .&/'-]{1,40}", 5),
    # Reader comment headers: "March 9, 2011 at 3:18 pm | Reply ..." (the rest of the line is
    # the comment itself, not reporting).
    _rule(
        "comment",
        r"(?:[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}) at "
        r"\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:(?:\||reply\b).*)?",
        40,
        prose_ok=True,
        flags=re.I,
    ),
    _rule("comment", r"(?:reply|report abuse|flag|permalink)(?:\s*\|.*)?", 6),
    # Video and list pages: "14,786,179 views", "Viraldark7 43,942,658 views", "views: 20694".
    _rule(
        "view counter",
        r"(?:[\w@.'-]+\s+){0,3}\d[\d,.]*\s*[km]?\s+(?:views?|plays|reads|listens)\.?"
        r"|(?:views?|plays|reads)\s*:?\s*\d[\d,.]*\s*[km]?",
        6,
    ),
    # Calls to follow the outlet or the writer elsewhere: "Follow her on Twitter @kr0618.",
    # "Like us on Facebook", "Email him at ... or follow him on Twitter", "on Instagram HERE".
    _rule(
        "follow prompt",
        rf"\b(?:(?:follow|like|friend|connect with)\s+(?:us|me|him|her|them|[\w@.'-]+"
        rf"(?:\s+[\w@.'-]+)?)|find us)\s+(?:on|at|via)\s*:?\s+(?:{_PLATFORMS})\b",
        # Longer: a sentence of the article glued to the prompt by a scraper; it stays.
        15,
        prose_ok=True,
        anywhere=True,
        hints=("follow", "like", "find us", "friend", "connect"),
    ),
    _rule(
        "follow prompt",
        rf"\b(?i:{_PLATFORMS}|channel|app|podcast|newsletter|live)\s+HERE\b",
        30,
        prose_ok=True,
        anywhere=True,
        hints=("here",),
        flags=0,
    ),
    # "Subscribe to the CBS News Channel ...", "subscribe to our free newsletters.",
    # "To receive the magazine, click here to subscribe.", "Subscribe to posts [ atom ]".
    _rule(
        "subscribe prompt",
        r"(?:[»>-]\s*)?(?:please\s+)?(?:subscribe|sign up|register)\s+(?:to|for|on|at|now|here|"
        r"today)\b.*|.*\b(?:click|tap) here to subscribe\b.*|.*\bthank you for subscribing\b.*|"
        r"(?:you must select|could not subscribe|invalid e-?mail).*",
        15,
        prose_ok=True,
    ),
)

# A credit after a caption's last sentence: "... on May 7. (AFP)", "... 2015. ©AP".
_TRAILING_CREDIT = re.compile(
    rf"(?<=[.!?\"”’])\s*(?:©\s*[\w.&/' -]{{1,30}}|"
    rf"\(\s*{_AGENCIES}(?:\s+photo)?(?:\s*/\s*[\w.' -]{{1,30}})?\s*\))$"
)
# "published: 28 Feb 2019 views: 20694": the counter goes, the date stays for metadata.
_VIEW_COUNT_TAIL = re.compile(
    r"(?<=\S)\s+(?:views?|plays|reads)\s*:?\s*\d[\d,.]*\s*[km]?$|"
    r"(?<=\S)\s+\d[\d,.]*\s*[km]?\s+(?:views|plays)$",
    re.I,
)
_NUMERIC_FOOTER = re.compile(r"[/#|\-–]*\s*\d[\d,]*(?:\s*[/|]\s*\d+)?\s*[/#|]*")
_YEAR_OR_MONTH_YEAR = re.compile(r"(?:\d{1,2}\s*/\s*)?(?:19|20)\d\d")
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*$")
_BREADCRUMB_SPLIT = re.compile(r"\s*[>»›]\s*|\s+[/|]\s+")
_BREADCRUMB_HINT = re.compile(r"[>»›/|]")
_LONGEST_RULE = max(rule.max_words for rule in _RULES)


def _is_prose(line: str, words: int) -> bool:
    return words >= 6 and bool(_SENTENCE_END.search(line))


def _is_breadcrumb(line: str) -> bool:
    """ "Home > News > Middle East": three or more short segments joined by separators."""
    parts = _BREADCRUMB_SPLIT.split(line)
    return (
        len(parts) >= 3
        and all(1 <= len(part.split()) <= 4 for part in parts)
        and not _SENTENCE_END.search(line)
    )


def line_reason(line: str) -> str | None:
    """Why ``line`` (stripped, non-empty) is boilerplate, or None if it is content."""
    words = len(line.split())
    if words > _LONGEST_RULE:
        return "links" if _is_mostly_links(line) else None
    prose = _is_prose(line, words)
    folded = line.casefold()
    for rule in _RULES:
        if words <= rule.max_words and (rule.prose_ok or not prose) and rule.matches(line, folded):
            return rule.reason
    if words <= 3 and _NUMERIC_FOOTER.fullmatch(line) and not _YEAR_OR_MONTH_YEAR.fullmatch(line):
        return "numeric footer"
    if words <= 16 and _BREADCRUMB_HINT.search(line) and _is_breadcrumb(line):
        return "navigation"
    if _is_mostly_links(line):
        return "links"
    return None


_LINK = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|ly|co|ws)/\S*", re.I
)


def _is_mostly_links(line: str) -> bool:
    """A line whose characters are mostly URLs (a bare link, a list of links): link text is
    never a sentence of the article, whatever its length."""
    if "/" not in line and "www" not in line.lower():
        return False
    links = _LINK.findall(line)
    linked = sum(len(match) for match in links)
    if not linked or linked < 0.5 * len("".join(line.split())):
        return False
    # A sentence that starts with a pasted link still has its words: keep it.
    return len(line.split()) - len(links) <= 6


_PARAGRAPH_WORDS = 40
_ROUGH_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _paragraph_key(line: str) -> str:
    """Comparison key of a line: case and spacing do not make two paragraphs different."""
    return " ".join(line.casefold().split())


def clean_text(text: str) -> tuple[str, list[RemovedText]]:
    """Normalised ``text`` without page chrome and repeated paragraphs, and what was removed.

    Normalisation: NBSP and other odd spaces become spaces, invisible characters go, runs of
    spaces collapse, lines are stripped, at most one blank line separates paragraphs, and
    UTF-8-read-as-cp1252 sequences ("â€™") are repaired where they decode cleanly.
    """
    removed: list[RemovedText] = []
    kept: list[str] = []
    seen: set[str] = set()
    for line in _normalise(text).split("\n"):
        if not line:
            kept.append(line)
            continue
        reason = line_reason(line)
        if reason is None:
            credit = _TRAILING_CREDIT.search(line)
            if credit:
                removed.append(RemovedText(credit.group(0).strip(), "photo credit"))
                line = line[: credit.start()]
            counter = _VIEW_COUNT_TAIL.search(line) if len(line.split()) <= 12 else None
            if counter:
                removed.append(RemovedText(counter.group(0).strip(), "view counter"))
                line = line[: counter.start()]
            key = _paragraph_key(line)
            # Short repeats ("Reuters", "Q:") are normal; a repeated sentence is scraped twice.
            if len(key.split()) >= 4:
                if key in seen:
                    reason = "repeated paragraph"
                seen.add(key)
        if reason is None:
            kept.append(_without_chrome_sentences(line, removed))
        else:
            removed.append(RemovedText(line, reason))
    return _join_lines(kept), removed


def _without_chrome_sentences(line: str, removed: list[RemovedText]) -> str:
    """A long paragraph minus the sentences that are page chrome on their own.

    Some sources flatten a whole page into one paragraph (Multi-News documents do), so a
    newsletter prompt or a comment header sits between two sentences of the article.
    """
    if len(line.split()) <= _PARAGRAPH_WORDS:
        return line
    sentences = _ROUGH_SENTENCE_END.split(line)
    kept = []
    for sentence in sentences:
        reason = line_reason(sentence)
        if reason is None:
            kept.append(sentence)
        else:
            removed.append(RemovedText(sentence, reason))
    return line if len(kept) == len(sentences) else " ".join(kept)


def _join_lines(lines: Sequence[str]) -> str:
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")


# ---------------------------------------------------------------- across articles

# Dates, bylines and source lines are article metadata even when several articles share them
# (same day, same agency): metadata extraction needs them, so they are never site chrome.
_METADATA_HINT = re.compile(
    r"\b(?:19|20)\d\d\b|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|"
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|^by\s|^(?:source|sources|via)\s*:",
    re.I,
)
_SHARED_MAX_WORDS = 15


def remove_shared_boilerplate(
    texts: Sequence[str], *, min_articles: int = 3, min_share: float = 0.3
) -> list[tuple[str, list[RemovedText]]]:
    """Remove lines that occur verbatim in at least ``min_articles`` articles and ``min_share``
    of them (site chrome shared by pages of one site); returns each text with its removals.

    Sentences are left alone even when shared: wire copy is often published verbatim by several
    outlets, and that repetition is content, not chrome.
    """
    candidates_per_text: list[set[str]] = []
    counts: Counter[str] = Counter()
    for text in texts:
        keys = {
            key
            for line in text.split("\n")
            if line.strip() and _is_shared_candidate(line) and (key := _paragraph_key(line))
        }
        candidates_per_text.append(keys)
        counts.update(keys)
    threshold = max(min_articles, min_share * len(texts))
    shared = {key for key, count in counts.items() if count >= threshold}
    results: list[tuple[str, list[RemovedText]]] = []
    for text, keys in zip(texts, candidates_per_text):
        if not keys & shared:
            results.append((text, []))
            continue
        kept: list[str] = []
        removed: list[RemovedText] = []
        for line in text.split("\n"):
            if line.strip() and _is_shared_candidate(line) and _paragraph_key(line) in shared:
                count = counts[_paragraph_key(line)]
                removed.append(RemovedText(line, f"site boilerplate (in {count} articles)"))
            else:
                kept.append(line)
        results.append((_join_lines(kept), removed))
    return results


def _is_shared_candidate(line: str) -> bool:
    words = len(line.split())
    return (
        words <= _SHARED_MAX_WORDS
        and not (words >= 8 and _SENTENCE_END.search(line))
        and not _METADATA_HINT.search(line)
    )
