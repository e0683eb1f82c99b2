"""Shared English word lists: month and weekday names, number words, person titles, entity
labels (as spaCy keeps a language's ``lex_attrs`` and ``stop_words`` in ``spacy/lang/en/``).

One list per vocabulary, lowercase; modules derive the forms they need (regular expression
alternations, capitalised forms, sets) from these. No spaCy import: the date and metadata
readers and the evaluation use these without loading a pipeline.
"""

from __future__ import annotations

__all__ = [
    "ACTOR_LABELS",
    "ENTITY_LABELS",
    "MONTHS",
    "MONTH_ABBREVIATIONS",
    "MONTH_NUMBERS",
    "NUMBER_SCALES",
    "NUMBER_WORDS",
    "PERSON_TITLES",
    "PLACE_LABELS",
    "ROLE_NOUNS",
    "SPEAKER_TITLES",
    "SUBJECT_DEPENDENCIES",
    "TENS_WORDS",
    "TITLE_ABBREVIATIONS",
    "WEEKDAYS",
    "WEEKDAY_ABBREVIATIONS",
    "month_forms",
    "weekday_forms",
]

# ---------------------------------------------------------------- calendar

MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
# The first three letters of each month (May has none: that is its name), and "sept".
MONTH_ABBREVIATIONS: dict[str, int] = {
    name[:3]: number for number, name in enumerate(MONTHS, start=1) if len(name) > 3
} | {"sept": 9}
# Month number of every full name and abbreviation.
MONTH_NUMBERS: dict[str, int] = {
    name: number for number, name in enumerate(MONTHS, start=1)
} | MONTH_ABBREVIATIONS

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Weekday number (Monday 0, as ``date.weekday()``) of the abbreviations news text uses.
WEEKDAY_ABBREVIATIONS: dict[str, int] = {
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
    "sat": 5, "sun": 6,
}  # fmt: skip


def month_forms(month: int) -> list[str]:
    """Full name and abbreviations of month ``month`` (1-12), longest first, so that a regular
    expression alternation of them prefers the full name ("september|sept|sep")."""
    forms = [MONTHS[month - 1]]
    forms += [form for form, number in MONTH_ABBREVIATIONS.items() if number == month]
    return sorted(forms, key=len, reverse=True)


def weekday_forms(weekday: int) -> list[str]:
    """Full name and abbreviations of weekday ``weekday`` (Monday 0), longest first."""
    forms = [WEEKDAYS[weekday]]
    forms += [form for form, number in WEEKDAY_ABBREVIATIONS.items() if number == weekday]
    return sorted(forms, key=len, reverse=True)


# ---------------------------------------------------------------- numbers

# Number words up to nineteen: the value of each is its position.
NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
# Twenty to ninety: the value of each is 10 x (its position + 2).
TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# Words that multiply the number before them ("2.5 million", "three hundred").
NUMBER_SCALES: dict[str, float] = {
    "hundred": 100.0,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}

# ---------------------------------------------------------------- people

# Titles, ranks and roles written before a person's name, lowercase, without full stops,
# hyphens as spaces ("Field-Marshal" is "field marshal", "Gen." is "gen").
PERSON_TITLES = frozenset(
    title.strip()
    for title in """
    mr|mrs|ms|miss|mx|dr|prof|professor|sir|dame|lord|lady|madam|president|vice president
    prime minister|deputy prime minister|minister|foreign minister|defence minister
    defense minister|interior minister|finance minister|secretary|secretary of state
    secretary general|under secretary|senator|sen|rep|representative|congressman
    congresswoman|governor|gov|mayor|chancellor|premier|king|queen|prince|princess
    crown prince|emir|sheikh|shaikh|sultan|pope|ayatollah|grand ayatollah|imam|cardinal
    archbishop|bishop|rev|reverend|father|field marshal|marshal|general|gen
    lieutenant general|lt gen|major general|maj gen|brigadier|brigadier general|brig gen
    brig|colonel|col|lieutenant colonel|lt col|major|maj|captain|capt|lieutenant|lt
    sergeant|sgt|commander|cmdr|admiral|adm|rear admiral|vice admiral|corporal|cpl|chief
    chief of staff|judge|justice|ambassador|envoy|special envoy|spokesman|spokeswoman
    spokesperson|leader|chairman|chairwoman|ceo|director|head|strongman|dictator|warlord
    commander in chief
    """.replace("\n", "|").split("|")
    if title.strip()
)
# The titles quote attribution drops from the front of a speaker's name, one word at a time
# ("Prime Minister X" -> "X"): a narrower set than PERSON_TITLES, which also holds roles
# ("leader", "head", "director") and first words ("foreign", "deputy") that quote speakers
# have kept so far ("Foreign Minister Sergei Lavrov").
SPEAKER_TITLES = frozenset(
    {
        "general", "gen", "field", "marshal", "field-marshal", "colonel", "col", "major", "maj",
        "lieutenant", "lt", "brigadier", "captain", "capt", "sergeant", "sgt", "admiral",
        "commander", "president", "prime", "minister", "dr", "mr", "mrs", "ms", "sir", "dame",
        "sheikh", "king", "queen", "prince", "princess", "emir", "senator", "sen", "rep", "gov",
        "governor", "judge", "pope", "ayatollah", "imam", "chancellor", "secretary",
        "spokesman", "spokeswoman", "lord", "mayor", "ambassador", "envoy", "professor", "prof",
        "chief", "strongman",
    }
)  # fmt: skip
# Nouns that name a person by role: "the spokesman said" refers back to a person named
# before (quote attribution), and a sentence opening on one leans on an earlier one.
ROLE_NOUNS = frozenset(
    {
        "spokesman", "spokeswoman", "spokesperson", "official", "minister", "commander",
        "president", "leader", "chief", "head", "governor", "ambassador", "envoy", "general",
        "marshal", "strongman", "officer", "director", "secretary", "mayor", "premier",
        "chancellor", "prosecutor", "lawyer", "attorney", "man", "woman", "colonel",
        "brigadier", "diplomat", "source", "witness", "king", "prince", "emir", "sheikh",
        "senator", "lawmaker", "chairman", "executive", "founder", "dictator", "ruler",
    }
)  # fmt: skip
# The titles of PERSON_TITLES that are abbreviations, written with a full stop ("Gen.").
TITLE_ABBREVIATIONS = frozenset(
    {
        "adm", "brig", "capt", "cmdr", "col", "cpl", "dr", "gen", "gov", "lt", "maj", "mr",
        "mrs", "ms", "prof", "rep", "sen", "sgt",
    }
)  # fmt: skip

# ---------------------------------------------------------------- entity labels (spaCy)

# Labels of the names a brief is about: actors (people, organisations, groups) and places.
ACTOR_LABELS = frozenset({"PERSON", "ORG", "NORP"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
ENTITY_LABELS = ACTOR_LABELS | PLACE_LABELS

# ---------------------------------------------------------------- dependency labels (spaCy)

# Dependencies of a clause's subject: "Haftar said", "he was told", "what he said matters",
# "there is".
SUBJECT_DEPENDENCIES = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
