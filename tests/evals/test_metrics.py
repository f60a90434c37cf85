"""The eval metrics on hand-made inputs, with expected values worked out by hand."""

from __future__ import annotations

import math

import pytest

from evals import metrics
from evals.gold import GoldEvidence, GoldQuestion
from evals.metrics import (
    answer_scores,
    citation_precision,
    citation_recall,
    citation_supports,
    dangling_markers,
    failure_cause,
    latency,
    markers,
    matched_groups,
    mean,
    normalize_answer,
    normalize_space,
    passage_is_relevant,
    percentiles,
    quote_spans,
    retrieval_scores,
    str_em,
    strip_markers,
    token_f1,
)
from rag import Answer, Citation

# -- normalisation ---------------------------------------------------------------------------


def test_normalize_space_collapses_nbsp_newlines_and_drops_zero_width() -> None:
    assert normalize_space(" a\u00a0 b\n\tc\u200bd  ") == "a b cd"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sekitar 2.500 orang!", "sekitar 2500 orang"),
        ("about 2,500 troops", "about 2500 troops"),
        ("2 500", "2500"),
        ("2\u00a0500", "2500"),
        ("1.000.000", "1000000"),
        ("Kassym-Jomart Tokayev's", "kassym jomart tokayev s"),
        ("Minggu (2/1/2022)", "minggu 2 1 2022"),
        ("Januari 2022 225 jenazah", "januari 2022 225 jenazah"),
        ("2,5 juta", "2 5 juta"),
        ("ＣＳＴＯ", "csto"),
    ],
)
def test_normalize_answer(text: str, expected: str) -> None:
    assert normalize_answer(text) == expected


def test_markers_and_strip_markers() -> None:
    text = "a [1] b [2, 3] c [4;5] d [x]"
    assert markers(text) == [1, 2, 3, 4, 5]
    assert normalize_space(strip_markers(text)) == "a b c d [x]"


# -- retrieval -------------------------------------------------------------------------------

EVIDENCE = (GoldEvidence("doc1", "akan berjumlah\u00a0sekitar 2.500 orang"),)


def test_passage_is_relevant_compares_whitespace_normalised_text() -> None:
    assert passage_is_relevant("doc1", "Pasukan akan berjumlah sekitar\n2.500 orang dan", EVIDENCE)


def test_passage_of_another_article_is_not_relevant() -> None:
    assert not passage_is_relevant("doc2", "akan berjumlah sekitar 2.500 orang", EVIDENCE)


def test_passage_with_part_of_the_quote_is_not_relevant() -> None:
    assert not passage_is_relevant("doc1", "akan berjumlah sekitar 2.500", EVIDENCE)


def test_retrieval_scores_by_hand() -> None:
    relevant = {"q1": ["a", "b"], "q2": ["c"], "q3": ["z"], "q4": [], "q5": ["r"]}
    rankings = {
        "q1": ["a", "x", "b"],
        "q2": ["y", "c"],
        "q3": [],
        "q4": ["a"],
        "q5": ["p1", "p2", "p3", "p4", "p5", "r"],
    }
    scores = retrieval_scores(relevant, rankings)
    assert set(scores) == {"q1", "q2", "q3", "q5"}  # q4 has nothing to find
    # q1: relevant at ranks 1 and 3; ideal ranks 1 and 2.
    ndcg_q1 = (1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3))
    assert scores["q1"] == pytest.approx(
        {"hit@1": 1, "hit@5": 1, "recall@5": 1, "recall@10": 1, "mrr@10": 1, "ndcg@10": ndcg_q1}
    )
    assert scores["q2"] == pytest.approx(
        {
            "hit@1": 0,
            "hit@5": 1,
            "recall@5": 1,
            "recall@10": 1,
            "mrr@10": 0.5,
            "ndcg@10": 1 / math.log2(3),
        }
    )
    assert scores["q3"] == pytest.approx(dict.fromkeys(metrics.RETRIEVAL_METRICS, 0.0))
    # q5: the relevant passage at rank 6 counts for the @10 metrics only.
    assert scores["q5"] == pytest.approx(
        {
            "hit@1": 0,
            "hit@5": 0,
            "recall@5": 0,
            "recall@10": 1,
            "mrr@10": 1 / 6,
            "ndcg@10": 1 / math.log2(7),
        }
    )
    assert ndcg_q1 == pytest.approx(0.9197207891)


def test_retrieval_scores_recall_counts_every_relevant_passage() -> None:
    scores = retrieval_scores({"q": ["a", "b", "c", "d"]}, {"q": ["a", "x", "c"]})
    assert scores["q"]["recall@5"] == 0.5
    assert scores["q"]["hit@1"] == 1.0


def test_retrieval_scores_without_judged_questions_is_empty() -> None:
    assert retrieval_scores({"q": []}, {"q": ["a"]}) == {}


# -- answers ---------------------------------------------------------------------------------

TROOPS = [["2.500", "2,500", "2500", "2 500"]]
COUNTRIES = [["Russia", "Rusia"], ["Belarus"]]


@pytest.mark.parametrize(
    "answer",
    ["sekitar 2.500 orang [1]", "about 2,500 troops", "2500", "roughly 2 500 soldiers"],
)
def test_str_em_matches_every_number_format(answer: str) -> None:
    assert str_em(answer, TROOPS) == 1.0


def test_str_em_needs_every_group() -> None:
    assert matched_groups("Pasukan Rusia tiba [1]", COUNTRIES) == [True, False]
    assert str_em("Pasukan Rusia tiba [1]", COUNTRIES) == 0.0
    assert str_em("RUSSIA and belarus.", COUNTRIES) == 1.0


def test_an_alias_matches_from_a_word_start_and_a_number_to_a_word_end() -> None:
    assert matched_groups("Kementerian Rusia mengatakan", [["RIA"]]) == [False]
    assert matched_groups("kata RIA Novosti", [["RIA"]]) == [True]
    assert matched_groups("the troops returned home", [["return"]]) == [True]  # a stem
    assert matched_groups("lebih dari 2.600 orang", [["26"]]) == [False]
    assert matched_groups("pada 15 Januari 2022", [["5 Januari"]]) == [False]
    assert matched_groups("pada 5 Januari 2022", [["5 Januari"]]) == [True]
    assert matched_groups("sebanyak 26 orang.", [["26"]]) == [True]


def test_str_em_ignores_citation_markers() -> None:
    assert str_em("Pasukan tiba [2]", [["2"]]) == 0.0


def test_str_em_without_groups_is_an_error() -> None:
    with pytest.raises(ValueError):
        str_em("x", [])


def test_token_f1_by_hand() -> None:
    # predicted: ned price said; reference: ned price -> P 2/3, R 1, F1 0.8
    assert token_f1("Ned Price said [1]", [["Ned Price"]]) == pytest.approx(0.8)
    # best of (russia, belarus) -> overlap 1, P 1/3, R 1/2 -> 0.4 and (rusia, belarus) -> 0
    assert token_f1("Tokayev and Russia", COUNTRIES) == pytest.approx(0.4)
    # "palace" (P 1/2, R 1 -> 2/3) beats "presidential palace" (P 1/2, R 1/2 -> 1/2)
    assert token_f1("the palace", [["palace", "presidential palace"]]) == pytest.approx(2 / 3)
    assert token_f1("nothing here", TROOPS) == 0.0
    assert token_f1("2,500", TROOPS) == 1.0


def test_token_f1_picks_greedily_beyond_the_combination_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(metrics, "MAX_ALIAS_COMBINATIONS", 1)
    # 2 combinations > 1: group 1 takes "x q q q" (1 shared token, beats "z" with 0), so
    # P 1/2, R 1/4 -> F1 1/3.
    assert token_f1("x y", [["x q q q", "z"]]) == pytest.approx(1 / 3)


# -- citations -------------------------------------------------------------------------------

RAW = "AAA quote here BBB quote here"
QUOTE = GoldEvidence("d", "quote here")


def _citation(
    start: int, end: int, doc_id: str = "d", text: str | None = None, n: int = 1
) -> Citation:
    body = RAW[start:end] if text is None else text
    return Citation(doc_id, "t", None, None, body, start, end, n=n)


def test_quote_spans_finds_every_occurrence() -> None:
    assert quote_spans("quote here", RAW) == [(4, 14), (19, 29)]
    assert quote_spans("absent", RAW) == []


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [(0, 5, True), (0, 18, True), (6, 8, True), (14, 18, False), (0, 4, False), (18, 20, True)],
)
def test_citation_supports_when_spans_overlap(start: int, end: int, expected: bool) -> None:
    assert citation_supports(_citation(start, end), QUOTE, RAW) is expected


def test_citation_supports_by_text_when_offsets_miss() -> None:
    cited = _citation(0, 3, text="the quote\u00a0here again")
    assert citation_supports(cited, QUOTE, RAW)
    assert citation_supports(cited, QUOTE, None)
    assert not citation_supports(_citation(0, 3, doc_id="other", text="quote here"), QUOTE, RAW)


def test_citation_precision_and_recall() -> None:
    quotes = [QUOTE, GoldEvidence("e", "elsewhere")]
    good, bad = _citation(4, 14, n=1), _citation(0, 3, n=2)
    articles = {"d": RAW, "e": "text elsewhere"}
    assert citation_precision([good, bad], quotes, articles) == 0.5
    assert citation_precision([], quotes, articles) is None
    assert citation_recall([good, bad], quotes, articles) == 0.5
    assert citation_recall([], quotes, articles) == 0.0


def test_dangling_markers_counts_markers_without_citation() -> None:
    cited = [_citation(0, 1, n=1), _citation(0, 1, n=2)]
    assert dangling_markers("x [1] y [3] z [1, 4]", cited) == (2, 4)
    assert dangling_markers("no markers", cited) == (0, 0)


# -- aggregation -----------------------------------------------------------------------------


def test_mean_skips_none() -> None:
    assert mean([1.0, None, 0.0, True]) == pytest.approx(2 / 3)
    assert mean([None]) is None


def test_percentiles_interpolate_linearly() -> None:
    # p95: position 0.95 * 3 = 2.85 -> 30 + 0.85 * 10
    assert percentiles([40.0, 10.0, 30.0, 20.0]) == {"p50": 25.0, "p95": 38.5}
    with pytest.raises(ValueError):
        percentiles([])


def test_latency_per_stage_counts_only_answers_that_report_it() -> None:
    result = latency([{"total_ms": 10.0, "retrieve_ms": 4.0}, {"total_ms": 30.0}])
    assert result == {
        "retrieve_ms": {"p50": 4.0, "p95": 4.0, "n": 1.0},
        "total_ms": {"p50": 20.0, "p95": 29.0, "n": 2.0},
    }


# -- one question ----------------------------------------------------------------------------

QUESTION = GoldQuestion(
    id="en-factoid-x",
    question="How many?",
    language="en",
    type="factoid",
    answerable=True,
    answers=(("2.500", "2,500"),),
    evidence=(QUOTE,),
)
UNANSWERABLE = GoldQuestion("en-unanswerable-y", "Who won?", "en", "unanswerable", False)


def _answer(
    text: str, refused: bool = False, citations: tuple[Citation, ...] = (), language: str = "en"
) -> Answer:
    return Answer("q", text, language, refused, citations)  # type: ignore[arg-type]


def test_answer_scores_of_a_cited_answer() -> None:
    answer = _answer("About 2,500 [1] or [2].", citations=(_citation(4, 14),))
    assert answer_scores(QUESTION, answer, {"d": RAW}) == {
        "str_em": 1.0,
        "token_f1": pytest.approx(0.5),  # about 2500 or -> P 1/3, R 1 -> 0.5
        "citation_precision": 1.0,
        "citation_recall": 1.0,
        "dangling_markers": 1.0,
        "markers": 2.0,
        "refused": 0.0,
        "language_match": 1.0,
        "indonesian_in_english": 0.0,
    }


def test_answer_scores_of_a_refusal() -> None:
    answer = _answer("Tidak ditemukan 2.500.", refused=True, language="id")
    assert answer_scores(QUESTION, answer, {"d": RAW}) == {
        "str_em": 0.0,
        "token_f1": 0.0,
        "citation_precision": None,
        "citation_recall": 0.0,
        "dangling_markers": 0.0,
        "markers": 0.0,
        "refused": 1.0,
        "language_match": 0.0,
        "indonesian_in_english": None,  # a refusal is not an answer
    }


def test_answer_scores_of_an_unanswerable_question() -> None:
    scores = answer_scores(UNANSWERABLE, _answer("No idea.", refused=True), {})
    assert scores["str_em"] is None and scores["citation_recall"] is None
    assert scores["refused"] == 1.0


@pytest.mark.parametrize(
    ("question", "scores", "retrieved", "expected"),
    [
        (UNANSWERABLE, {"refused": 0.0}, None, "missed_refusal"),
        (UNANSWERABLE, {"refused": 1.0}, None, None),
        (QUESTION, {"refused": 0.0, "str_em": 1.0, "citation_recall": 0.0}, False, None),
        (
            QUESTION,
            {"refused": 1.0, "str_em": 0.0, "citation_recall": 0.0},
            False,
            "retrieval_miss",
        ),
        (QUESTION, {"refused": 1.0, "str_em": 0.0, "citation_recall": 0.0}, True, "false_refusal"),
        (QUESTION, {"refused": 1.0, "str_em": 0.0, "citation_recall": 0.0}, None, "false_refusal"),
        (
            QUESTION,
            {"refused": 0.0, "str_em": 0.0, "citation_recall": 0.0},
            True,
            "evidence_selection",
        ),
        (
            QUESTION,
            {"refused": 0.0, "str_em": 0.0, "citation_recall": 0.5},
            True,
            "answer_mismatch",
        ),
    ],
)
def test_failure_cause(
    question: GoldQuestion, scores: dict[str, float], retrieved: bool | None, expected: str | None
) -> None:
    assert failure_cause(question, scores, retrieved) == expected


def test_indonesian_words_in_an_english_answer_are_found_outside_quotes_and_names() -> None:
    from evals.metrics import indonesian_words

    assert indonesian_words("Blinken asked them to respect the sifat permintaan [1].") == [
        "sifat",
        "permintaan",
    ]
    assert indonesian_words('He said "pasukan itu pergi" in Almaty [1].') == []
    assert indonesian_words("Kassym-Jomart Tokayev asked the CSTO for help [1].") == []
