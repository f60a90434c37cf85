import pytest

from rag.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Berapa jumlah pasukan CSTO yang dikirim ke Kazakhstan?", "id"),
        ("How many people sought hospital treatment?", "en"),
        ("Who won the 2022 World Cup?", "en"),
        ("apa itu CSTO", "id"),
        ("Siapa Tokayev?", "id"),
        ("Kapan protes dimulai?", "id"),
        ("What did he order the security forces to do?", "en"),
        # Malay is treated as Indonesian.
        ("Berapakah bilangan askar yang dihantar ke Kazakhstan?", "id"),
    ],
)
def test_detects_indonesian_and_english(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_no_words_gives_the_default() -> None:
    assert detect_language("2022?", default="id") == "id"
    assert detect_language("🙂🙂", default="en") == "en"
