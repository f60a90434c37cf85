"""Interface text in Indonesian and English: labels, placeholders, example questions.

Answers follow the language of the question (the assistant decides); everything the
interface itself says follows the language toggle, through :func:`t`.
"""

from __future__ import annotations

from rag import Language

DEFAULT_LANGUAGE: Language = "id"

LANGUAGE_CHOICES: list[tuple[str, Language]] = [("Bahasa Indonesia", "id"), ("English", "en")]

LABELS: dict[str, dict[Language, str]] = {
    "title": {"id": "Kabar — tanya jawab berita", "en": "Kabar — news questions and answers"},
    "subtitle": {
        "id": "Tanyakan apa saja tentang artikel berita di korpus, dalam bahasa Indonesia atau "
        "Inggris. Setiap jawaban merujuk kalimat sumbernya dengan [n]; klik rujukan untuk "
        "melihat kalimat itu di dalam artikelnya.",
        "en": "Ask about the news articles in the corpus, in Indonesian or English. Every answer "
        "points to its source sentences with [n]; click a reference to see the sentence inside "
        "its article.",
    },
    "ui_language": {"id": "Bahasa antarmuka", "en": "Interface language"},
    "chat": {"id": "Percakapan", "en": "Conversation"},
    "chat_placeholder": {
        "id": "Belum ada pertanyaan. Tulis pertanyaan di bawah atau klik salah satu contoh.",
        "en": "No questions yet. Type one below or click an example.",
    },
    "question": {"id": "Pertanyaan", "en": "Question"},
    "question_placeholder": {
        "id": "Tanyakan sesuatu tentang berita…",
        "en": "Ask something about the news…",
    },
    "send": {"id": "Kirim", "en": "Send"},
    "new_chat": {"id": "Obrolan baru", "en": "New chat"},
    "examples_id": {
        "id": "Contoh pertanyaan (bahasa Indonesia)",
        "en": "Example questions (Indonesian)",
    },
    "examples_en": {
        "id": "Contoh pertanyaan (bahasa Inggris)",
        "en": "Example questions (English)",
    },
    # answers
    "thinking": {"id": "Mencari di korpus…", "en": "Searching the corpus…"},
    "status_searching": {"id": "Mencari di korpus…", "en": "Searching the corpus…"},
    "status_reading": {
        "id": "Membaca {n} kutipan dari {docs} artikel…",
        "en": "Reading {n} passages from {docs} articles…",
    },
    "status_loading_model": {
        "id": "Model bahasa sedang dimuat (saat server baru mulai, bisa sekitar 15 detik)…",
        "en": "The language model is still loading (right after the server starts this can take "
        "about 15 seconds)…",
    },
    "status_writing": {
        "id": "Menulis jawaban dari {n} kutipan…",
        "en": "Writing the answer from {n} passages…",
    },
    "found_for": {"id": "Ditemukan untuk", "en": "Found for"},
    "found_hint": {
        "id": "Kutipan terbaik dari hasil pencarian; sumber yang dirujuk jawaban muncul di sini "
        "setelah jawabannya selesai.",
        "en": "The best passages the search found; the sources the answer cites replace them "
        "once it is done.",
    },
    "refusal_badge": {"id": "Tidak ditemukan di korpus", "en": "Not found in the corpus"},
    "unconfirmed_badge": {
        "id": "Tidak dipastikan oleh sumber",
        "en": "Not confirmed by the sources",
    },
    "declined_badge": {"id": "Tidak dapat dijawab", "en": "Cannot be answered"},
    "error_badge": {"id": "Terjadi kesalahan", "en": "Something went wrong"},
    "error_hint": {
        "id": "Percakapan tetap bisa dilanjutkan: periksa generator di Pengaturan lalu coba lagi.",
        "en": "You can keep chatting: check the generator in Settings and try again.",
    },
    "note": {"id": "Catatan", "en": "Note"},
    "copy": {"id": "Salin", "en": "Copy"},
    "copy_title": {"id": "Salin jawaban ini", "en": "Copy this answer"},
    "cite_title": {"id": "Lihat sumber [{n}]", "en": "Show source [{n}]"},
    # sources panel
    "sources": {"id": "Sumber", "en": "Sources"},
    "sources_empty": {
        "id": "Sumber setiap jawaban muncul di sini: judul artikel, media, tanggal terbit, dan "
        "kalimat yang dikutip, disorot di dalam paragrafnya.",
        "en": "The sources of each answer appear here: article title, outlet, publication date "
        "and the cited sentence, highlighted inside its paragraph.",
    },
    "sources_for": {"id": "Sumber untuk", "en": "Sources for"},
    "earlier_answer": {"id": "Jawaban sebelumnya", "en": "Earlier answer"},
    "no_sources_refused": {
        "id": "Tidak ada sumber: informasinya tidak ditemukan di korpus.",
        "en": "No sources: the information was not found in the corpus.",
    },
    "no_sources_unconfirmed": {
        "id": "Tidak ada kutipan yang memastikan jawaban. Ini kutipan terbaik yang ditemukan "
        "pencarian, untuk dibaca sendiri:",
        "en": "No passage confirmed an answer. These are the best passages the search found, "
        "to read for yourself:",
    },
    "no_sources_declined": {
        "id": "Tidak ada sumber: pertanyaan ini tidak dicari di korpus.",
        "en": "No sources: this question was not looked up in the corpus.",
    },
    "no_sources": {
        "id": "Jawaban ini tidak mengutip sumber.",
        "en": "This answer cites no sources.",
    },
    "open_article": {"id": "Buka artikel lengkap", "en": "Open the whole article"},
    "paragraphs": {"id": "{n} paragraf", "en": "{n} paragraphs"},
    "article_missing": {
        "id": "Artikel ini tidak ada lagi di indeks; hanya kalimat yang dikutip yang bisa "
        "ditampilkan.",
        "en": "This article is no longer in the index; only the cited sentence can be shown.",
    },
    "article_changed": {
        "id": "Artikel ini sudah berubah sejak jawaban dibuat; kalimat yang dikutip "
        "ditampilkan apa adanya.",
        "en": "This article changed after the answer was made; the cited sentence is shown "
        "as quoted.",
    },
    "context_missing": {
        "id": "Kalimat ini tidak berada di dalam paragraf artikel.",
        "en": "This sentence is not inside one of the article's paragraphs.",
    },
    "outlet_unknown": {"id": "media tidak diketahui", "en": "outlet unknown"},
    "date_unknown": {"id": "tanggal tidak diketahui", "en": "date unknown"},
    "author": {"id": "Penulis", "en": "Author"},
    "editor": {"id": "Editor", "en": "Editor"},
    "agency_sources": {"id": "Sumber berita", "en": "Wire sources"},
    # settings
    "settings": {"id": "Pengaturan", "en": "Settings"},
    "generator": {"id": "Generator jawaban", "en": "Answer generator"},
    "gen_bundled": {"id": "Model bawaan (lokal)", "en": "Bundled model (local)"},
    "gen_openai": {"id": "Endpoint kompatibel OpenAI", "en": "OpenAI-compatible endpoint"},
    "gen_extractive": {
        "id": "Ekstraktif (kutipan saja, tercepat)",
        "en": "Extractive (quotes only, fastest)",
    },
    "openai_configured": {
        "id": "Endpoint OpenAI: {url} (model {model})",
        "en": "OpenAI endpoint: {url} (model {model})",
    },
    "openai_missing": {
        "id": "Endpoint OpenAI belum diatur: setel RAG_OPENAI_BASE_URL dan RAG_OPENAI_MODEL "
        "sebelum menjalankan aplikasi.",
        "en": "No OpenAI endpoint configured: set RAG_OPENAI_BASE_URL and RAG_OPENAI_MODEL "
        "before starting the app.",
    },
    "top_k": {"id": "Potongan teks yang diambil (top-k)", "en": "Passages retrieved (top-k)"},
    "show_timings": {
        "id": "Tampilkan waktu dan rincian per jawaban",
        "en": "Show timings and details per answer",
    },
    "timings": {"id": "Waktu", "en": "Timings"},
    "searched_as": {"id": "pertanyaan lanjutan, dicari sebagai", "en": "follow-up, searched as"},
    # adding articles
    "add_articles": {"id": "Tambah artikel", "en": "Add articles"},
    "files": {"id": "File artikel (.txt, .md, .html)", "en": "Article files (.txt, .md, .html)"},
    "corpus_size": {"id": "{n} artikel di korpus.", "en": "{n} articles in the corpus."},
    "ingest_progress": {"id": "Memproses {i}/{n}: {name}", "en": "Indexing {i}/{n}: {name}"},
    "ingest_done": {"id": "Selesai.", "en": "Done."},
    "ingest_added": {"id": "ditambahkan", "en": "added"},
    "ingest_updated": {"id": "diperbarui", "en": "updated"},
    "ingest_unchanged": {"id": "tidak berubah", "en": "unchanged"},
    "ingest_skipped": {"id": "dilewati", "en": "skipped"},
    "ingest_warning": {"id": "peringatan", "en": "warning"},
    "ingest_failed": {"id": "gagal", "en": "failed"},
}

EXAMPLES: dict[Language, tuple[str, ...]] = {
    "id": (
        "Berapa jumlah pasukan CSTO yang dikirim ke Kazakhstan?",
        "Apa yang memicu kerusuhan di Kazakhstan?",
        "Berapa orang yang mencari perawatan di rumah sakit?",
    ),
    "en": (
        "What set off the protests in Kazakhstan?",
        "Who was Kazakhstan's president during the unrest?",
        "How many people sought hospital treatment?",
    ),
}


def t(key: str, language: Language, **values: object) -> str:
    """The label ``key`` in ``language``, with ``{name}`` fields filled from ``values``."""
    text = LABELS[key][language]
    return text.format(**values) if values else text


def as_language(value: object) -> Language:
    """``value`` if it names a supported interface language, else the default."""
    return "en" if value == "en" else "id" if value == "id" else DEFAULT_LANGUAGE
