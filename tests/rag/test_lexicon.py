"""The corpus's words and phrases."""

from __future__ import annotations

from rag.lexicon import Lexicon


def test_words_and_phrases_side_by_side_in_one_article() -> None:
    corpus = Lexicon.of(["Bekas Uni Soviet.", "Ancaman keamanan Eropa; Perserikatan Bangsa-Bangsa"])
    assert corpus.mentions("soviet") and corpus.mentions("Uni Soviet")
    assert corpus.mentions("perserikatan bangsa-bangsa")  # split as the corpus is
    assert not corpus.mentions("uni eropa")  # both words are used, never together
    assert not corpus.mentions("soviet ancaman")  # not across articles
    assert not corpus.mentions("nato") and not corpus.mentions("")
    assert "keamanan" in corpus.words


def test_words_used_apart() -> None:
    corpus = Lexicon.of(["Bekas Uni Soviet.", "Ancaman keamanan Eropa"])
    assert corpus.has_words("uni eropa")  # each word is used, though never together
    assert not corpus.has_words("Kementerian")
    assert not corpus.has_words("keamanan nato")
