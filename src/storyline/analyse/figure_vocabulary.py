"""Words of reported figures: what a number counts, in which unit, with which qualifier.

The word lists of :mod:`storyline.analyse.figures` (per-article extraction) and
:mod:`storyline.analyse.figure_agreement` (agreement across articles); the shared English
lists (number words, months, entity labels) are in :mod:`storyline.vocabulary`.
"""

from __future__ import annotations

from storyline.vocabulary import (
    ENTITY_LABELS,
    MONTH_NUMBERS,
    NUMBER_SCALES,
    NUMBER_WORDS,
    TENS_WORDS,
    WEEKDAYS,
)

# Most important first: the brief lists figures in this order within a status.
CATEGORY_ORDER = (
    "killed",
    "wounded",
    "infected",
    "displaced",
    "arrested",
    "captured",
    "surrendered",
    "population",
    "percent controlled",
    "percent",
    "vehicles",
    "money",
    "distance",
    "area",
    "count",
)
# Categories that count people: the ones up to and including population.
PEOPLE_CATEGORIES = frozenset(CATEGORY_ORDER[: CATEGORY_ORDER.index("population") + 1])
# Facts that do not change within a story's time span: reports are merged whatever the date.
TIMELESS_CATEGORIES = frozenset({"population"})

# ---------------------------------------------------------------- numbers and qualifiers

WORD_VALUES = {word: value for value, word in enumerate(NUMBER_WORDS)} | {
    word: 10 * (index + 2) for index, word in enumerate(TENS_WORDS)
}
MULTIPLIERS = NUMBER_SCALES | {"dozen": 12.0, "bn": 1e9, "mn": 1e6}
VAGUE = frozenset(
    {"hundreds", "thousands", "millions", "billions", "dozens", "scores", "tens", "trillions"}
)
HYPHENS = frozenset({"-", "–", "—", "/"})
QUALIFIERS = {
    "more than": "more than",
    "over": "more than",
    "above": "more than",
    "in excess of": "more than",
    "upwards of": "more than",
    "exceeding": "more than",
    "just over": "more than",
    "well over": "more than",
    "at least": "at least",
    "no fewer than": "at least",
    "no less than": "at least",
    "about": "about",
    "around": "about",
    "roughly": "about",
    "approximately": "about",
    "some": "about",
    "an estimated": "about",
    "estimated": "about",
    "circa": "about",
    "between": "between",
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "just under": "nearly",
    "up to": "up to",
    "as many as": "up to",
    "at most": "at most",
    "no more than": "at most",
    "less than": "less than",
    "fewer than": "less than",
    "under": "less than",
    "below": "less than",
}
TRAILING_QUALIFIERS = {("or", "more"): "at least", ("or", "so"): "about"}
# Value range a qualified number stands for, as factors of the number (for agreement).
QUALIFIER_RANGE = {
    None: (1.0, 1.0),
    "about": (0.9, 1.1),
    "nearly": (0.85, 1.0),
    "more than": (1.0, 1.25),
    "at least": (1.0, 1.25),
    "less than": (0.75, 1.0),
    "up to": (0.75, 1.0),
    "at most": (0.75, 1.0),
    "between": (1.0, 1.25),  # widened to the written upper bound where it can be read
}

# ---------------------------------------------------------------- units and nouns

PERCENT_WORDS = frozenset({"%", "percent", "pct"})
CURRENCY_SYMBOLS = {"$": "dollars", "us$": "dollars", "£": "pounds", "€": "euros", "¥": "yen"}
CURRENCY_WORDS = {
    "dollar": "dollars",
    "usd": "dollars",
    "euro": "euros",
    "eur": "euros",
    "pound": "pounds",
    "sterling": "pounds",
    "gbp": "pounds",
    "dinar": "dinars",
    "yuan": "yuan",
    "renminbi": "yuan",
    "yen": "yen",
    "rupee": "rupees",
    "franc": "francs",
    "riyal": "riyals",
    "rouble": "roubles",
    "ruble": "roubles",
    "lira": "lira",
    "peso": "pesos",
}
DISTANCE_UNITS = {
    "km": "km",
    "kms": "km",
    "kilometre": "km",
    "kilometer": "km",
    "mile": "miles",
    "metre": "metres",
    "meter": "metres",
    "foot": "feet",
    "feet": "feet",
    "yard": "yards",
}
TIME_UNITS = frozenset(
    {
        "second", "minute", "hour", "day", "week", "month", "year", "decade", "century",
        "night", "weekend", "fortnight", "millennium", "morning", "evening", "afternoon",
        "semester", "term", "season", "yr", "hr", "min", "sec", "moment",
    }
)  # fmt: skip
MONTHS_AND_DAYS = frozenset(MONTH_NUMBERS) | frozenset(WEEKDAYS)
# Nouns that a small number describes rather than counts ("one way or another", "two options").
ABSTRACT_NOUNS = frozenset(
    {
        "way", "option", "direction", "time", "side", "reason", "thing", "part", "point",
        "step", "stage", "phase", "round", "kind", "type", "sort", "aspect", "issue", "factor",
        "possibility", "scenario", "occasion", "version", "level", "front", "goal",
        "priority", "question", "idea", "dimension", "approach", "word", "letter", "page",
        "chapter", "episode", "game", "match", "set", "edition", "item", "tier", "half",
        "quarter", "third", "category", "principle", "condition", "demand", "term", "hand",
        "pillar", "element", "area", "field", "trend", "lesson", "fold", "percent",
        "per", "cent", "-", "%",
    }
)  # fmt: skip
VEHICLES = frozenset(
    {
        "vehicle", "car", "truck", "lorry", "tank", "bus", "jeep", "pickup", "van", "convoy",
        "motorcycle", "motorbike", "armoured", "humvee", "ambulance", "tractor", "minibus",
    }
)  # fmt: skip
# Who can be killed, captured or lost in battle; plural agent nouns are also accepted.
PERSON_NOUNS = frozenset(
    {
        "people", "person", "civilian", "soldier", "troop", "fighter", "militant", "rebel",
        "insurgent", "jihadist", "policeman", "police", "officer", "man", "woman", "child",
        "kid", "boy", "girl", "member", "worker", "resident", "inhabitant", "protester",
        "demonstrator", "student", "journalist", "migrant", "refugee", "passenger", "victim",
        "hostage", "prisoner", "detainee", "gunman", "guard", "militiaman", "recruit",
        "supporter", "activist", "citizen", "national", "tourist", "pilgrim", "patient",
        "doctor", "nurse", "volunteer", "crew", "sailor", "marine", "commando", "terrorist",
        "extremist", "islamist", "combatant", "personnel", "staff", "employee", "family",
        "villager", "farmer", "miner", "infant", "baby", "teenager", "adult",
        "elderly", "leader", "commander", "official", "life", "body", "casualty", "dead",
        "soul", "individual", "suspect", "agent", "trooper", "serviceman", "servicemen",
        "paramilitary", "security", "force", "coalition", "ally", "defender", "attacker",
        "bystander", "pedestrian", "driver", "survivor", "evacuee", "inmate", "captive",
    }
)  # fmt: skip
SETTLEMENTS = frozenset(
    {
        "city", "town", "village", "metropolis", "capital", "port", "country", "nation",
        "island", "region", "province", "district", "community", "municipality", "enclave",
        "camp", "settlement", "suburb", "neighbourhood", "neighborhood", "state", "territory",
        "oasis", "hamlet", "megacity", "county", "area",
    }
)  # fmt: skip
CITY_LIKE = frozenset({"city", "town", "village", "port", "capital", "metropolis", "hamlet"})
KILL_VERBS = frozenset(
    {
        "kill", "die", "slay", "execute", "assassinate", "massacre", "behead", "murder",
        "perish", "drown", "slaughter", "gun", "shoot", "decapitate", "lynch", "bury",
    }
)  # fmt: skip
KILL_NOUNS = frozenset(
    {
        "death", "dead", "fatality", "casualty", "body", "corpse", "killing", "assassination",
        "massacre", "murder", "execution", "toll", "bloodshed",
    }
)  # fmt: skip
WOUND_VERBS = frozenset({"wound", "injure", "hurt", "maim"})
WOUND_NOUNS = frozenset({"injury", "wounded", "injured", "wound"})
DISPLACE_VERBS = frozenset({"flee", "displace", "evacuate", "uproot", "relocate"})
DISPLACE_NOUNS = frozenset({"refugee", "evacuee", "displacement", "displaced", "exodus"})
ARREST_VERBS = frozenset({"arrest", "detain", "jail", "imprison", "apprehend", "incarcerate"})
ARREST_NOUNS = frozenset({"arrest", "detainee", "detention"})
CAPTURE_VERBS = frozenset({"capture", "kidnap", "abduct", "seize", "take", "hold"})
CAPTURE_NOUNS = frozenset({"hostage", "captive", "prisoner", "abduction", "kidnapping"})
SURRENDER_VERBS = frozenset({"surrender", "defect"})
INFECT_VERBS = frozenset({"infect", "contract", "sicken"})
# Dependencies by which a noun is a verb's own argument ("killed 30", "30 died").
ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "oprd", "dative", "npadvmod"})
TRANSPARENT_PREPS = frozenset({"including", "among", "of", "excluding", "besides"})
CONTROL_VERBS = frozenset(
    {
        "take", "control", "hold", "seize", "capture", "retake", "recapture", "liberate",
        "free", "clear", "occupy", "conquer", "regain", "secure", "dominate",
    }
)  # fmt: skip
# Verbs that relate a subject to a value: "the death toll has risen above 150,000".
VALUE_VERBS = frozenset(
    {
        "be", "rise", "reach", "climb", "stand", "increase", "exceed", "top", "hit", "jump",
        "surpass", "pass", "grow", "soar", "mount", "total", "near", "approach", "put", "hover",
        "estimate", "place", "set", "peg", "revise", "raise", "remain",
    }
)  # fmt: skip
POPULATION_VERBS = frozenset({"have", "house", "number", "count", "boast", "shelter"})
PEOPLE_SYNONYMS = frozenset(
    {
        "people", "person", "life", "death", "dead", "body", "fatality", "casualty", "soul",
        "resident", "inhabitant", "individual", "injured", "wounded", "injury", "",
    }
)  # fmt: skip
# Labels of names, which a unit word inside belongs to ("Three Mile Island").
NAME_LABELS = (ENTITY_LABELS - {"NORP"}) | {"WORK_OF_ART", "EVENT", "PRODUCT", "LAW"}
# Collective nouns a number can precede in the singular ("150 police", "20 staff").
COLLECTIVE_NOUNS = frozenset(
    {"police", "personnel", "staff", "crew", "people", "militia", "cattle", "livestock", "aircraft"}
)
# Verbs that relate a percentage to what it is of: "BP shares jumped 9 percent".
CHANGE_VERBS = frozenset(
    {
        "fall", "drop", "decline", "slump", "plunge", "gain", "dip", "slide", "tumble",
        "shrink", "rise", "increase", "jump", "climb", "grow", "soar", "be", "stand", "reach",
        "account", "make", "represent", "comprise", "constitute", "hover", "remain", "edge",
    }
)  # fmt: skip
# What a controlled share is of: "75% of the city of Derna", "30 percent of its territory".
TERRITORY_NOUNS = frozenset(
    {"territory", "land", "ground", "area", "neighbourhood", "neighborhood", "district"}
)
