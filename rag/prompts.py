"""Prompt templates (module constants) and the evidence block they are filled with.

The system prompt is fixed so llama.cpp can reuse its processed prefix across questions;
everything that varies (sources, question, language) comes after it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rag.answer import Language
from rag.answer_types import asks_when
from rag.evidence import Evidence
from rag.messages import format_date
from rag.weekdays import dated_weekdays, spelled_dates

NOT_FOUND = "NOT_FOUND"

SYSTEM_PROMPT = f"""You answer questions about news articles using only the numbered sources you are given.
Rules:
- Answer briefly, in one to three sentences, in the language the user asks for. Start with the answer itself: no greeting, no preamble.
- Give the facts the question asks for (who, what, how many, when); do not just repeat the question.
- End every sentence with the number of the source it comes from, like [1] or [2][3].
- Copy names and numbers exactly as the sources give them.
- If sources give different figures (for example on different dates), give each figure with its date and source.
- If the sources do not answer the question, reply only: {NOT_FOUND}"""

# Two worked examples, sent as earlier turns: a small model copies their form (direct answer,
# a marker per sentence, figures with their dates). They sit in the fixed prefix, so llama.cpp
# processes them once, not on every question.
EXAMPLES: tuple[tuple[str, str], ...] = (
    (
        """Sources:
[1] (Kompas, 3 Maret 2021) Banjir merendam 120 rumah di Bekasi pada Selasa (2/3/2021).
[2] (Antara, 4 Maret 2021) Sebanyak 300 warga mengungsi ke balai desa setelah banjir.

Question: How many residents were evacuated after the flood?
Answer in English.""",
        "About 300 residents were evacuated to the village hall after the flood [2].",
    ),
    (
        """Sources:
[1] (Tempo, 5 Mei 2021) Polisi menyebut 12 orang terluka dalam kecelakaan bus itu.
[2] (Detik, 7 Mei 2021) Jumlah korban luka kecelakaan bus bertambah menjadi 19 orang.

Question: Berapa korban luka kecelakaan bus?
Answer in Indonesian.""",
        "Pada 5 Mei 2021 polisi menyebut 12 orang terluka [1]. Pada 7 Mei 2021 jumlahnya bertambah menjadi 19 orang [2].",
    ),
)

# What the worked examples' stories are about, as the analyzer's terms (Indonesian stems,
# English words), each group one thing in both languages. The 1.5B model now and then carries
# a story into a real answer: "Warga Kazakhstan protes karena harga energi yang tinggi dan
# kecelakaan bus ..." ("and a bus accident"). ``rag.citations`` drops a sentence that uses one
# of these where neither the sources nor the question do. Keep them in step with EXAMPLES (the
# examples' place and outlet names need no entry: an unknown name is dropped anyway).
EXAMPLE_STORY_TERMS: tuple[frozenset[str], ...] = (
    frozenset({"banjir", "flood", "floods", "flooded", "flooding"}),
    frozenset({"rendam", "submerged", "inundated"}),
    frozenset({"ungsi", "evakuasi", "evacuate", "evacuated", "evacuation", "evacuees"}),
    frozenset({"desa", "village", "villages", "villagers"}),
    frozenset({"bus", "buses"}),
    frozenset({"celaka", "accident", "accidents"}),
)

USER_PROMPT = """Sources:
{sources}

Question: {question}
{hint}Answer in {language_name}."""

# A question that asks for several things (``answer_types.asks_for_several``: a list, two
# things at once, a change over time) is asked plainly, in one user message, without the
# system prompt and its worked examples: they show one fact per answer, and the model copies
# that form, naming one item of a list ("Blinken tidak mau ada korban dari pihak Rusia") or
# restating the question. Measured on the 32 such dev questions (docs/DESIGN.md, "Generator
# choice"): right 7 -> 10, citation precision 0.57 -> 0.65. Asked of every question, the same
# prompt lost 16 of the other answers and gained 8. It has no ``CONFLICT_HINT`` line: it was
# measured without one.
SEVERAL_PROMPT = """Answer the question using only the numbered sources below. \
Answer briefly, in {language_name}, and cite the sources you use like [1].

Sources:
{sources}

Question: {question}"""

CONFLICT_HINT = (
    "Note: the sources report different figures; give each figure with its date and source.\n"
)

CONDENSE_PROMPT = """Rewrite the last question so that it can be understood without the conversation. Keep its language. Reply with the rewritten question only.

Conversation:
{history}

Last question: {question}
Rewritten question:"""

TRANSLATE_PROMPT = """Translate this sentence into English. Translate every Indonesian word, quotations too; keep names and numbers as they are. Reply with the English sentence only.

{glossary}Sentence: {sentence}
English:"""

# The offices and bodies of the sentence, as a line before it (``rag.translation``): asked
# alone, the model turned "juru bicara Departemen Luar Negeri AS" into "a foreign affairs
# minister".
GLOSSARY_LINE = "Words: {pairs}\n"


LANGUAGE_NAMES = {"id": "Indonesian", "en": "English"}


def source_label(evidence: Evidence, language: Language) -> str:
    """'MEDIA PAKUAN, 16 January 2022': outlet (or the title's first words) and date.

    Short on purpose: every label is prompt tokens, and the model reads ~50 tokens/s here.
    """
    parts = [evidence.publisher or _short_title(evidence.title)]
    date = format_date(evidence.published, language)
    if date:
        parts.append(date)
    return ", ".join(p for p in parts if p)


def _short_title(title: str, words: int = 5) -> str:
    head = title.split()
    return " ".join(head[:words]) + ("…" if len(head) > words else "")


def source_text(evidence: Evidence, when: bool) -> str:
    """A passage's text as the model reads it (and its answer is checked against): for a
    question that asks ``when``, its weekdays dated and its numeric dates written out
    (``rag.weekdays``). The dates are written in Indonesian, the articles' language: with
    English dates in the Indonesian text the model left the date out of its answer."""
    if not when:
        return evidence.text
    return spelled_dates(dated_weekdays(evidence.text, evidence.published, "id"))


def format_sources(evidence: Sequence[Evidence], language: Language, when: bool = False) -> str:
    """The numbered sources. For a question that asks ``when``, a label names the outlet
    only and the text dates its weekdays: the model otherwise answers with the publication
    date, the one date it sees beside "pada hari Jumat"."""

    def label(e: Evidence) -> str:
        return (e.publisher or _short_title(e.title)) if when else source_label(e, language)

    return "\n".join(
        f"[{i}] ({label(e)}) {source_text(e, when)}" for i, e in enumerate(evidence, start=1)
    )


def user_prompt(
    question: str, evidence: Sequence[Evidence], language: Language, conflict: bool
) -> str:
    return USER_PROMPT.format(
        sources=format_sources(evidence, language, when=asks_when(question)),
        question=question,
        hint=CONFLICT_HINT if conflict else "",
        language_name=LANGUAGE_NAMES[language],
    )


def several_prompt(question: str, evidence: Sequence[Evidence], language: Language) -> str:
    """The whole prompt for a question that asks for several things (``SEVERAL_PROMPT``)."""
    return SEVERAL_PROMPT.format(
        sources=format_sources(evidence, language, when=asks_when(question)),
        question=question,
        language_name=LANGUAGE_NAMES[language],
    )
