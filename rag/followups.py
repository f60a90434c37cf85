"""Follow-up questions: detect them and make them standalone before retrieval."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.answer_types import QUESTION_WORDS
from rag.lexicon import WORD_RE
from rag.markers import MARKER_RE
from rag.names import names_in, names_inside, people_in

Turn = tuple[str, str]  # (role, text), role "user" or "assistant"

# Words that point back into the conversation. "-nya" is the Indonesian possessive/object
# clitic ("jumlahnya", "perintahnya"), the commonest anaphor of all.
_ANAPHORA = frozenset(
    [
        "he",
        "she",
        "they",
        "it",
        "him",
        "her",
        "them",
        "his",
        "hers",
        "their",
        "theirs",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "then",
        "such",
        "same",
        "dia",
        "ia",
        "mereka",
        "beliau",
        "itu",
        "tersebut",
        "ini",
        "sana",
        "situ",
        "begitu",
        "demikian",
    ]
)
_NYA_RE = re.compile(r"\b\w{3,}nya\b", re.IGNORECASE)
# A short question that opens with a question word and names someone or something ("Who is
# Ned Price?", "Siapa Jen Psaki?") stands alone; "What about Blinken?" does not.
_ELLIPTICAL_RE = re.compile(
    r"^\s*(?:what|how)\s+about\b|^\s*(?:bagaimana|gimana)\s+(?:dengan|kalau)\b", re.IGNORECASE
)
# A question that opens by joining on to the last ("And how many were police?", "Terus
# bandaranya ...?", "Kalau yang luka?") continues the conversation, however long: "And how
# many were police?" after a death toll had been searched alone, and answered with the
# troop count.
_CONTINUES_RE = re.compile(
    r"^\s*(?:and|also|but|then|so|dan|lalu|terus|trus|kalau|kalo|tapi|trs)\b", re.IGNORECASE
)
_FIGURE_RE = re.compile(r"\b\d[\d.,]*\d\b|\b\d\b")
_INTRO_RE = re.compile(r"^(?:According to|Menurut) [^:\n]*:", re.MULTILINE)
# A pronoun that stands for one person ("her" is left out: object or possessive?).
_PERSON_RE = re.compile(r"\b(?:he|she|him|his|dia|ia|beliau)\b", re.IGNORECASE)
_PLURAL_RE = re.compile(r"\b(?:they|them|their|mereka)\b", re.IGNORECASE)


# Role names as chat libraries spell them, and the role each is.
_ROLES = {
    "user": "user",
    "human": "user",
    "assistant": "assistant",
    "ai": "assistant",
    "bot": "assistant",
}


def normalize_history(history: Sequence[object], max_turns: int) -> list[Turn]:
    """The conversation as (role, text) turns, the last ``max_turns`` of them.

    Accepted, so that a caller can pass what its own chat code holds: (role, text) pairs,
    {"role", "content"} dicts, message objects with ``role`` and ``content`` (llama-index's
    ``ChatMessage``), and (question, answer) exchanges, the tuple form of Gradio's chat
    history, whose answer may still be None. Roles may also be named "human", "ai" or "bot";
    "system" messages are not turns and are skipped.
    """
    turns: list[Turn] = []
    for item in history:
        for role, text in _turns_of(item):
            if text.strip():
                turns.append((role, text.strip()))
    return turns[-max_turns:] if max_turns else []


def _turns_of(item: object) -> list[Turn]:
    if isinstance(item, dict):
        role, text = item.get("role"), item.get("content")
    elif isinstance(item, list | tuple) and len(item) == 2:
        role, text = item
        if isinstance(role, str) and role.lower() not in (*_ROLES, "system"):
            return _exchange(item[0], item[1])
    elif hasattr(item, "role") and hasattr(item, "content"):
        role, text = item.role, item.content
    else:
        raise ValueError(
            f"history items must be (role, text) pairs, {{'role', 'content'}} dicts or "
            f"(question, answer) pairs, got {item!r}"
        )
    role = getattr(role, "value", role)  # an enum such as llama-index's MessageRole
    if isinstance(role, str) and role.lower() == "system":
        return []
    if not isinstance(role, str) or role.lower() not in _ROLES or not isinstance(text, str):
        raise ValueError(
            f"history turns need a role ('user' or 'assistant') and text, got {item!r}"
        )
    return [(_ROLES[role.lower()], text)]


def _exchange(question: object, answer: object) -> list[Turn]:
    """A (question, answer) pair: the asker's turn, then the assistant's if it has one."""
    if not isinstance(question, str) or not (answer is None or isinstance(answer, str)):
        raise ValueError(
            f"a (question, answer) history pair needs text, got {(question, answer)!r}"
        )
    return [("user", question)] + ([("assistant", answer)] if answer else [])


def is_followup(question: str, history: Sequence[Turn]) -> bool:
    """Does ``question`` lean on earlier turns (a pronoun, '-nya', or too few words)?

    A short question that asks about someone or something it names stands alone: "Who is Ned
    Price?" after a question about the CSTO had been searched with that turn's names, and
    the gate found nothing close enough.
    """
    if not any(role == "user" for role, _ in history):
        return False
    words = [w.lower() for w in WORD_RE.findall(question)]
    if any(w in _ANAPHORA for w in words) or _NYA_RE.search(question):
        return True
    if _CONTINUES_RE.match(question):
        return True
    return len(words) <= 4 and not _asks_about_named(question, words)


def _asks_about_named(question: str, words: Sequence[str]) -> bool:
    """Does ``question`` open with a question word and name someone or something?"""
    if not words or words[0] not in QUESTION_WORDS or _ELLIPTICAL_RE.search(question):
        return False
    return bool(names_inside(question))


# A rewrite that points at the conversation instead of naming what it said ("the countries
# mentioned in the conversation") is no more standalone than the follow-up was.
_CONVERSATION_RE = re.compile(
    r"\b(conversation|chat|dialog(?:ue)?|percakapan|obrolan"
    r"|(?:mentioned|listed|discussed|named) (?:above|earlier|before|previously)"
    r"|previous (?:question|answer|turn)|pertanyaan sebelumnya|jawaban sebelumnya"
    r"|(?:disebut|disebutkan|dibahas) (?:di atas|sebelumnya|tadi))\b",
    re.IGNORECASE,
)


def points_at_conversation(rewritten: str) -> bool:
    """Does a rewritten follow-up still refer to the conversation rather than name it?"""
    return bool(_CONVERSATION_RE.search(rewritten))


def still_points_back(rewritten: str, question: str) -> bool:
    """Does a rewritten follow-up keep a pronoun for a person or a group ("he", "mereka")
    while naming nothing the question did not? It points nowhere then, as the question did:
    after a turn in another language the 1.5B model translated "Kenapa dia butuh bantuan
    itu?" into "Why did he need help?" and the search found nothing."""
    if not (_PERSON_RE.search(rewritten) or _PLURAL_RE.search(rewritten)):
        return False
    asked = {w.lower() for w in WORD_RE.findall(question)}
    return all(name.lower() in asked for name in names_in(rewritten))


def drops_a_name(rewritten: str, question: str) -> bool:
    """Does a rewritten follow-up leave out a name the question gave? The rewrite then asks
    something else: "And what did she say the US would keep giving Kiev?" became "What did
    Psaki say about the upcoming US-Russia talks?", the last turn's question, and the answer
    was about the talks. The first word of a sentence is not read as a name."""
    kept = rewritten.casefold()
    return any(name.casefold() not in kept for name in names_inside(question))


def named_person(question: str, history: Sequence[Turn]) -> str | None:
    """The question with its one "he/she/dia" replaced by the one person the last turn names
    (None: no such pronoun, or no one person to put in its place)."""
    answer = _last_answer(history)
    person = _one_person(answer) or (
        None if people_in(answer) else _one_person(_last_question(history))
    )
    if person and len(_PERSON_RE.findall(question)) == 1 and not _PLURAL_RE.search(question):
        return _PERSON_RE.sub(
            lambda m: f"{person}'s" if m[0].lower() == "his" else person, question, count=1
        )
    return None


def with_context(question: str, history: Sequence[Turn]) -> str:
    """The question plus the names and figures of the last answer and the last question.

    Not a question, but what retrieval needs: the entities a pronoun or a short question
    leans on. It is for the search only. Read by the model, it pulls the answer towards
    the last turn's subject: "Which countries sent troops? (Kazakhstan, Russia; What set off
    the protests in Kazakhstan?)" was answered with what set off the protests.
    """
    answer = _last_answer(history)
    names = names_in(answer)[:6]
    figures = list(dict.fromkeys(_FIGURE_RE.findall(answer)))[:4]
    context = "; ".join(p for p in [", ".join(names + figures), _last_question(history)] if p)
    return f"{question} ({context})" if context else question


def _last_question(history: Sequence[Turn]) -> str:
    return next((text for role, text in reversed(history) if role == "user"), "")


def _last_answer(history: Sequence[Turn]) -> str:
    """The last answer without its markers and the source line a quotation opens with
    ("According to MEDIA PAKUAN, 16 January 2022:"): the outlet is not what a pronoun
    refers to."""
    last = next((text for role, text in reversed(history) if role == "assistant"), "")
    return _INTRO_RE.sub("", MARKER_RE.sub("", last))


def _one_person(text: str) -> str | None:
    """The person ``text`` names, if it names exactly one (by surname)."""
    people = people_in(text)
    surnames = {p.split()[-1].lower() for p in people}
    return max(people, key=len) if len(surnames) == 1 else None


def history_text(history: Sequence[Turn], max_chars: int = 1200) -> str:
    lines = [
        f"{'User' if r == 'user' else 'Assistant'}: {MARKER_RE.sub('', t)}" for r, t in history
    ]
    text = "\n".join(lines)
    return text[-max_chars:]
