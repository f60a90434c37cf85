"""Did the model say the sources do not hold the answer?"""

from __future__ import annotations

import pytest

from rag.refusal import says_not_found


@pytest.mark.parametrize(
    "text",
    [
        "NOT_FOUND",
        "NOT_FOUND.",
        "The sources do not mention the weather in Almaty.",
        "According to the sources, the population of Kazakhstan is not explicitly stated [1].",
        "The figure is not specified in the sources [2].",
        "Jumlah penduduk Kazakhstan tidak disebutkan dalam sumber [1].",
        "Informasi itu tidak secara eksplisit dijelaskan [1].",
        # The first sentence refuses; what follows talks about the sources, not the question.
        "According to the sources, the population of Kazakhstan is not explicitly stated. The "
        "information provided focuses on the casualties and the involvement of other countries "
        "in the conflict.",
    ],
)
def test_a_refusal_in_the_words_of_an_answer_is_a_refusal(text: str) -> None:
    assert says_not_found(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "About 2,500 troops were sent [1].",
        # The sources' own doubt is an answer, not a refusal.
        'Blinken said "it is not clear why they felt the need" to call the CSTO [1].',
        # A first sentence with a figure answers, whatever it says is missing.
        "The exact number of Russian troops is not given, but about 2,500 were sent [1].",
        "About 2,500 troops were sent [1]. The number of Russian troops is not given [2].",
        # A long answer that mentions something missing on the way still answers.
        "The number of Russian troops was not given by Moscow, but the CSTO said the whole "
        "peacekeeping force would number about 2,500 and could be reinforced if needed [1]. "
        "It was expected to stay for days or weeks [1].",
    ],
)
def test_an_answer_is_not_a_refusal(text: str) -> None:
    assert not says_not_found(text)


def test_words_copied_from_a_source_are_not_a_refusal() -> None:
    source = (
        'Juru bicara Presiden Joe Biden mengklaim bahwa "orang Rusia" yang tidak disebutkan '
        "namanya telah salah menuduh Washington memicu keributan."
    )
    answer = 'Yang menuduh AS adalah "orang Rusia" yang tidak disebutkan namanya [1].'
    assert says_not_found(answer)  # without the passages it reads as a refusal
    assert not says_not_found(answer, [source])
    # The model's own "not mentioned" is a refusal, whatever the passages say elsewhere.
    assert says_not_found("Namanya tidak disebutkan dalam sumber [1].", [source])
