"""Whether a quotation answers the question: the rule for the quotation fallback.

When nothing the model wrote holds up against the sources, an Indonesian asker gets the best
evidence quoted (``Assistant``; the quotation is ``ExtractiveGenerator``'s) if this module
says the quotation is about what was asked, and the "not confirmed" refusal otherwise.
Quoted, a passage on the question's topic that lacks the one thing asked reads as an
answer, so each check in ``quote_answers`` is a way the best passage has been found to miss
the question.
"""

from __future__ import annotations

from index import IndonesianAnalyzer
from rag.answer_types import asks_name, asks_year, gives_name, has_figure, wants_figure
from rag.counted import off_question
from rag.evidence import term_share, topic_terms
from rag.gazetteer import unnamed_in
from rag.offices import asked_offices, miscast


def quote_answers(
    question: str, quoted: str, analyzer: IndonesianAnalyzer, min_share: float
) -> bool:
    """Is ``quoted`` (the passages the fallback would quote, joined) about ``question``?

    It must hold at least ``min_share`` of the question's terms (``Settings.quote_min_share``)
    and one of its terms outside its names (``evidence.topic_terms``: "Kapan Tokayev lahir?"
    is not answered by a passage about Tokayev that says nothing of his birth); for a "how
    many" question, a figure (a photo caption dated "Kamis (6/1/2022)" gives none) that counts
    what is asked (the check drops "225 jenazah" for the number detained; quoting the passage
    would show the same figure); for a question that asks a name, a name it does not give;
    every country, organisation and ministry the question names; and no one the question's
    office would miscast ("Menteri Luar Negeri AS Antony Blinken" for "Siapa menteri luar
    negeri Rusia?").
    """
    if wants_figure(question) and not has_figure(quoted, years=asks_year(question)):
        return False
    if asks_name(question) and not gives_name(quoted, question):
        return False
    if unnamed_in(quoted, question):
        return False
    if off_question(quoted, [quoted], question):
        return False
    if miscast(quoted, asked_offices(question), [quoted]):
        return False
    topic = topic_terms(question, analyzer)
    if topic and not topic & set(analyzer(quoted)):
        return False
    return term_share(analyzer(question), quoted, analyzer) >= min_share
