"""Everything the assistant says to the asker that is not the answer itself, per language.

One table, so a translation or a new wording is one edit, and the UI's own labels
(ui/i18n.py) are the only other place with user-facing text.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from index.dates import publication_day
from rag.answer import Language

MessageKey = Literal[
    "refusal",
    "unconfirmed",
    "empty",
    "link_only",
    "nonsense",
    "vague",
    "other_language",
    "task",
    "greeting",
    "thanks",
    "goodbye",
    "corpus",
    "corpus_span",
    "corpus_outlets",
    "corpus_more",
    "corpus_empty",
    "cut",
    "quote_intro",
    "scoped",
    "published",
    "unverified",
    "generator_failed",
]

MESSAGES: dict[MessageKey, dict[Language, str]] = {
    "refusal": {
        "id": "Informasi tersebut tidak ditemukan dalam korpus.",
        "en": "The corpus does not contain this information.",
    },
    "unconfirmed": {
        "id": "Sumber yang ditemukan tidak memastikan jawaban atas pertanyaan ini.",
        "en": "The sources found do not confirm an answer to this question.",
    },
    "empty": {
        "id": "Silakan tulis pertanyaan tentang berita di korpus.",
        "en": "Please type a question about the news in the corpus.",
    },
    "link_only": {
        "id": "Asisten tidak membuka tautan. Tulis pertanyaan tentang berita di korpus.",
        "en": "The assistant does not open links. Please type a question about the news in "
        "the corpus.",
    },
    "nonsense": {
        "id": "Pertanyaan itu tidak dapat dipahami. Tulis pertanyaan tentang berita di korpus.",
        "en": "That question could not be understood. Please type a question about the news "
        "in the corpus.",
    },
    "vague": {
        "id": "Pertanyaan itu belum menyebut apa yang ditanyakan. Tulis pertanyaan lengkap "
        "tentang berita di korpus, misalnya siapa melakukan apa, atau berapa jumlah apa.",
        "en": "That question does not say what it asks about. Please ask a whole question "
        "about the news in the corpus, such as who did what, or how many of what.",
    },
    "other_language": {
        "id": "Asisten menjawab pertanyaan dalam bahasa Indonesia atau Inggris ({name} "
        "tidak didukung). / The assistant answers questions in Indonesian or English.",
        "en": "The assistant answers questions in Indonesian or English ({name} is not "
        "supported). / Asisten menjawab pertanyaan dalam bahasa Indonesia atau Inggris.",
    },
    "task": {
        "id": "Asisten menjawab pertanyaan tentang berita di korpus; asisten tidak menulis "
        "puisi, lagu, atau lelucon.",
        "en": "The assistant answers questions about the news in the corpus; it does not write "
        "poems, songs or jokes.",
    },
    # small talk (rag.small_talk): a greeting or a request for help is told what the
    # assistant does; the words are the corpus's, whatever articles it holds
    "greeting": {
        "id": "Halo! Saya menjawab pertanyaan tentang artikel berita di korpus, dalam bahasa "
        "Indonesia atau Inggris, dan menunjuk kalimat sumbernya dengan [n]. Silakan tulis "
        "pertanyaan: siapa, apa, kapan, berapa.",
        "en": "Hello! I answer questions about the news articles in the corpus, in Indonesian "
        "or English, and point to the source sentences with [n]. Ask away: who, what, when, "
        "how many.",
    },
    # what the corpus holds (rag.overview), for "What is this about?", "artikel apa saja?"
    "corpus": {
        "id": "Korpus berisi {n} artikel berita{span}{outlets}:\n{titles}\nTanyakan isinya "
        "(siapa, apa, kapan, berapa) dalam bahasa Indonesia atau Inggris; setiap jawaban "
        "menunjuk kalimat sumbernya dengan [n].",
        "en": "The corpus holds {n} news articles{span}{outlets}:\n{titles}\nAsk about what "
        "they report (who, what, when, how many) in Indonesian or English; every answer points "
        "to its source sentences with [n].",
    },
    "corpus_span": {"id": " terbitan {days}", "en": " published {days}"},
    "corpus_outlets": {"id": " dari {outlets}", "en": " by {outlets}"},
    "corpus_more": {"id": "dan {n} lainnya", "en": "and {n} more"},
    "corpus_empty": {
        "id": "Korpus masih kosong. Tambahkan artikel lewat *Tambah artikel* atau `rag ingest`.",
        "en": "The corpus is empty. Add articles under *Add articles* or with `rag ingest`.",
    },
    "thanks": {
        "id": "Sama-sama. Silakan tanyakan hal lain tentang berita di korpus.",
        "en": "You're welcome. Ask anything else about the news in the corpus.",
    },
    "goodbye": {
        "id": "Sampai jumpa. Silakan kembali kapan saja dengan pertanyaan tentang berita di "
        "korpus.",
        "en": "Goodbye. Come back any time with a question about the news in the corpus.",
    },
    "cut": {
        "id": "Pertanyaan dipotong menjadi {n} karakter pertama.",
        "en": "The question was cut to its first {n} characters.",
    },
    "scoped": {
        "id": "Hanya dicari di artikel yang disebut pertanyaan: {sources}.",
        "en": "Searched only the articles the question names: {sources}.",
    },
    "published": {"id": "terbit", "en": "published"},
    "quote_intro": {
        "id": "Menurut {source}: ",
        "en": "According to {source} (quoted in Indonesian): ",
    },
    "unverified": {
        "id": "Jawaban model tidak dapat diverifikasi terhadap sumber; yang ditampilkan adalah "
        "kutipan sumbernya, bukan jawaban yang terverifikasi.",
        "en": "The model's answer could not be verified against the sources; what is shown is a "
        "quotation of them, not a verified answer.",
    },
    "generator_failed": {
        "id": "Model gagal menjawab ({error}); yang ditampilkan adalah kutipan sumbernya.",
        "en": "The model failed ({error}); what is shown is a quotation of the sources.",
    },
}


def message(key: MessageKey, language: Language, **values: object) -> str:
    """The message ``key`` in ``language``, with ``values`` filled in."""
    return MESSAGES[key][language].format(**values)


MONTHS_IN: dict[Language, tuple[str, ...]] = {
    "id": (
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip


def format_date(published: str | None, language: Language) -> str | None:
    """'2022-01-16T08:47:00+07:00' as '16 Januari 2022' / '16 January 2022'; None when there
    is no date or it is not ISO 8601 (the caller says "date unknown" its own way)."""
    day = publication_day(published)
    return format_day(day, language) if day else None


def format_day(day: date, language: Language) -> str:
    """A calendar day as news writes it: '7 Januari 2022' / '7 January 2022'."""
    return f"{day.day} {MONTHS_IN[language][day.month - 1]} {day.year}"
