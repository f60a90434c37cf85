from rag.citations import CheckedSentence, Verification, verify_citations
from rag.translation import Translator, glossary_line

PASSAGE = "Kata juru bicara Departemen Luar Negeri AS, Ned Price, pada Kamis."


def test_the_glossary_gives_the_english_of_the_offices_a_sentence_names() -> None:
    line = glossary_line("Ned Price is a juru bicara Departemen Luar Negeri AS.")
    assert line == "Words: departemen luar negeri = foreign ministry; juru bicara = spokesperson\n"
    assert glossary_line("Protesters took over the bandara internasional.") == ""


def test_the_glossary_gives_the_english_of_countries_and_organisations() -> None:
    line = glossary_line(
        "The troops were led by Organisasi Perjanjian Keamanan Kolektif (CSTO), said Amerika "
        "Serikat and Rusia."
    )
    # an acronym's entry gives its long form; "amerika" inside "amerika serikat" is no pair
    assert line == (
        "Words: rusia = russia; amerika serikat = united states; "
        "organisasi perjanjian keamanan kolektif = collective security treaty organization\n"
    )
    # an office's or a body's English is its entry's first form, short or not
    assert glossary_line("Dia dibawa ke pengadilan.") == "Words: pengadilan = court\n"


def test_the_translation_is_asked_with_the_glossary() -> None:
    """Asked alone, the model had turned "juru bicara Departemen Luar Negeri AS" into "a
    foreign affairs minister"; the check then dropped it, and the answer stayed Indonesian."""
    prompts: list[str] = []

    def complete(prompt: str) -> str:
        prompts.append(prompt)
        return "Ned Price is a spokesperson for the US foreign ministry."

    def check(text: str) -> Verification:
        return verify_citations(text, [PASSAGE], "en", question="Who is Ned Price?")

    untranslated = Verification(
        text="Ned Price is a juru bicara Departemen Luar Negeri AS [1].",
        used=(0,),
        sentences=(CheckedSentence("Ned Price is a juru bicara Departemen Luar Negeri AS.", (0,)),),
        removed_markers=0,
        recited=0,
        dropped=0,
    )
    translated = Translator(complete).run(untranslated, check)

    assert "juru bicara = spokesperson" in prompts[0]
    assert translated.text == "Ned Price is a spokesperson for the US foreign ministry [1]."
