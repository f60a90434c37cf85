"""End to end with the extractive generator (real Chroma, real embedder, seeded corpus)."""

import json
from collections.abc import Iterator

import pytest

from index.cleaning import normalize_whitespace
from rag import Answer, Assistant, quoting
from rag import assistant as assistant_module
from rag.generators.base import GenerationRequest, LLMGenerator
from rag.prompts import SYSTEM_PROMPT
from tests.rag.scripted import ScriptedLLM


def _check_offsets(assistant: Assistant, answer: Answer) -> None:
    for c in answer.citations:
        doc = assistant.document(c.doc_id)
        assert doc is not None
        assert normalize_whitespace(doc.raw[c.start : c.end]) == c.text
        assert c.title == doc.title and c.published == doc.published


def test_indonesian_question_gets_a_cited_indonesian_answer(assistant: Assistant) -> None:
    answer = assistant.ask("Berapa orang yang mencari perawatan di rumah sakit?")
    assert answer.language == "id" and not answer.refused
    assert "2.600" in answer.text
    assert "[1]" in answer.text
    assert answer.citations[0].doc_id == "004_94ce680aa1d7413e"
    _check_offsets(assistant, answer)


def test_english_question_finds_indonesian_passages(assistant: Assistant) -> None:
    answer = assistant.ask("How many people sought hospital treatment?")
    assert answer.language == "en" and not answer.refused
    assert answer.text.startswith("According to")
    assert any("2.600" in c.text for c in answer.citations)
    _check_offsets(assistant, answer)


def test_a_question_naming_the_report_it_means_is_not_refused(assistant: Assistant) -> None:
    # "menurut laporan tanggal 8 Januari" lowers the question's similarity to any sentence
    # (0.825 against 0.843 without it): the refusal threshold leaves room for such qualifiers.
    answer = assistant.ask("Berapa jumlah korban tewas menurut laporan tanggal 8 Januari?")
    assert not answer.refused
    assert any("26" in c.text for c in answer.citations)


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("Who won the 2022 World Cup?", "The corpus does not contain this information."),
        (
            "Siapa yang memenangkan Piala Dunia 2022?",
            "Informasi tersebut tidak ditemukan dalam korpus.",
        ),
    ],
)
def test_questions_outside_the_corpus_are_refused(
    assistant: Assistant, question: str, message: str
) -> None:
    answer = assistant.ask(question)
    assert answer.refused
    assert answer.text == message
    assert answer.citations == ()


def test_stream_yields_text_then_the_final_answer(assistant: Assistant) -> None:
    items = list(assistant.stream("Siapa Menteri Luar Negeri Amerika Serikat?"))
    assert all(isinstance(i, str) for i in items[:-1])
    final = items[-1]
    assert isinstance(final, Answer)
    assert "".join(items[:-1]).strip() == final.text


def test_to_dict_is_the_json_contract(assistant: Assistant) -> None:
    answer = assistant.ask("Apa yang dikatakan Blinken tentang pasukan Rusia?")
    data = json.loads(json.dumps(answer.to_dict()))
    assert set(data) == {
        "question",
        "text",
        "language",
        "refused",
        "citations",
        "retrieved",
        "timings",
        "standalone_question",
        "generator",
        "notices",
        "refusal_reason",
        "draft",
    }
    assert set(data["citations"][0]) == {
        "n",
        "doc_id",
        "title",
        "published",
        "publisher",
        "text",
        "start",
        "end",
    }
    assert set(data["retrieved"][0]) == {
        "chunk_id",
        "doc_id",
        "title",
        "published",
        "publisher",
        "text",
        "score",
        "start",
        "end",
    }
    assert {"retrieve_ms", "total_ms"} <= set(data["timings"])
    assert [c["n"] for c in data["citations"]] == list(range(1, len(data["citations"]) + 1))


def test_followup_is_made_standalone_from_history(assistant: Assistant) -> None:
    history = [
        ("user", "Siapa Presiden Kazakhstan?"),
        ("assistant", "Presiden Kazakhstan adalah Kassym-Jomart Tokayev [1]."),
    ]
    answer = assistant.ask("Apa yang dia perintahkan kepada pasukan keamanan?", history)
    assert "Tokayev" in answer.standalone_question
    assert not answer.refused
    assert any("Tokayev" in c.text for c in answer.citations)


def test_a_followup_given_context_is_asked_of_the_model_as_written(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A short follow-up the model's rewrite left as it was: the search gets the last turn's
    question with it, the model only the question (read together, the 1.5B model answered
    the last question again)."""
    llm = ScriptedLLM(
        first=["Negara mana kirim pasukan?"],  # the rewrite, unchanged: not used
        reply="Pasukan dari Rusia dan Belarus mulai dikerahkan [1].",
        prompts=[],
    )
    model = LLMGenerator(llm, "openai")
    monkeypatch.setattr(assistant_module, "make_generator", lambda settings, name=None: model)
    history = [
        ("user", "Apa yang memicu kerusuhan di Kazakhstan?"),
        ("assistant", "Kenaikan harga LPG memicu kerusuhan [1]."),
    ]
    answer = assistant.ask("Negara mana kirim pasukan?", history, generator="openai")
    assert "memicu kerusuhan" in answer.standalone_question  # what was searched
    assert "Question: Negara mana kirim pasukan?\n" in llm.prompts[-1]
    assert not answer.refused and "Belarus" in answer.text


@pytest.mark.parametrize("question", ["", "   ", "\x00\x07", "🙂🙂🙂"])
def test_empty_questions_get_a_prompt_not_an_error(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.refused
    assert "question" in answer.text.lower() or "pertanyaan" in answer.text.lower()


def test_overlong_question_is_cut_and_the_user_told(assistant: Assistant) -> None:
    answer = assistant.ask("Berapa jumlah pasukan CSTO? " * 5000)
    assert any("cut" in n or "dipotong" in n for n in answer.notices)
    assert len(answer.standalone_question) <= assistant.settings.max_question_chars


def test_filters_restrict_the_cited_articles(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Apa yang dikatakan Blinken?", filters={"doc_id": "000_5af2c4d53b4ab9d2"}
    )
    assert {p.doc_id for p in answer.retrieved} == {"000_5af2c4d53b4ab9d2"}
    assert {c.doc_id for c in answer.citations} <= {"000_5af2c4d53b4ab9d2"}


PAKUAN = {"000_5af2c4d53b4ab9d2", "004_94ce680aa1d7413e"}


def test_a_question_that_names_an_outlet_searches_its_articles_only(
    assistant: Assistant,
) -> None:
    """Searched with "menurut Media Pakuan" in it, the question's best evidence fell under
    the refusal threshold; the outlet now restricts the search instead (rag/scope.py)."""
    answer = assistant.ask("Siapa yang memimpin pasukan keamanan menurut Media Pakuan?")
    assert not answer.refused
    assert {p.doc_id for p in answer.retrieved} == PAKUAN
    assert {c.doc_id for c in answer.citations} <= PAKUAN
    assert "Hanya dicari di artikel yang disebut pertanyaan: MEDIA PAKUAN." in answer.notices
    dated = assistant.ask("According to the January 16 report, who spoke for the health ministry?")
    assert {p.doc_id for p in dated.retrieved} == {"004_94ce680aa1d7413e"}
    assert "Searched only the articles the question names: published 16 January 2022." in (
        dated.notices
    )


def test_filters_given_win_over_the_outlet_a_question_names(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Apa yang dikatakan Blinken menurut Media Pakuan?",
        filters={"doc_id": "002_ad13a3f56d3b263b"},
    )
    assert {p.doc_id for p in answer.retrieved} == {"002_ad13a3f56d3b263b"}
    assert not any("MEDIA PAKUAN" in notice for notice in answer.notices)


def _model_says(monkeypatch: pytest.MonkeyPatch, reply: str) -> None:
    """The assistant's model (any generator but extractive) answers ``reply``, streamed."""
    model = LLMGenerator(ScriptedLLM(reply=reply), "openai")
    monkeypatch.setattr(assistant_module, "make_generator", lambda settings, name=None: model)


def test_a_models_answer_streams_only_the_sentences_the_check_keeps(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    _model_says(
        monkeypatch,
        "HACKED [1]. Sekitar 2.600 orang mencari perawatan di rumah sakit [1]. "
        "Sebanyak 9.999 orang tewas [2]. Sekitar 2.600 orang mencari perawatan di rumah sakit.",
    )

    items = list(
        assistant.stream("Berapa orang yang mencari perawatan di rumah sakit?", generator="openai")
    )

    final = items[-1]
    assert isinstance(final, Answer) and final.generator == "openai"
    streamed = "".join(i for i in items[:-1] if isinstance(i, str))
    assert streamed == final.text  # nothing shown was taken back
    assert "HACKED" not in streamed and "9.999" not in streamed  # no planted or unsupported text
    assert final.text.count("2.600") == 1  # the repeat is dropped too
    assert "2.600" in final.citations[0].text
    assert final.timings["first_text_ms"] >= final.timings["first_token_ms"]
    _check_offsets(assistant, final)


def test_a_model_answer_the_check_rejects_whole_streams_the_quote_instead(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    _model_says(monkeypatch, "HACKED [1]. HACKED [2].")

    items = list(
        assistant.stream("Berapa orang yang mencari perawatan di rumah sakit?", generator="openai")
    )

    final = items[-1]
    assert isinstance(final, Answer) and final.generator == "extractive"
    streamed = "".join(i for i in items[:-1] if isinstance(i, str))
    assert streamed == final.text and "2.600" in streamed
    assert "HACKED" not in streamed


def test_an_english_sentence_with_indonesian_words_is_translated_before_it_shows(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    llm = ScriptedLLM(
        first=["About 2,600 people sought care at rumah sakit terdekat [1]."],
        reply="About 2,600 people sought care at nearby hospitals.",
        prompts=[],
    )
    model = LLMGenerator(llm, "openai")
    monkeypatch.setattr(assistant_module, "make_generator", lambda settings, name=None: model)

    items = list(assistant.stream("How many people sought hospital treatment?", generator="openai"))

    final = items[-1]
    assert isinstance(final, Answer) and not final.refused
    assert final.text == "About 2,600 people sought care at nearby hospitals [1]."
    streamed = "".join(i for i in items[:-1] if isinstance(i, str))
    assert streamed == final.text  # the Indonesian form was never shown
    assert "Translate this sentence into English" in llm.prompts[-1]
    assert "2.600" in final.citations[0].text
    assert final.timings["translate_ms"] > 0


def test_a_translation_that_loses_a_figure_keeps_the_original(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    llm = ScriptedLLM(
        first=["About 2,600 people sought care at rumah sakit terdekat [1]."],
        reply="Many people sought care at nearby hospitals.",
        prompts=[],
    )
    monkeypatch.setattr(
        assistant_module, "make_generator", lambda settings, name=None: LLMGenerator(llm, "x")
    )

    answer = assistant.ask("How many people sought hospital treatment?", generator="openai")

    assert answer.text == "About 2,600 people sought care at rumah sakit terdekat [1]."


def test_an_english_answer_nothing_confirms_is_a_refusal_not_an_indonesian_quote(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    _model_says(monkeypatch, "HACKED [1]. HACKED [2].")

    answer = assistant.ask("How many people sought hospital treatment?", generator="openai")

    assert answer.refused and answer.citations == ()
    assert answer.text == "The sources found do not confirm an answer to this question."
    assert answer.retrieved  # the passages found are still there to read


def test_a_store_that_fails_during_the_warm_up_does_not_fail_the_model(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warm-up's search is a head start only: its failure is the first question's to
    report, not the model's status ("failed to load")."""
    fresh = Assistant(assistant.retriever, assistant.settings)

    def broken(*args: object, **kwargs: object) -> None:
        raise ConnectionError("Chroma server unreachable")

    monkeypatch.setattr(fresh.retriever, "search", broken)
    fresh.warm_up()
    fresh._warm_up.wait(60)
    assert fresh.model_status().state == "ready"


def test_a_question_that_asks_two_things_is_answered_in_two_parts(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    llm = ScriptedLLM(
        first=["Lebih dari 2.600 orang mencari perawatan di rumah sakit [1]."],
        reply="Pasukan penjaga perdamaian berjumlah sekitar 2.500 orang [1].",
        prompts=[],
    )
    model = LLMGenerator(llm, "openai")
    monkeypatch.setattr(assistant_module, "make_generator", lambda settings, name=None: model)

    asked = (
        "Berapa orang yang dirawat di rumah sakit, dan berapa jumlah pasukan penjaga perdamaian?"
    )
    items = list(assistant.stream(asked, generator="openai"))

    final = items[-1]
    assert isinstance(final, Answer) and not final.refused and final.question == asked
    assert "Question: Berapa orang yang dirawat di rumah sakit?" in llm.prompts[0]
    assert "Question: Berapa jumlah pasukan penjaga perdamaian?" in llm.prompts[1]
    first, second = final.text.split(". ", 1)
    assert "2.600" in first and first.endswith("[1]")
    assert "2.500" in second and second.endswith("[2].")  # numbered on from the first part
    assert "".join(i for i in items[:-1] if isinstance(i, str)) == final.text
    assert [c.n for c in final.citations] == [1, 2]
    assert "2.600" in final.citations[0].text and "2.500" in final.citations[1].text
    _check_offsets(assistant, final)


def test_a_quote_about_something_else_is_a_refusal_not_an_answer(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    _model_says(monkeypatch, "HACKED [1]. HACKED [2].")
    question = "Polisi disuruh Tokayev bersikap ramah kepada siapa?"  # no source says

    answer = assistant.ask(question, generator="openai")

    assert answer.refused and answer.refusal_reason == "unconfirmed"
    assert answer.citations == ()
    assert answer.draft == "HACKED [1]. HACKED [2]."  # what the model wrote, kept for the record
    assert Answer.from_dict(answer.to_dict()) == answer
    # what it would have quoted: a passage about Tokayev that shares few of the question's words
    # (and none but his name: the topic rule, tested on its own below, refuses it too)
    anything = assistant.settings.model_copy(update={"quote_min_share": 0.0})
    monkeypatch.setattr(assistant, "settings", anything)
    monkeypatch.setattr(quoting, "topic_terms", lambda question, analyzer: set())
    quoted = assistant.ask(question, generator="openai")
    assert not quoted.refused and quoted.generator == "extractive" and "Tokayev" in quoted.text


def test_a_quote_whose_figures_count_something_else_is_a_refusal_not_an_answer(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    _model_says(monkeypatch, "HACKED [1].")
    question = "Berapa orang yang ditahan setelah kerusuhan?"  # no source says

    answer = assistant.ask(question, generator="openai")

    # the passages share the question's words, but their figures count bodies, officers
    # and peacekeepers, not detainees: quoted, they would answer with the wrong figure
    assert answer.refused and answer.refusal_reason == "unconfirmed"
    assert answer.citations == ()
    # without the figure rule the same question gets the quotation
    monkeypatch.setattr(quoting, "off_question", lambda *args: False)
    quoted = assistant.ask(question, generator="openai")
    assert not quoted.refused and quoted.generator == "extractive" and "225" in quoted.text


def test_a_quote_with_no_name_does_not_answer_a_name_question(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    _model_says(monkeypatch, "HACKED [1].")
    question = "Siapa nama pria yang berdiri di depan Balai Kota Almaty yang terbakar?"

    answer = assistant.ask(question, generator="openai")

    # the photo caption names no one but the question's own building, city and a weekday
    assert answer.refused and answer.refusal_reason == "unconfirmed"
    monkeypatch.setattr(quoting, "gives_name", lambda text, question: True)
    quoted = assistant.ask(question, generator="openai")
    assert not quoted.refused and quoted.generator == "extractive"


def test_a_quote_that_leaves_out_the_body_asked_about_does_not_answer(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    _model_says(monkeypatch, "HACKED [1].")
    question = "Siapa juru bicara Kementerian Dalam Negeri Kazakhstan?"  # no source says

    answer = assistant.ask(question, generator="openai")

    # the best passage names spokespeople, none of Kazakhstan's interior ministry
    assert answer.refused and answer.refusal_reason == "unconfirmed"
    monkeypatch.setattr(quoting, "unnamed_in", lambda text, question: [])
    quoted = assistant.ask(question, generator="openai")
    assert not quoted.refused and quoted.generator == "extractive"


def test_a_quote_with_no_figure_does_not_answer_how_many(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    _model_says(monkeypatch, "HACKED [1].")
    question = "Berapa orang yang tewas saat bandara Almaty direbut kembali?"  # no source says

    answer = assistant.ask(question, generator="openai")

    # the passage that tells of the airport retaken gives a date, "(2/1/2022)", and no figure
    assert answer.refused and answer.refusal_reason == "unconfirmed"
    monkeypatch.setattr(quoting, "has_figure", lambda text, years=False: True)
    quoted = assistant.ask(question, generator="openai")
    assert not quoted.refused and quoted.generator == "extractive"
    assert "direbut kembali" in quoted.text


def test_a_quote_about_another_countrys_office_holder_does_not_answer(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    _model_says(monkeypatch, "HACKED [1].")
    question = "Siapa menteri luar negeri Rusia?"  # no source says

    answer = assistant.ask(question, generator="openai")

    # the best passage names a foreign minister, the US's: "Menteri Luar Negeri AS Antony
    # Blinken"
    assert answer.refused and answer.refusal_reason == "unconfirmed"
    monkeypatch.setattr(quoting, "miscast", lambda *args: False)
    quoted = assistant.ask(question, generator="openai")
    assert not quoted.refused and quoted.generator == "extractive"
    assert "Blinken" in quoted.text


def test_a_question_that_asks_for_several_things_gets_the_plain_prompt(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A list question is asked without the worked examples (``rag.prompts.SEVERAL_PROMPT``),
    a single-fact one with them; both answers are checked the same way."""
    llm = ScriptedLLM(
        reply="Rusia, Belarus, Armenia, Tajikistan dan Kirgistan mengirim pasukan [1].",
        prompts=[],
    )
    model = LLMGenerator(llm, "openai")
    monkeypatch.setattr(assistant_module, "make_generator", lambda settings, name=None: model)

    listed = assistant.ask(
        "Negara mana saja yang mengirim pasukan ke Kazakhstan?", generator="openai"
    )
    assert "Answer the question using only the numbered sources below." in llm.prompts[-1]
    assert SYSTEM_PROMPT not in llm.prompts[-1]
    assert not listed.refused and "Tajikistan" in listed.text

    assistant.ask("Berapa jumlah pasukan penjaga perdamaian CSTO?", generator="openai")
    assert SYSTEM_PROMPT in llm.prompts[-1]


class _CountingGenerator(LLMGenerator):
    """Streams its reply a word at a time and records how far it got and whether the
    stream was closed (what stops the bundled engine)."""

    def __init__(self, reply: str) -> None:
        super().__init__(ScriptedLLM(reply=reply), "openai")
        self.words = reply.split(" ")
        self.yielded = 0
        self.closed = False

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        try:
            for i, word in enumerate(self.words):
                self.yielded += 1
                yield word if i == 0 else " " + word
        finally:
            self.closed = True


def test_a_one_fact_answer_is_its_first_checked_sentence_and_the_model_stops_there(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 1.5B model pads a one-fact answer with more of its sources ("19 people were in a
    very serious condition [2]." after the right figure)."""
    model = _CountingGenerator(
        "Sekitar 2.600 orang mencari perawatan di rumah sakit [1]. "
        "Presiden Kassym-Jomart Tokayev meminta bantuan CSTO [2]. "
        "Pasukan itu berjumlah sekitar 2.500 orang [3]."
    )
    monkeypatch.setattr(assistant_module, "make_generator", lambda settings, name=None: model)

    items = list(
        assistant.stream("Berapa orang yang mencari perawatan di rumah sakit?", generator="openai")
    )

    final = items[-1]
    assert isinstance(final, Answer)
    assert final.text == "Sekitar 2.600 orang mencari perawatan di rumah sakit [1]."
    assert "".join(i for i in items[:-1] if isinstance(i, str)) == final.text
    assert len(final.citations) == 1
    assert model.closed and model.yielded < len(model.words)  # stopped as the second began


def test_a_question_that_asks_for_several_things_keeps_every_checked_sentence(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = _CountingGenerator(
        "Pasukan dikirim oleh Rusia dan Belarus [1]. Armenia, Tajikistan dan Kirgistan juga "
        "mengirim pasukan [1]."
    )
    monkeypatch.setattr(assistant_module, "make_generator", lambda settings, name=None: model)

    answer = assistant.ask(
        "Negara mana saja yang mengirim pasukan ke Kazakhstan?", generator="openai"
    )

    assert "Belarus" in answer.text and "Kirgistan" in answer.text
    assert model.yielded == len(model.words)
