"""LLMGenerator: the messages it sends, and what it keeps of a model's condensed follow-up."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from llama_index.core.base.llms.types import MessageRole

from rag.evidence import Evidence
from rag.generators.base import GenerationRequest, LLMGenerator
from rag.prompts import EXAMPLES, SYSTEM_PROMPT
from tests.rag.scripted import ScriptedLLM

HISTORY: Sequence[tuple[str, str]] = [
    ("user", "Who asked the CSTO for help?"),
    ("assistant", "President Kassym-Jomart Tokayev asked the CSTO for help [1]."),
]
QUESTION = "How many troops did they send?"


TEXT = "Pasukan dari Rusia, Belarus dan Armenia mulai dikerahkan pada Kamis."
EVIDENCE = (Evidence("d", "Rusia Kirim Pasukan", None, "Antara", TEXT, 0, len(TEXT), 0.9, 0.9, 0),)


def test_a_question_is_sent_after_the_system_prompt_and_the_worked_examples() -> None:
    request = GenerationRequest("Negara mana yang mengirim pasukan?", "id", EVIDENCE)
    messages = LLMGenerator(ScriptedLLM(), "scripted").messages(request)
    assert messages[0].role == MessageRole.SYSTEM and messages[0].content == SYSTEM_PROMPT
    assert len(messages) == 2 + 2 * len(EXAMPLES)
    assert "[1] (Antara) " + TEXT in str(messages[-1].content)
    assert "Question: Negara mana yang mengirim pasukan?" in str(messages[-1].content)


def test_a_question_that_asks_for_several_things_is_asked_plainly() -> None:
    """No system prompt and no worked examples: they show one fact per answer, and the model
    named one item of a list, or restated the question."""
    question = "Negara mana saja yang mengirim pasukan?"
    request = GenerationRequest(question, "id", EVIDENCE, several=True)
    (message,) = LLMGenerator(ScriptedLLM(), "scripted").messages(request)
    content = str(message.content)
    assert message.role == MessageRole.USER
    assert content.startswith("Answer the question using only the numbered sources below.")
    assert "in Indonesian, and cite the sources you use like [1]" in content
    assert "[1] (Antara) " + TEXT in content and content.endswith(f"Question: {question}")


def condensed(reply: str) -> str | None:
    return LLMGenerator(ScriptedLLM(reply=reply), "scripted").condense(QUESTION, HISTORY)


def test_a_rewrite_that_resolves_the_question_is_kept() -> None:
    assert condensed('"How many troops did the CSTO send to Kazakhstan?"\n') == (
        "How many troops did the CSTO send to Kazakhstan?"
    )


@pytest.mark.parametrize(
    "reply",
    [
        QUESTION,
        "how many troops did they send",  # the same words: case and punctuation aside
        "",
        "x" * (3 * len(QUESTION) + 201),  # ran on
        # what a 1.5B model wrote for "what day did they start deploying" after a list of
        # countries: it names the conversation, not the countries
        "How many troops did the countries mentioned in the conversation send?",
        "Berapa pasukan yang dikirim negara yang disebutkan sebelumnya?",
    ],
)
def test_an_unchanged_empty_runaway_or_unresolved_rewrite_is_refused(reply: str) -> None:
    # None: the assistant then falls back to rag.followups (the one person named, or the
    # last turn's names and question added for the search).
    assert condensed(reply) is None


def test_a_rewrite_whose_pronoun_still_points_nowhere_is_refused() -> None:
    """After an English turn the 1.5B model translated the Indonesian follow-up instead of
    resolving it; the rule-based form puts the last answer's one person in its place."""
    history = [
        ("user", "Siapa yang meminta bantuan CSTO?"),
        ("assistant", "Presiden Kazakhstan, Kassym-Jomart Tokayev meminta bantuan CSTO [1]."),
    ]
    question = "Kenapa dia butuh bantuan itu?"
    generator = LLMGenerator(ScriptedLLM(reply="Why did he need help?"), "scripted")
    assert generator.condense(question, history) is None
    resolved = LLMGenerator(ScriptedLLM(reply="Kenapa Tokayev butuh bantuan CSTO?"), "scripted")
    assert resolved.condense(question, history) == "Kenapa Tokayev butuh bantuan CSTO?"


@pytest.mark.parametrize(
    ("question", "reply"),
    [
        ("Kenapa dia butuh bantuan itu?", "Why did Tokayev need the CSTO?"),
        ("Negara mana kirim pasukan?", "Which country sent troops?"),
        ("How many troops did they send?", "Berapa pasukan yang dikirim CSTO?"),
    ],
)
def test_a_rewrite_in_the_other_language_is_refused(question: str, reply: str) -> None:
    """The model translated instead of rewriting: the asker's own words are kept (the
    caller names the person or adds the last turn's context for the search)."""
    generator = LLMGenerator(ScriptedLLM(reply=reply), "scripted")
    assert generator.condense(question, HISTORY) is None


def test_a_rewrite_that_drops_a_name_the_question_gave_is_refused() -> None:
    """The 1.5B model gave back the last turn's question instead: the answer was about the
    talks, not the aid to Kiev. The rule-based form puts Psaki in place of "she"."""
    history = [
        ("user", "What did Psaki say about the upcoming US-Russia talks?"),
        ("assistant", "She accused Moscow of creating a European security crisis [1]."),
    ]
    question = "And what did she say the US would keep giving Kiev?"
    lost = LLMGenerator(ScriptedLLM(reply="What did Psaki say about the US-Russia talks?"), "s")
    assert lost.condense(question, history) is None
    rewrite = "What did Psaki say the US would keep giving Kiev?"
    kept = LLMGenerator(ScriptedLLM(reply=rewrite), "s")
    assert kept.condense(question, history) == rewrite


def test_a_rewrite_of_a_question_that_needs_nothing_from_the_conversation_is_kept() -> None:
    """ "its" made this a follow-up; the model's rewrite rightly borrows nothing, and the
    rule-based form would have added the hospital turn's names to the search."""
    history = [
        ("user", "Berapa orang yang mencari perawatan di rumah sakit?"),
        ("assistant", "Lebih dari 2.600 orang, kata Asel Artakshinova [1]."),
    ]
    rewrite = "When did Russia announce that all its troop planes had returned?"
    generator = LLMGenerator(ScriptedLLM(reply=rewrite), "scripted")
    question = "When did Russia say all its troop planes had returned?"
    assert generator.condense(question, history) == rewrite


class LocalLLM(ScriptedLLM):
    """A scripted LLM with a ``load``, as an in-process model has."""

    loads: int = 0

    def load(self) -> object:
        self.loads += 1
        return object()


def test_warming_up_a_local_model_evaluates_the_fixed_prompt_prefix() -> None:
    llm = LocalLLM(reply="x")
    LLMGenerator(llm, "local").warm_up()
    assert llm.loads == 1
    assert len(llm.prompts) == 1  # one request, so the model's cache holds the prefix
    assert SYSTEM_PROMPT in llm.prompts[0]
    assert all(answer in llm.prompts[0] for _, answer in EXAMPLES)


def test_warming_up_a_remote_model_sends_nothing() -> None:
    llm = ScriptedLLM(reply="x")  # no load: an endpoint, where a request costs tokens
    LLMGenerator(llm, "remote").warm_up()
    assert llm.prompts == []
