"""Small talk: a message that is only a greeting, thanks, a goodbye or a request for help.

Such a message asks nothing of the corpus. Looked up, "halo" was answered "The corpus does
not contain this information." (in English: one word tells lingua no language), and
"makasih!" after an answer read as a short follow-up, so it was searched with the last
turn's names and the model asked about them again. It gets a short reply instead, in the
language of the words used.

Only a whole message matches: "Halo, siapa presiden Kazakhstan?" and "Thanks, and how many
troops were sent?" are questions and go on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rag.answer import Language

SmallTalkKind = Literal["greeting", "thanks", "goodbye", "about"]


@dataclass(frozen=True)
class SmallTalk:
    kind: SmallTalkKind
    language: Language | None  # None: the words tell no language ("ok", "hey")


# What thanks may be for ("terima kasih atas jawabannya", "thanks for the help").
_FOR_ID = r"(?:\s+(?:atas|untuk)\s+(?:jawaban|bantuan|info|informasi|penjelasan)(?:nya)?)?"
_FOR_EN = r"(?:\s+for\s+(?:the|your|that|this)(?:\s+(?:answer|help|info|information))?)?"

# (phrase pattern, kind, language); phrases are matched whole, case-insensitively, and may
# repeat or combine ("halo, apa kabar?", "thanks, bye"). A request for help is a greeting:
# both are answered by saying what the assistant does.
_PHRASES: tuple[tuple[str, SmallTalkKind, Language | None], ...] = (
    (r"hal+o+|hai+|hei+|hallo|helo|permisi|assalamu'?\s?alaikum|salam", "greeting", "id"),
    (r"selamat\s+(?:pagi|siang|sore|malam|datang)|pagi|siang|sore|malam", "greeting", "id"),
    (r"apa\s+kabar(?:nya)?|gimana\s+kabarnya|kabar\s+baik", "greeting", "id"),
    (r"kamu\s+siapa|siapa\s+(?:kamu|anda)|(?:kamu|anda)\s+bisa\s+apa", "greeting", "id"),
    (r"apa\s+yang\s+bisa\s+(?:kamu|anda)\s+(?:lakukan|bantu)|bantuan|tolong", "greeting", "id"),
    (r"hi+|hello+|howdy|greetings|good\s+(?:morning|afternoon|evening|day)", "greeting", "en"),
    (r"how\s+are\s+you(?:\s+doing)?|what'?s\s+up|who\s+are\s+you", "greeting", "en"),
    (r"what\s+can\s+you\s+do|help(?:\s+me)?", "greeting", "en"),
    (r"hey+|yo", "greeting", None),
    # what the corpus holds or what may be asked: told from the articles (``rag.overview``);
    # "tentang apa?" alone is a follow-up ("about what?"), so the subject is required
    (
        r"(?:ini|korpus(?:nya)?|artikel(?:nya)?(?:\s+ini)?)\s+(?:tentang|soal)\s+apa(?:\s+(?:saja|aja|sih))?"
        r"|(?:apa\s+)?isi(?:nya)?\s+(?:korpus|artikel|berita|koleksi)(?:nya)?(?:\s+(?:ini|apa))?"
        r"|(?:artikel|berita|dokumen)(?:nya)?\s+apa\s+(?:saja|aja)(?:\s+yang\s+(?:ada|tersedia))?"
        r"|apa\s+(?:saja|aja)\s+yang\s+bisa\s+(?:saya|aku)\s+tanya(?:kan)?"
        r"|(?:apa\s+)?yang\s+bisa\s+(?:kamu|anda)\s+jawab"
        # a summary of everything: the titles are the articles' own summaries
        r"|(?:ringkas(?:kan|lah)?|rangkum(?:kan|lah)?|rangkuman|ringkasan)\s+(?:semua\s+|seluruh\s+)?"
        r"(?:artikel|berita|korpus)(?:nya)?(?:\s+(?:ini|itu))?",
        "about",
        "id",
    ),
    (
        r"what(?:'s|\s+is)\s+this(?:\s+all)?\s+about"
        r"|what(?:'s|\s+is)\s+in\s+(?:the|this|your)\s+(?:corpus|collection|database)"
        r"|what\s+(?:articles|news|documents|stories)\s+(?:do\s+you\s+have|are\s+there)"
        r"|what\s+can\s+i\s+ask(?:\s+(?:you|about))?"
        r"|summari[sz]e\s+(?:the|all(?:\s+the)?|these)\s+(?:articles|news|corpus)",
        "about",
        "en",
    ),
    (rf"(?:terima\s*kasih|makasih|trims|tengkyu)(?:\s+banyak)?{_FOR_ID}|mantap", "thanks", "id"),
    (
        rf"(?:thanks?(?:\s+you)?(?:\s+(?:a\s+lot|so\s+much))?|thx|ty|cheers){_FOR_EN}",
        "thanks",
        "en",
    ),
    (r"ok(?:e|ay)?|oke+|sip|baik(?:lah)?|noted|great|nice|cool|good|perfect", "thanks", None),
    (r"dadah?|sampai\s+jumpa(?:\s+lagi)?|selamat\s+tinggal", "goodbye", "id"),
    (r"bye|good\s*bye|see\s+you(?:\s+later)?", "goodbye", "en"),
)
# Words of address that may follow ("halo kak", "thanks bot", "hi there").
_ADDRESS = (
    r"(?:\s+(?:kak|kakak|bang|min|mas|mbak|gan|bot|asisten|semua|ya|yah|dong|juga"
    r"|there|all|everyone|again))*"
)
_PATTERNS = [
    (re.compile(rf"(?:{pattern}){_ADDRESS}", re.IGNORECASE), kind, language)
    for pattern, kind, language in _PHRASES
]
# What may stand between and around phrases: spaces, punctuation, emoji and other symbols.
_FILLER_RE = re.compile(r"[\s\W_]*", re.UNICODE)


def small_talk(text: str) -> SmallTalk | None:
    """What ``text`` is if it is nothing but small talk (None: it asks something)."""
    position = _FILLER_RE.match(text).end()  # type: ignore[union-attr]  # "*" always matches
    kinds: list[SmallTalkKind] = []
    languages: list[Language] = []
    while position < len(text):
        found = _match_at(text, position)
        if found is None:
            return None
        end, kind, language = found
        kinds.append(kind)
        if language is not None:
            languages.append(language)
        position = _FILLER_RE.match(text, end).end()  # type: ignore[union-attr]
    if not kinds:
        return None
    # The last phrase is what is meant: "thanks, bye" says goodbye, "halo, makasih" thanks.
    return SmallTalk(kinds[-1], languages[-1] if languages else None)


def _match_at(text: str, position: int) -> tuple[int, SmallTalkKind, Language | None] | None:
    """The longest phrase that starts at ``position`` and ends at a word boundary."""
    best: tuple[int, SmallTalkKind, Language | None] | None = None
    for pattern, kind, language in _PATTERNS:
        match = pattern.match(text, position)
        if match is None:
            continue
        end = match.end()
        if end < len(text) and (text[end].isalnum() or text[end] == "'"):
            continue  # "hiking", "okay" as the start of "okayama"
        if best is None or end > best[0]:
            best = (end, kind, language)
    return best


def without_small_talk(turns: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (role, text) turns without small talk: the asker's "makasih" and the reply to it.

    A follow-up after thanks leans on the question before: "Berapa pasukan yang dikirim?"
    after "makasih" had been searched with "(Sama-sama, Silakan; makasih)".
    """
    kept: list[tuple[str, str]] = []
    reply_due = False
    for role, text in turns:
        if role == "user":
            reply_due = small_talk(text) is not None
            if reply_due:
                continue
        elif reply_due:
            reply_due = False
            continue
        kept.append((role, text))
    return kept


__all__ = ["SmallTalk", "SmallTalkKind", "small_talk", "without_small_talk"]
