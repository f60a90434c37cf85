import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest

from index import DocumentRecord
from rag import Assistant
from rag.conflicts import figures_conflict
from rag.evidence import (
    Evidence,
    EvidenceSelector,
    Selection,
    SentenceVectors,
    _widen,
    select_evidence,
    term_share,
    topic_terms,
)


def _evidence(doc_id: str, text: str, score: float = 0.9) -> Evidence:
    return Evidence(doc_id, "T", None, None, text, 0, len(text), score, score, passage_rank=0)


def _select(assistant: Assistant, question: str, sentences: int, chars: int) -> Selection:
    """Evidence for ``question`` as the assistant picks it, with the given budget."""
    r = assistant.retriever.search(question)
    return select_evidence(
        question,
        r.query_vector,
        r.passages,
        assistant.retriever.document,
        assistant.sentence_vectors,
        assistant.retriever.analyzer,
        sentences,
        chars,
        r.terms,
        margin=assistant.settings.evidence_margin,
    )


def test_selection_picks_the_answering_sentence_within_budget(assistant: Assistant) -> None:
    selection = _select(assistant, "Berapa orang mencari perawatan di rumah sakit?", 3, 400)
    chosen = selection.evidence
    assert 1 <= len(chosen) <= 3
    assert "2.600" in chosen[0].text
    assert sum(len(e.text) for e in chosen) <= 400 or len(chosen) == 1
    assert chosen[0].score == max(e.score for e in chosen)
    assert selection.relevance >= max(e.similarity for e in chosen[:1])
    best = chosen[0]
    doc = assistant.document(best.doc_id)
    assert doc is not None
    assert best.text == " ".join(doc.raw[best.start : best.end].split())


def test_figures_conflict_needs_a_quantity_question_and_two_articles() -> None:
    early = _evidence("002", "26 pengunjuk rasa telah kehilangan nyawa mereka.", 0.90)
    late = _evidence("004", "Selama keadaan darurat, 225 jenazah dikirim ke kamar mayat.", 0.89)
    same_doc = _evidence("002", "Setidaknya 18 petugas keamanan tewas.", 0.89)
    assert figures_conflict("Berapa korban tewas?", [early, late])
    assert not figures_conflict("Siapa yang tewas?", [early, late])
    assert not figures_conflict("Berapa korban tewas?", [early, same_doc])
    far = _evidence("004", "Selama keadaan darurat, 225 jenazah dikirim.", 0.70)
    assert not figures_conflict("How many died?", [early, far])  # too weak to count
    # dates are not figures, however written: only the reports' days differ here
    dated = _evidence("002", "Pada Kamis (6/1/2022), 26 orang tewas.", 0.90)
    later = _evidence("004", "Hingga 8 Januari 2022, 26 orang tewas.", 0.89)
    assert not figures_conflict("Berapa korban tewas?", [dated, later])


class _FixedVectors(SentenceVectors):
    """Sentence vectors given by hand (the selection logic, without the embedder)."""

    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = table

    def get(self, texts):  # type: ignore[no-untyped-def]
        rows = np.asarray([self.table[t] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _three_sentences(assistant: Assistant) -> tuple[list[str], Any]:
    """Three distinct sentences of a retrieved chunk, and that chunk cut down to them."""
    r = assistant.retriever.search("Berapa orang mencari perawatan di rumah sakit?", k=6)
    source = next(p for p in r.passages if len(p.sentences) >= 3)
    doc = assistant.document(source.doc_id)
    assert doc is not None
    texts = [" ".join(doc.raw[s:e].split()) for s, e in source.sentences[:3]]
    assert len(set(texts)) == 3
    passage = source.model_copy()
    passage.node = passage.node.model_copy(
        update={"metadata": {**passage.node.metadata, "sentences": passage.sentences[:3]}}
    )
    return texts, passage


def _pick(
    assistant: Assistant,
    passage: Any,
    table: dict[str, list[float]],
    sentences: int,
    margin: float,
    context: int = 0,
    excluded: Any = None,
) -> Selection:
    """The selection among ``passage``'s sentences with hand-made vectors (query = x axis)."""
    return select_evidence(
        "x",
        np.asarray([1.0, 0.0, 0.0], dtype=np.float32),
        [passage],
        assistant.document,
        _FixedVectors(table),
        assistant.retriever.analyzer,
        sentences,
        10_000,
        query_terms=[],
        margin=margin,
        context=context,
        excluded=excluded,
    )


def test_selection_skips_a_sentence_that_repeats_a_picked_one(assistant: Assistant) -> None:
    """Two near-identical sentences and a different one of slightly lower score: with room for
    two, the second pick is the different one (maximal marginal relevance)."""
    texts, passage = _three_sentences(assistant)
    table = {
        texts[0]: [0.90, 0.43, 0.0],  # best
        texts[1]: [0.89, 0.45, 0.0],  # nearly the same direction as the best
        texts[2]: [0.86, 0.0, 0.51],  # a bit less similar, but says something else
    }
    selection = _pick(assistant, passage, table, 2, margin=1.0)
    assert [e.text for e in selection.evidence] == [texts[0], texts[2]]
    # relevance: the best similarity among the two best-scored, whatever diversity picked
    assert selection.relevance == pytest.approx(0.90 / np.linalg.norm([0.90, 0.43]), abs=1e-4)


def test_quantity_question_gets_the_sentence_with_the_figure(assistant: Assistant) -> None:
    """The figure's sentence shares few words with the question ("pasukan penjaga perdamaian
    ... sekitar 2.500 orang", no "CSTO"): the acronym's long form, the answer-type bonus and
    diversity bring it into the default budget."""
    question = "Berapa jumlah pasukan CSTO yang dikirim ke Kazakhstan?"
    settings = assistant.settings
    selection = _select(
        assistant, question, settings.evidence_sentences, settings.evidence_max_chars
    )
    assert any("2.500 orang" in e.text for e in selection.evidence)


def test_selection_leaves_out_sentences_far_below_the_best(assistant: Assistant) -> None:
    """With room for three, a sentence scoring more than ``margin`` under the best is not
    shown to the model (a small model cites whatever it is shown)."""
    texts, passage = _three_sentences(assistant)
    table = {
        texts[0]: [0.90, 0.0, 0.436],  # similarity 0.90
        texts[1]: [0.87, 0.493, 0.0],  # 0.03 under the best
        texts[2]: [0.80, 0.0, -0.6],  # 0.10 under the best
    }

    def pick(margin: float) -> list[str]:
        return sorted(e.text for e in _pick(assistant, passage, table, 3, margin).evidence)

    assert pick(0.05) == sorted(texts[:2])
    assert pick(0.2) == sorted(texts)
    with pytest.raises(ValueError, match="margin"):
        pick(-0.1)


def test_a_question_asking_for_several_things_gets_the_larger_budget(
    assistant: Assistant,
) -> None:
    """A list question reads up to ``evidence_sentences_several`` sentences within a wider
    margin; a factoid keeps the factoid budget."""
    settings = assistant.settings.model_copy(
        update={"evidence_sentences": 1, "evidence_sentences_several": 3}
    )
    selector = EvidenceSelector.from_settings(
        settings,
        assistant.retriever.document,
        assistant.sentence_vectors,
        assistant.retriever.analyzer,
    )
    listing = "Negara mana saja yang mengirim pasukan CSTO ke Kazakhstan?"
    factoid = "Negara mana yang memimpin pasukan CSTO ke Kazakhstan?"
    many = selector.run(listing, assistant.retriever.search(listing)).evidence
    one = selector.run(factoid, assistant.retriever.search(factoid)).evidence
    assert selector.several.sentences == 3 and selector.budget.sentences == 1
    assert len(one) == 1
    assert len(many) > 1


def test_context_brings_the_neighbouring_sentences_and_merges_windows(
    assistant: Assistant,
) -> None:
    texts, passage = _three_sentences(assistant)
    table = {
        texts[0]: [0.50, 0.0, 0.87],
        texts[1]: [0.90, 0.44, 0.0],  # the one picked when there is room for one
        texts[2]: [0.89, 0.0, -0.46],
    }
    doc = assistant.document(passage.doc_id)
    assert doc is not None
    (s0, _), (s1, e1), (_, e2) = passage.sentences

    alone = _pick(assistant, passage, table, 1, margin=1.0).evidence
    assert [(e.start, e.end) for e in alone] == [(s1, e1)]
    (window,) = _pick(assistant, passage, table, 1, margin=1.0, context=1).evidence
    assert (window.start, window.end) == (s0, e2)
    assert window.text == " ".join(doc.raw[s0:e2].split())
    assert window.score == alone[0].score  # the picked sentence's score, not the window's

    # Sentences 2 and 3 picked: their windows (1-3 and 2-3) overlap and merge into one.
    (merged,) = _pick(assistant, passage, table, 2, margin=1.0, context=1).evidence
    assert (merged.start, merged.end) == (s0, e2)

    # An excluded neighbour (a planted instruction) is not taken along.
    (clean,) = _pick(
        assistant, passage, table, 1, margin=1.0, context=1, excluded=lambda t: t == texts[0]
    ).evidence
    assert (clean.start, clean.end) == (s1, e2)


def test_a_window_that_bridges_two_others_merges_all_three() -> None:
    raw = "Satu. Dua. Tiga. Empat. Lima."
    spans = [(0, 5), (6, 10), (11, 16), (17, 23), (24, 29)]
    doc = DocumentRecord(
        "d",
        raw,
        "T",
        None,
        None,
        None,
        None,
        (),
        None,
        (),
        path="d.txt",
        sha256="",
        content_hash="",
    )

    def at(i: int) -> Evidence:
        start, end = spans[i]
        return Evidence("d", "T", None, None, raw[start:end], start, end, 0.9, 0.9, passage_rank=0)

    # Sentences 1 and 5 give windows 1-2 and 4-5; sentence 3's window (2-4) touches both.
    widened = _widen([at(0), at(4), at(2)], [spans] * 3, 1, {"d": doc}, lambda _: False)
    assert [(e.start, e.end, e.text) for e in widened] == [(0, 29, raw)]
    # Apart, they stay apart.
    apart = _widen([at(0), at(4)], [spans] * 2, 1, {"d": doc}, lambda _: False)
    assert [(e.start, e.end) for e in apart] == [(0, 10), (17, 29)]


class _CountingEmbedder:
    """Vectors derived from the text; records every text it was asked to embed."""

    def __init__(self) -> None:
        self.embedded: list[str] = []
        self._lock = threading.Lock()

    def vector(self, text: str) -> list[float]:
        return [float(len(text)), float(sum(map(ord, text)) % 97), 1.0]

    def get_text_embedding_batch(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            self.embedded.extend(texts)
        return [self.vector(t) for t in texts]

    def get_text_embedding(self, text: str) -> list[float]:
        return self.get_text_embedding_batch([text])[0]


def test_sentence_vectors_embed_once_and_forget_the_least_recently_used() -> None:
    embedder = _CountingEmbedder()
    vectors = SentenceVectors(embedder, capacity=2)  # type: ignore[arg-type]

    rows = vectors.get(["a", "bb", "a"])
    assert rows.tolist() == [embedder.vector(t) for t in ["a", "bb", "a"]]
    assert embedder.embedded == ["a", "bb"]
    vectors.get(["a"])  # "a" is now the more recently used
    vectors.get(["ccc"])  # over capacity: "bb" goes
    assert embedder.embedded == ["a", "bb", "ccc"]
    vectors.get(["a", "ccc"])
    assert embedder.embedded == ["a", "bb", "ccc"]
    vectors.get(["bb"])
    assert embedder.embedded == ["a", "bb", "ccc", "bb"]


def test_sentence_vectors_shared_between_threads_give_each_its_own_rows() -> None:
    embedder = _CountingEmbedder()
    vectors = SentenceVectors(embedder, capacity=50)  # type: ignore[arg-type]
    texts = [f"kalimat {i}" for i in range(120)]

    def ask(start: int) -> bool:
        batch = [texts[(start + j) % len(texts)] for j in range(0, 60, 7)]
        return vectors.get(batch).tolist() == [embedder.vector(t) for t in batch]

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(ask, range(400)))
    assert len(vectors._cache) <= 50


def test_term_share_counts_the_question_terms_a_text_holds() -> None:
    from index.analyzer import default_analyzer

    analyzer = default_analyzer()
    asked = analyzer("Berapa orang dirawat di rumah sakit?")  # rawat, rumah, sakit
    assert term_share(asked, "Sekitar 2.600 orang dirawat di rumah sakit.", analyzer) == 1.0
    assert term_share(asked, "Ribuan orang dirawat.", analyzer) == pytest.approx(1 / 3)
    assert term_share(asked, "Tokayev berbicara.", analyzer, also=["rumah sakit"]) == (
        pytest.approx(2 / 3)
    )
    assert term_share([], "apa saja", analyzer) == 0.0


def test_topic_terms_are_what_a_question_asks_besides_its_names() -> None:
    from index.analyzer import default_analyzer

    analyzer = default_analyzer()
    assert topic_terms("Kapan Tokayev lahir?", analyzer) == {"lahir"}
    assert topic_terms("Tokayev sudah jadi presiden Kazakhstan sejak tahun berapa?", analyzer) == {
        "tahun"
    }
    assert topic_terms("Kantor berita apa yang mewawancarai Jen Psaki?", analyzer) == {
        "kantor",
        "berita",
        "wawancara",
    }
    # only names: nothing else to look for
    assert topic_terms("Siapa Jen Psaki?", analyzer) == set()
    assert topic_terms("Siapa menteri luar negeri Rusia?", analyzer) == set()
