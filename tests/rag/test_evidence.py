from rag import Assistant
from rag.conflicts import figures_conflict
from rag.evidence import Evidence, expected_answer_type, has_answer_type, select_evidence


def _evidence(doc_id: str, text: str, score: float = 0.9) -> Evidence:
    return Evidence(doc_id, "T", None, None, text, 0, len(text), score, score, 0)


def test_expected_answer_type_from_question_words() -> None:
    assert expected_answer_type("Berapa jumlah korban?") == "number"
    assert expected_answer_type("How many troops?") == "number"
    assert expected_answer_type("Kapan protes dimulai?") == "date"
    assert expected_answer_type("Who is Peskov?") == "name"
    assert expected_answer_type("Mengapa warga protes?") is None


def test_answer_type_ignores_dates_when_a_number_is_wanted() -> None:
    assert not has_answer_type("Pada Rabu (5/1), Peskov berbicara.", "number")
    assert has_answer_type("Sekitar 2.500 orang dikirim.", "number")
    assert has_answer_type("Protes dimulai pada hari Minggu (2/1/2022).", "date")


def test_selection_picks_the_answering_sentence_within_budget(assistant: Assistant) -> None:
    question = "Berapa orang mencari perawatan di rumah sakit?"
    r = assistant.retriever.search(question, k=6)
    chosen = select_evidence(
        question,
        r.query_vector,
        r.passages,
        assistant.retriever.document,
        assistant.sentence_vectors,
        assistant.retriever.analyzer,
        3,
        400,
    )
    assert 1 <= len(chosen) <= 3
    assert "2.600" in chosen[0].text
    assert sum(len(e.text) for e in chosen) <= 400 or len(chosen) == 1
    assert [e.score for e in chosen] == sorted((e.score for e in chosen), reverse=True)
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
