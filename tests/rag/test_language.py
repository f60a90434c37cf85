import pytest

from rag.language import detect_language, indonesian_words, other_language


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
        # A search of a word or two: its words' frequencies in each language decide
        ("protes", "id"),  # lingua alone: English, 0.69
        ("harga gas", "id"),
        ("korban tewas", "id"),
        ("gas prices", "en"),
        ("death toll", "en"),
        ("bandara Almaty", "id"),
    ],
)
def test_detects_indonesian_and_english(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_no_words_gives_the_default() -> None:
    assert detect_language("2022?", default="id") == "id"
    assert detect_language("🙂🙂", default="en") == "en"


def test_a_name_alone_tells_no_language() -> None:
    # common in both languages' text: neither side's word
    assert detect_language("Kazakhstan", default="id") == "id"
    assert detect_language("Kazakhstan", default="en") == "en"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Welche Länder haben Soldaten nach Kasachstan geschickt?", "German"),
        # One function word of ours ("was", "in") is also a German word.
        ("Was ist die Hauptstadt von Kasachstan?", "German"),
        ("Wie viele Menschen starben in Almaty?", "German"),
        # Two of ours ("was", "in"; "is", "in") do not outweigh a detector that is sure.
        ("Was ist in Kasachstan passiert?", "German"),
        ("Wat is er gebeurd in Kazachstan?", "Dutch"),
        # A name in a short question spreads the detector's confidence; the lead still tells.
        ("Quelle est la capitale du Kazakhstan?", "French"),
        ("Chi è il presidente del Kazakistan?", "Italian"),
        ("¿Cuántos soldados envió Rusia a Kazajistán?", "Spanish"),
    ],
)
def test_a_third_language_is_named(text: str, language: str) -> None:
    assert other_language(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "apa itu CSTO",
        "Who is Tokayev?",
        "CSTO Almaty",  # names only: Polish 0.31 against English 0.17, no clear lead
        "protes Almaty",
        "Kassym-Jomart Tokayev Almaty",
        "Kremlin Peskov",
        "Tokayev teroris",
        "Serik Shalabayev",
        "Berapakah bilangan askar yang dihantar ke Kazakhstan?",  # Malay counts as ours
        "What did he order the security forces to do?",
        "Was Tokayev in Almaty?",
        "Was the CSTO in Kazakhstan?",
    ],
)
def test_our_languages_and_keyword_searches_are_not_another_language(text: str) -> None:
    assert other_language(text) is None


def test_a_search_in_the_corpus_own_words_is_not_another_language() -> None:
    vocabulary = frozenset({"almaty", "kazakhstan"})
    assert other_language("almaty", vocabulary) is None  # lingua alone: Polish, 0.49
    assert other_language("kazakhstan " * 90, vocabulary) is None
    assert other_language("Quelle est la capitale du Kazakhstan?", vocabulary) == "French"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Protesters took over the bandara internasional in Almaty [3].",
            ["bandara", "internasional"],
        ),
        # a capitalised office, country or body the gazetteer knows in both languages
        ("Presiden Kazakh Kassym-Jomart Tokayev asked the CSTO for help [1].", ["Presiden"]),
        ("The Kementerian Kesehatan said 2,600 sought treatment [1].", ["Kementerian Kesehatan"]),
        ("Rusia sent troops and bandara was taken [2].", ["Rusia", "bandara"]),
        # capitalised Indonesian words in a row: a phrase left untranslated
        ("The Kazakh Ministry of Dalam Negeri gave the count [1].", ["Dalam Negeri"]),
        ("Protesters burned the Balai Kota Almaty [1].", ["Balai Kota"]),
        ("The Kementerian Dalam Negeri said [1].", ["Kementerian Dalam Negeri"]),
        # names and English forms do not count: one capitalised word may be a name, and
        # names wordfreq knows as Indonesian are not in the dictionary of roots
        ("Antara reported that Tokayev spoke [1].", []),
        ("Joko Widodo and Prabowo Subianto met in Jakarta [1].", []),
        ("Kazakh President Kassym-Jomart Tokayev asked the CSTO for help [1].", []),
        ("Asel Artakshinova spoke for the health ministry in Almaty [1].", []),
    ],
)
def test_indonesian_words_of_an_english_text(text: str, expected: list[str]) -> None:
    assert indonesian_words(text) == expected


def test_indonesian_words_in_a_marked_quotation_count_only_when_asked() -> None:
    text = 'Peskov said "Presiden Rusia tidak ikut campur" [1].'
    assert indonesian_words(text) == ["Presiden Rusia", "tidak", "ikut", "campur"]
    assert indonesian_words(text, in_quotes=False) == []
