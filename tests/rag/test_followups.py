import pytest

from rag.followups import (
    drops_a_name,
    history_text,
    is_followup,
    named_person,
    normalize_history,
    points_at_conversation,
    still_points_back,
    with_context,
)

HISTORY = [
    ("user", "Who is the president of Kazakhstan?"),
    ("assistant", "The president is Kassym-Jomart Tokayev [1]."),
]


def test_pronoun_questions_are_followups() -> None:
    assert is_followup("What did he order the security forces to do?", HISTORY)
    assert is_followup("Apa perintahnya kepada polisi?", HISTORY)  # the -nya clitic
    assert is_followup("Kapan itu terjadi?", HISTORY)
    assert is_followup("And Russia?", HISTORY)  # too short to stand alone


@pytest.mark.parametrize(
    "question",
    [
        "And how many of the dead were police officers?",
        "Terus berapa yang luka-luka di rumah sakit Almaty?",
        "kalau jumlah korban luka menurut kementerian kesehatan?",
        "But what did the Russian foreign ministry say?",
    ],
)
def test_a_question_that_opens_by_joining_on_is_a_followup(question: str) -> None:
    assert is_followup(question, HISTORY)
    assert not is_followup(question, [])


def test_standalone_questions_and_empty_history_are_not_followups() -> None:
    assert not is_followup("How many people sought hospital treatment in Kazakhstan?", HISTORY)
    assert not is_followup("What did he order the security forces to do?", [])


def test_named_person_puts_the_one_person_in_place_of_the_pronoun() -> None:
    rewritten = named_person("What did he order the security forces to do?", HISTORY)
    assert rewritten == "What did Kassym-Jomart Tokayev order the security forces to do?"
    history = [
        ("user", "What did Psaki deny?"),
        ("assistant", "Psaki denied that Russia was behind the protests in Kazakhstan [1]."),
    ]
    assert named_person("What did she say about Ukraine?", history) == (
        "What did Psaki say about Ukraine?"
    )
    history = [("user", "Siapa yang meminta bantuan?"), ("assistant", "Presiden Kazakh, Tokayev.")]
    assert named_person("Kenapa dia minta bantuan?", history) == ("Kenapa Tokayev minta bantuan?")
    assert named_person("What was his reasoning?", HISTORY) == (
        "What was Kassym-Jomart Tokayev's reasoning?"
    )


def test_with_context_adds_previous_names_and_question() -> None:
    """Without one person to name (a body, two people, "they"), the last turn's names and
    question go with the question, for the search."""
    history = [
        ("user", "Siapa yang mendukung seruan untuk tenang?"),
        ("assistant", "Gedung Putih mendukung seruan itu [1]."),
    ]
    assert named_person("Kapan dia ngomong begitu?", history) is None
    assert with_context("Kapan dia ngomong begitu?", history) == (
        "Kapan dia ngomong begitu? (Gedung, Putih; Siapa yang mendukung seruan untuk tenang?)"
    )
    history = [("user", "Who spoke?"), ("assistant", "Ned Price and Jen Psaki spoke [1, 2].")]
    assert named_person("What did he say?", history) is None
    assert with_context("What did he say?", history) == (
        "What did he say? (Ned, Price, Jen, Psaki; Who spoke?)"
    )
    assert "[" not in history_text(history)


def test_normalize_history_accepts_pairs_and_dicts_and_keeps_the_last_turns() -> None:
    turns = normalize_history(
        [("user", "a"), {"role": "assistant", "content": "b"}, ["user", "  "], ("user", "c")], 2
    )
    assert turns == [("assistant", "b"), ("user", "c")]


def test_normalize_history_accepts_exchanges_message_objects_and_role_synonyms() -> None:
    from llama_index.core.llms import ChatMessage, MessageRole

    turns = normalize_history(
        [
            ("Who asked the CSTO for help?", "Tokayev [1]."),  # Gradio's tuple history
            ["How many troops?", None],  # an exchange still waiting for its answer
            ChatMessage(role=MessageRole.SYSTEM, content="You are helpful."),
            ChatMessage(role=MessageRole.USER, content="Siapa Peskov?"),
            {"role": "ai", "content": "Juru bicara Kremlin [1]."},
            ("Human", "And Psaki?"),
        ],
        10,
    )
    assert turns == [
        ("user", "Who asked the CSTO for help?"),
        ("assistant", "Tokayev [1]."),
        ("user", "How many troops?"),
        ("user", "Siapa Peskov?"),
        ("assistant", "Juru bicara Kremlin [1]."),
        ("user", "And Psaki?"),
    ]


@pytest.mark.parametrize(
    "bad",
    [("user",), 42, {"role": "user", "content": 3}, {"role": "judge", "content": "x"}, ("q", 3)],
)
def test_normalize_history_rejects_malformed_turns_naming_them(bad: object) -> None:
    with pytest.raises(ValueError) as caught:
        normalize_history([bad], 6)
    assert repr(bad) in str(caught.value)


def test_a_rewrite_that_points_at_the_conversation_is_not_standalone() -> None:
    assert points_at_conversation("When did the countries mentioned in the conversation deploy?")
    assert points_at_conversation("Kapan negara yang disebutkan tadi mengirim pasukan?")
    assert not points_at_conversation("When did Russia and Belarus start deploying troops?")
    assert not points_at_conversation("Siapa yang membahas krisis itu di Dewan Keamanan?")


@pytest.mark.parametrize(
    ("rewritten", "question", "expected"),
    [
        # a translation, not a rewrite: "he" is as unresolved as "dia" was
        ("Why did he need help?", "Kenapa dia butuh bantuan itu?", True),
        ("Kenapa dia butuh bantuan?", "kenapa dia butuh itu", True),  # "Kenapa" is no name
        ("What did they say?", "What did they say?", True),
        # a name the question lacks: the pronoun has something to point at
        ("Why did Tokayev say he needed the CSTO?", "Why did he need them?", False),
        ("How many troops did they send to Kazakhstan?", "How many troops did they send?", False),
        # no pronoun for a person or a group
        ("When did the protests start?", "When did that start?", False),
    ],
)
def test_a_rewrite_that_keeps_a_pronoun_and_names_nothing_new_still_points_back(
    rewritten: str, question: str, expected: bool
) -> None:
    assert still_points_back(rewritten, question) is expected


@pytest.mark.parametrize(
    ("rewritten", "question", "expected"),
    [
        # the last turn's question given back: "Kiev" is gone
        (
            "What did Psaki say about the US-Russia talks?",
            "And what did she say the US would keep giving Kiev?",
            True,
        ),
        (
            "What did Psaki say the US would keep giving kiev?",
            "What did she say the US gives Kiev?",
            False,
        ),
        # a capitalised opener is no name; pronouns resolved are what a rewrite is for
        ("Kapan Jen Psaki mengatakan itu?", "Kapan dia ngomong begitu?", False),
        (
            "Apakah Peskov bilang Rusia diminta membantu?",
            "Menurut dia, Kazakhstan minta tolong ke Rusia?",
            True,
        ),
    ],
)
def test_a_rewrite_that_leaves_out_a_name_of_the_question_drops_it(
    rewritten: str, question: str, expected: bool
) -> None:
    assert drops_a_name(rewritten, question) is expected


@pytest.mark.parametrize(
    ("question", "leans"),
    [
        ("Who is Ned Price?", False),  # a short question about someone it names
        ("Siapa Jen Psaki?", False),
        ("Kapan CSTO dibentuk?", False),
        ("What about Blinken?", True),  # elliptical: about what, of Blinken?
        ("Bagaimana dengan Rusia?", True),
        ("And Psaki?", True),
        ("Who sent troops?", True),  # short, and names nothing
        ("Siapa dia?", True),
    ],
)
def test_a_short_question_about_someone_named_stands_alone(question: str, leans: bool) -> None:
    history = [("user", "Who asked the CSTO for help?"), ("assistant", "Tokayev [1].")]
    assert is_followup(question, history) is leans
