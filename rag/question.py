"""The first stage of answering: a question cleaned, its language told, checked that it can be
asked of this corpus at all, and made standalone when it leans on earlier turns.

What stops here never reaches retrieval or a model: an empty question, a bare link, small
talk (a greeting, thanks: ``rag.small_talk``), a question in a language the assistant does
not answer, nonsense (most of its words are words of neither Indonesian nor English nor the
corpus: "asdfgh qwerty", "lorem ipsum"), and a request for verse, a song or a joke.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from index.analyzer import stem
from rag.answer import Language
from rag.answer_types import QUESTION_WORDS
from rag.followups import Turn, is_followup, named_person, normalize_history, with_context
from rag.language import detect_language, other_language
from rag.messages import message
from rag.small_talk import small_talk, without_small_talk

# C0 and C1 control characters, and lone surrogates (they cannot even be encoded as UTF-8):
# each becomes a space.
# Terminal colour and cursor codes pasted with a question ("\x1b[31m"): removed whole.
_ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# Characters that render as nothing: zero-width spaces and joiners, soft hyphen, BOM, and the
# bidirectional embeddings, overrides and isolates. Deleted, as the indexer deletes them from
# article text, so "Kazakh\u200bstan" is one word again.
_INVISIBLE_RE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]")
# A link or a bare domain ("https://...", "www.x.com", "x.co.id/berita").
_URL_RE = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:[/?#]\S*)?",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[^\W\d_]{2,}")

# A word is a word when Indonesian or English use it at least this often (wordfreq's Zipf
# scale: 3 is once per million words; "deployment" is 3.9, "qwerty" 3.2, "asdfgh" and "dolor"
# 0-2.3 in these languages) or when the corpus has it (names, "CSTO"). Below half known
# words, the question is nonsense: typos ("pasukn csto yg dikirm") keep more than half, and
# a rarer real word ("peacekeepers", 2.8) is seldom alone. Nonsense must stop here: asked
# after another question, two short words read as a follow-up and borrow its context.
KNOWN_WORD_ZIPF = 3.3
MIN_KNOWN_SHARE = 0.5

# A request to write something no article holds ("Write me a poem about Kazakhstan", "buatkan
# pantun tentang Almaty"): the model obliges, and the poem names what the passages name, so
# the citation check lets it through with its markers. Verse, songs and jokes only ("tell me
# the story of the protests" and "buatkan ringkasan" ask about the news), and only asked for
# at the start ("Did Psaki make jokes about the claims?" is a question about the news).
_TASK_RE = re.compile(
    r"^(?:(?:please|pls|tolong|coba|can you|could you|bisakah (?:kamu|anda))[\s,]+){0,2}"
    r"(?:write|compose|make|create|generate|give me|tell me|tulis(?:kan)?|buat(?:kan)?"
    r"|karang(?:kan)?|ciptakan|nyanyikan)\b.{0,40}?\b(?:poems?|poetry|haiku|limericks?|sonnets?"
    r"|songs?|lyrics|raps?|jokes?|puisi|pantun|syair|sajak|lagu|lirik|lelucon|lawakan)\b",
    re.IGNORECASE,
)

# A request's opening ("tell me about", "ceritakan tentang", "info soal") names nothing to
# look for, and in a short request it is most of what is embedded: "tell me about the
# protests" was closer to the gate's everyday sentences than to the corpus (contrast 0.009,
# refused as off-topic) where "the protests" is not (0.034). It leaves the searched text;
# the model still reads the request whole. No gold question opens with one.
_REQUEST_OPENING_RE = re.compile(
    r"^(?:(?:please|pls|tolong|coba|can you|could you)[\s,]+)?(?:"
    r"tell (?:me|us)(?: (?:more|everything|something|all))? (?:about|of|on)"
    r"|what do (?:you|the (?:articles|sources|reports|news)) (?:know|say|report) (?:about|on)"
    r"|(?:give me )?(?:some |more )?(?:info|information|details|an overview|a summary)"
    r" (?:about|on|of)"
    r"|(?:ceritakan|ceritain|jelaskan|jelasin|terangkan)(?: dong| donk| dulu)?"
    r"(?: (?:tentang|soal|mengenai))?"
    r"|(?:minta )?(?:info|informasi|penjelasan)(?: dong)? (?:tentang|soal|mengenai)"
    r"|apa (?:yang )?(?:kamu|anda|artikel|berita)(?: ini)? (?:tahu|ketahui|katakan|bilang)"
    r" (?:tentang|soal|mengenai)"
    r")\s+(?=\S)",
    re.IGNORECASE,
)

# Words that, beside question words, still name nothing to look for: "how many", "berapa
# banyak", "how long". A question of these alone ("berapa", "how many?", "why") asks about
# nothing; retrieval would match it to whatever passage has a figure, and the model would
# recite figures ("2600 people were seeking medical attention [1]. 2500 people were
# deployed [2]. ..."). In a conversation it is a follow-up ("Why?") and goes on.
_BARE_WORDS = frozenset(("many", "much", "long", "banyak", "lama", "saja", "aja"))

StopReason = Literal[
    "empty", "link_only", "small_talk", "other_language", "nonsense", "task", "vague"
]


@dataclass(frozen=True)
class Question:
    """A question ready for retrieval."""

    asked: str  # as it came in
    text: str  # cleaned (and cut to the length limit)
    language: Language
    # what is looked up: ``text`` without links; a follow-up made whole, or given the last
    # turn's names and question when it could not be (``rag.followups.with_context``)
    standalone: str
    history: tuple[Turn, ...] = ()
    notices: tuple[str, ...] = ()
    # what is searched for, when it differs: without the words that name an outlet or a
    # report's date (``rag.scope``), as those restrict the search instead
    search_text: str | None = None
    # what the model is asked and its answer checked against, when it differs: a follow-up
    # given context is asked as written, as the model reads the context as the question
    model_text: str | None = None

    @property
    def searched(self) -> str:
        return self.search_text or self.standalone

    @property
    def answered(self) -> str:
        return self.model_text or self.standalone

    @property
    def is_followup(self) -> bool:
        return self.standalone != self.text


@dataclass(frozen=True)
class Stop:
    """A question answering stops at before retrieval, with what to tell the asker."""

    reason: StopReason
    message: str
    language: Language
    text: str  # the cleaned question
    notices: tuple[str, ...] = ()


Condense = Callable[[str, list[Turn]], str | None]
"""A model's rewrite of a follow-up into a standalone question (None: no rewrite)."""


class QuestionPreparer:
    """Clean, check and complete a question (stage 1 of ``Assistant``)."""

    def __init__(
        self,
        max_chars: int,
        history_turns: int,
        vocabulary: Callable[[], Collection[str]],
        overview: Callable[[Language], str] | None = None,
    ) -> None:
        """``vocabulary``: the corpus's lower-cased words; ``overview``: what the corpus
        holds, said in a language (``rag.overview``), for "What is this about?"."""
        if max_chars < 1:
            raise ValueError(f"max_chars must be positive, got {max_chars}")
        self.max_chars = max_chars
        self.history_turns = history_turns
        self.vocabulary = vocabulary
        self.overview = overview

    def run(
        self, asked: str, history: Sequence[object] = (), condense: Condense | None = None
    ) -> Question | Stop:
        if not isinstance(asked, str):
            raise TypeError(f"question must be a string, got {type(asked).__name__}")
        text, was_cut = self.clean(asked)
        turns = without_small_talk(normalize_history(history, self.history_turns))
        words = _URL_RE.sub(" ", text)  # a link says nothing about the asker's language
        language = detect_language(words)
        notices = (message("cut", language, n=self.max_chars),) if was_cut else ()
        # Nothing, a bare link or nonsense tells no language (lingua takes "asdfgh qwerty"
        # for English); in a conversation, the asker's last question does.
        spoken = conversation_language(turns) or language
        if not _has_words(text):
            return Stop("empty", message("empty", spoken), spoken, text, notices)
        if not _has_words(words):
            return Stop("link_only", message("link_only", spoken), spoken, text, notices)
        chat = small_talk(words)
        if chat is not None:  # a greeting or thanks, not a question (nor a follow-up)
            said_in = chat.language or spoken
            if chat.kind == "about" and self.overview is not None:
                said = self.overview(said_in)
            else:  # without the corpus to tell of, "what is this about?" gets what we do
                said = message("greeting" if chat.kind == "about" else chat.kind, said_in)
            return Stop("small_talk", said, said_in, text, notices)
        vocabulary = self.vocabulary()
        foreign = other_language(words, vocabulary)
        if foreign is not None:
            said = message("other_language", "en", name=foreign)
            return Stop("other_language", said, "en", text, notices)
        if is_nonsense(words, vocabulary):
            return Stop("nonsense", message("nonsense", spoken), spoken, text, notices)
        if _TASK_RE.search(words.strip()):
            return Stop("task", message("task", language), language, text, notices)
        if not turns and asks_nothing(words):
            return Stop("vague", message("vague", spoken), spoken, text, notices)
        # What is searched for: links say nothing about what the question asks.
        standalone = re.sub(r"\s+", " ", words).strip()
        model_text = None
        if turns and is_followup(standalone, turns):
            rewritten = condense(standalone, turns) if condense is not None else None
            rewritten = rewritten or named_person(standalone, turns)
            if rewritten is None:
                model_text, standalone = standalone, with_context(standalone, turns)
            else:
                standalone = rewritten
        searched = _REQUEST_OPENING_RE.sub("", standalone, count=1)
        return Question(
            asked,
            text,
            language,
            standalone,
            tuple(turns),
            notices,
            search_text=searched if searched != standalone else None,
            model_text=model_text,
        )

    def clean(self, question: str) -> tuple[str, bool]:
        """Normalised question text, and whether it had to be cut to the length limit."""
        text = _CONTROL_RE.sub(" ", _ANSI_RE.sub(" ", question))
        text = unicodedata.normalize("NFC", _INVISIBLE_RE.sub("", text))
        text = re.sub(r"\s+", " ", text).strip()
        limit = self.max_chars
        if len(text) <= limit:
            return text, False
        cut = text[:limit]
        if " " in cut[limit // 2 :]:
            cut = cut[: cut.rfind(" ")]
        return cut, True


def conversation_language(turns: Sequence[Turn]) -> Language | None:
    """The language of the asker's last question in ``turns`` (None: no question yet)."""
    asked = [text for role, text in turns if role == "user"]
    return detect_language(asked[-1]) if asked else None


def is_nonsense(text: str, vocabulary: Collection[str]) -> bool:
    """Are fewer than half of the words of ``text`` words of Indonesian, English or the corpus?

    Indonesian words are also looked up by their stem ("kerusuhannya" -> "rusuh"): wordfreq
    lists few affixed forms. Figures without a word ("12345", "2.600?") ask nothing: they
    are nonsense too (retrieval would match them to any passage with a digit in it).
    """
    from wordfreq import zipf_frequency

    written = _WORD_RE.findall(text)
    if not written:
        return True
    # A capitalised word in a question ("Siapa Stanislav Zas?") is a name the corpus may not
    # hold: not found, rather than not understood.
    asks = any(word.lower() in QUESTION_WORDS for word in written)

    def known(word: str) -> bool:
        if asks and word[0].isupper() and word.lower() not in QUESTION_WORDS:
            return True
        word = word.lower()
        forms = (word, *stem(word))
        return any(
            form in vocabulary
            or zipf_frequency(form, "id") >= KNOWN_WORD_ZIPF
            or zipf_frequency(form, "en") >= KNOWN_WORD_ZIPF
            for form in forms
        )

    return sum(known(w) for w in written) < MIN_KNOWN_SHARE * len(written)


def asks_nothing(text: str) -> bool:
    """Is ``text`` question words alone ("berapa", "How many?", "why", "siapa saja")?"""
    written = [word.lower() for word in _WORD_RE.findall(text)]
    return bool(written) and all(w in QUESTION_WORDS or w in _BARE_WORDS for w in written)


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)
