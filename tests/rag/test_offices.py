import pytest

from rag.gazetteer import entities_in
from rag.offices import asked_offices, miscast, office_countries, titles_of

PASSAGES = [
    "Menteri Luar Negeri AS Antony Blinken memperingatkan Kazakhstan pada hari Jumat.",
    "Presiden Kazakh Kassym-Jomart Tokayev meminta bantuan dari CSTO.",
    "Pada Rabu (5/1), juru bicara presiden Rusia, Dmitry Peskov mengatakan bahwa Kazakhstan mampu.",
    "Sementara itu Presiden Vladimir Putin mencari pakta dengan blok NATO yang dipimpin AS.",
    "Ned Price, juru bicara Departemen Luar Negeri AS, mengatakan hal itu.",
    "Seorang juru bicara kementerian kesehatan, Asel Artakshinova mengatakan bahwa 2.600 orang.",
]


def _countries(claims: dict) -> dict[str, list[str]]:
    return {office[0]: sorted(c[0] for c in countries) for office, countries in claims.items()}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Russian foreign minister is Antony Blinken.", {"foreign minister": ["russia"]}),
        ("The president of Ukraine is Tokayev.", {"president": ["ukraine"]}),
        ("Kazakhstan's president is Tokayev.", {"president": ["kazakhstan"]}),
        ("Siapa menteri luar negeri Rusia?", {"foreign minister": ["russia"]}),
        ("Who is the US State Department spokesperson?", {"spokesperson": ["united states"]}),
        # a country in another clause is not the office's
        ("Blinken, the foreign minister, warned Russia.", {"foreign minister": []}),
        (
            "Presiden Vladimir Putin mencari pakta dengan blok NATO yang dipimpin AS.",
            {"president": []},
        ),
    ],
)
def test_office_countries_are_the_countries_beside_each_office(
    text: str, expected: dict[str, list[str]]
) -> None:
    assert _countries(office_countries(text)) == expected


def test_titles_are_read_before_a_name_and_in_an_appositive_after_it() -> None:
    def titles(person: str) -> dict[str, list[list[str]]]:
        found = titles_of(person, PASSAGES)
        return {office[0]: [sorted(c[0] for c in t) for t in ts] for office, ts in found.items()}

    assert titles("Antony Blinken") == {"foreign minister": [["united states"]]}
    # the country of the title, not a word of the name
    assert titles("Kassym-Jomart Tokayev") == {"president": [["kazakhstan"]]}
    # a comma inside the title
    assert titles("Dmitry Peskov") == {"spokesperson": [["russia"]], "president": [["russia"]]}
    assert titles("Ned Price") == {"spokesperson": [["united states"]]}
    # a title that names no country
    assert titles("Vladimir Putin") == {"president": [[]]}
    assert titles("Asel Artakshinova") == {"spokesperson": [[]]}
    assert titles("Serik Shalabayev") == {}


@pytest.mark.parametrize(
    ("sentence", "question"),
    [
        (
            "The Russian foreign minister is Antony Blinken [1].",
            "Who is the Russian foreign minister?",
        ),
        (
            "The president of Ukraine is Kassym-Jomart Tokayev [1].",
            "Who is the president of Ukraine?",
        ),
        ("Dmitry Peskov adalah juru bicara presiden Kazakhstan [1].", "Siapa Dmitry Peskov?"),
        ("Ned Price is a spokesperson for the Russian Foreign Ministry [1].", "Who is Ned Price?"),
        # the sentence agrees with itself; the question asked about another country's office
        (
            "Menteri Luar Negeri AS Antony Blinken memperingatkan Kazakhstan [1].",
            "Siapa menteri luar negeri Rusia?",
        ),
    ],
)
def test_another_countrys_office_is_miscast(sentence: str, question: str) -> None:
    assert miscast(sentence, asked_offices(question), PASSAGES)


@pytest.mark.parametrize(
    ("sentence", "question"),
    [
        ("Kazakhstan's president is Kassym-Jomart Tokayev [1].", "Who is Kazakhstan's president?"),
        ("The US Secretary of State is Antony Blinken [1].", "Who is the US Secretary of State?"),
        ("Dmitry Peskov is the Russian president's spokesman [1].", "Who is Dmitry Peskov?"),
        # two people, each with their own country's office
        (
            "Kazakh President Kassym-Jomart Tokayev asked Russian President Vladimir Putin for "
            "help [1].",
            "Who asked Putin for help?",
        ),
        # the question names a person: its office is that person's, not the answer's
        (
            "Kazakh President Kassym-Jomart Tokayev asked for help [1].",
            "Who asked Russian President Vladimir Putin for help?",
        ),
        # a title with no country says nothing against one (and so cannot catch this)
        ("Presiden Vladimir Putin [1].", "Siapa presiden Amerika Serikat?"),
        # no title for the person in the passages
        ("Asel Artakshinova is the Kazakh health spokeswoman [1].", "Who spoke for the ministry?"),
    ],
)
def test_an_office_the_titles_allow_is_not_miscast(sentence: str, question: str) -> None:
    assert not miscast(sentence, asked_offices(question), PASSAGES)


def test_as_and_us_in_capitals_are_the_united_states() -> None:
    assert entities_in("Menteri Luar Negeri AS Antony Blinken")[-1][0] == "united states"
    assert [e[0] for e in entities_in("The US wanted answers")] == ["united states"]
    assert entities_in("as soon as they told us") == []
