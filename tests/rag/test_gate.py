"""Stage 4: refuse before any model call, or go on."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from llama_index.core.schema import TextNode

from rag.evidence import Selection
from rag.gate import BACKGROUND, Background, GateDecision, RelevanceGate, absent_entities
from rag.lexicon import Lexicon
from rag.question import Question
from rag.retrieval import PassageNode, Retrieval

QUERY = np.array([1.0, 0.0], dtype=np.float32)


def _question(text: str, language: str = "en") -> Question:
    return Question(text, text, language, text)  # type: ignore[arg-type]


def _run(
    gate: RelevanceGate, question: str, relevance: float, passages: Sequence[str] = ()
) -> GateDecision:
    """The gate's decision on the question, its passages and its best evidence's relevance."""
    nodes = [PassageNode(node=TextNode(text=text), score=1.0) for text in passages]
    retrieval = Retrieval(query=question, query_vector=QUERY, passages=nodes)
    return gate.run(_question(question), retrieval, Selection([], relevance))


def _gate(background_similarity: float) -> RelevanceGate:
    """A gate whose background sentences all score ``background_similarity``."""

    def embed(texts: Sequence[str]) -> np.ndarray:
        row = np.array([background_similarity, 0.0], dtype=np.float32)
        return np.tile(row, (len(texts), 1))

    corpus = Lexicon.of(["Tokayev: Rusia mengirim pasukan ke Kazakhstan.", "Uni Soviet; Eropa."])
    return RelevanceGate(0.83, 0.785, 0.03, Background(embed), lambda: corpus)


@pytest.mark.parametrize(
    ("relevance", "background", "reason"),
    [
        (0.86, 0.75, "go"),
        (0.77, 0.70, "weak_evidence"),  # below the English threshold
        (0.80, 0.79, "off_topic"),  # the corpus matches no better than unrelated text
        (0.0, 0.5, "no_evidence"),
    ],
)
def test_the_decision_and_its_figures(relevance: float, background: float, reason: str) -> None:
    decision = _run(_gate(background), "How many troops?", relevance)
    assert decision.reason == reason
    assert decision.go is (reason == "go")
    assert decision.contrast == pytest.approx(relevance - background, abs=1e-6)


def test_a_country_the_corpus_never_names_is_refused_first() -> None:
    decision = _run(_gate(0.5), "How did China react?", 0.9)
    assert decision.reason == "absent_entity" and decision.absent == ("china",)
    assert absent_entities("Bagaimana sikap Rusia?", Lexicon.of(["Rusia"])) == []
    # Indonesia by its citizens: articles about Kazakhstan that never name it hold no answer
    corpus = Lexicon.of(["Warga Kazakhstan dievakuasi"])
    assert absent_entities("Berapa WNI yang dievakuasi?", corpus) == ["indonesia"]


def test_an_office_the_corpus_never_names_is_refused() -> None:
    decision = _run(_gate(0.5), "Who became prime minister after the government resigned?", 0.9)
    assert decision.reason == "absent_entity" and decision.absent == ("prime minister",)
    assert absent_entities("Siapa juru bicara Rusia?", Lexicon.of(["juru bicara Rusia"])) == []
    # a city's role as capital is one too: the corpus calls Almaty the largest city only
    decision = _run(_gate(0.5), "Apa nama ibu kota Kazakhstan?", 0.9)
    assert decision.reason == "absent_entity" and decision.absent == ("capital",)


def test_an_organisation_is_named_by_its_words_side_by_side() -> None:
    # "uni" and "eropa" are both corpus words, but never "Uni Eropa"
    decision = _run(_gate(0.5), "Apa kata Uni Eropa soal kerusuhan di Kazakhstan?", 0.9)
    assert decision.reason == "absent_entity" and decision.absent == ("european union",)
    decision = _run(_gate(0.5), "What did the EU say about Kazakhstan?", 0.9)
    assert decision.reason == "absent_entity" and decision.absent == ("european union",)


@pytest.mark.parametrize(
    ("question", "absent"),
    [
        ("What did Macron say about the Russian troops?", ["Macron"]),
        ("Apa tanggapan Xi Jinping terhadap kerusuhan di Kazakhstan?", ["Jinping"]),
        ("Did Dmitry Peskov speak?", []),
        ("Did Peskow speak?", []),  # one edit from the corpus's "Peskov"
        ("What did the Security Council say?", []),  # common words, capitalised
        ("Kapan Rusia mengirim pasukan?", []),
    ],
)
def test_a_name_the_corpus_never_uses_is_absent(question: str, absent: list[str]) -> None:
    corpus = Lexicon.of(["Rusia mengirim pasukan ke Kazakhstan.", "Dmitry Peskov berbicara."])
    assert absent_entities(question, corpus) == absent


def test_the_background_speaks_both_languages() -> None:
    assert len(BACKGROUND) % 2 == 0 and len(BACKGROUND) >= 10


@pytest.mark.parametrize(
    ("question", "passages", "reason"),
    [
        (
            "Berapa kerugian ekonomi akibat kerusuhan?",
            ["Sebanyak 225 jenazah dikirim."],
            "absent_amount",
        ),
        ("What was Tokayev's approval rating?", ["2.500 troops arrived."], "absent_amount"),
        ("Berapa kerugian ekonomi akibat kerusuhan?", ["Kerugian mencapai Rp 3 triliun."], "go"),
        ("By how much did the fuel price go up?", ["Harga LPG naik 100 persen."], "go"),
        ("How many troops were sent?", ["2.500 troops arrived."], "go"),
    ],
)
def test_an_amount_no_passage_gives_is_refused(
    question: str, passages: list[str], reason: str
) -> None:
    decision = _run(_gate(0.5), question, 0.9, passages)
    assert decision.reason == reason


def _decision_on_seeds(assistant, question: str) -> GateDecision:  # type: ignore[no-untyped-def]
    """The gate's decision on the seed articles, with the real embedder."""
    prepared = assistant.prepare.run(question, [])
    asked, filters = assistant.scope.run(prepared, None)
    retrieval = assistant.retriever.search(asked.searched, filters=filters)
    selection = assistant.select.run(asked.searched, retrieval)
    return assistant.gate.run(asked, retrieval, selection)


@pytest.mark.parametrize("search", ["harga gas", "kenaikan harga BBM", "gas prices"])
def test_a_search_for_what_the_protests_began_with_goes_on(assistant, search: str) -> None:  # type: ignore[no-untyped-def]
    # Prices are news: no background sentence may be closer to them than the corpus is.
    assert _decision_on_seeds(assistant, search).reason == "go"


@pytest.mark.parametrize("search", ["resep nasi goreng", "weather tomorrow", "konser Surabaya"])
def test_an_everyday_search_is_refused_on_the_seeds(assistant, search: str) -> None:  # type: ignore[no-untyped-def]
    assert not _decision_on_seeds(assistant, search).go


def test_a_request_for_a_topic_is_weighed_by_its_topic(assistant) -> None:  # type: ignore[no-untyped-def]
    # "tell me about" is generic text, closer to the everyday background than the corpus
    assert _decision_on_seeds(assistant, "tell me about the protests").reason == "go"
