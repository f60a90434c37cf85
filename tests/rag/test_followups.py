import pytest

from rag.followups import (
    history_text,
    is_followup,
    normalize_history,
    points_at_conversation,
    rule_based_standalone,
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


def test_standalone_questions_and_empty_history_are_not_followups() -> None:
    assert not is_followup("How many people sought hospital treatment in Kazakhstan?", HISTORY)
    assert not is_followup("What did he order the security forces to do?", [])


def test_rule_based_standalone_adds_previous_names_and_question() -> None:
    rewritten = rule_based_standalone("What did he order the security forces to do?", HISTORY)
    assert rewritten == (
        "What did he order the security forces to do? "
        "(Kassym-Jomart, Tokayev; Who is the president of Kazakhstan?)"
    )


def test_a_marker_citing_two_sources_is_no_figure_of_the_answer() -> None:
    history = [HISTORY[0], ("assistant", "The president is Kassym-Jomart Tokayev [1, 2].")]
    rewritten = rule_based_standalone("What did he order the security forces to do?", history)
    assert rewritten == (
        "What did he order the security forces to do? "
        "(Kassym-Jomart, Tokayev; Who is the president of Kazakhstan?)"
    )
    assert "[" not in history_text(history)


def test_normalize_history_accepts_pairs_and_dicts_and_keeps_the_last_turns() -> None:
    turns = normalize_history(
        [("user", "a"), {"role": "assistant", "content": "b"}, ["user", "  "], ("user", "c")], 2
    )
    assert turns == [("assistant", "b"), ("user", "c")]


@pytest.mark.parametrize("bad", [("system", "x"), ("user",), 42, {"role": "user", "content": 3}])
def test_normalize_history_rejects_malformed_turns(bad: object) -> None:
    with pytest.raises(ValueError):
        normalize_history([bad], 6)


def test_a_rewrite_that_points_at_the_conversation_is_not_standalone() -> None:
    assert points_at_conversation("When did the countries mentioned in the conversation deploy?")
    assert points_at_conversation("Kapan negara yang disebutkan tadi mengirim pasukan?")
    assert not points_at_conversation("When did Russia and Belarus start deploying troops?")
    assert not points_at_conversation("Siapa yang membahas krisis itu di Dewan Keamanan?")
