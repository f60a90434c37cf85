"""ui.render: escaping, [n] links, highlighted citations (pure functions, no browser)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from rag import Answer, Citation, Passage
from rag.messages import format_date
from ui.render import (
    Turn,
    answer_html,
    chat_messages,
    error_html,
    link_markers,
    question_html,
    sources_html,
    status_html,
)

HOSTILE = (
    '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2"> '
    "[klik](javascript:window.__pwned=3) ${window.__pwned=4} {{constructor}} &amp;"
)


@dataclass(frozen=True)
class FakeBlock:
    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class FakeDoc:
    doc_id: str
    title: str
    raw: str
    blocks: tuple[FakeBlock, ...]
    published: str | None = "2022-01-10T07:15:00+07:00"
    publisher: str | None = "MEDIA UJI"
    author: str | None = None
    editor: str | None = None
    sources: tuple[str, ...] = field(default_factory=tuple)


RAW = (
    "Judul <b>Uji</b>\n\n"
    "Kalimat pertama.  Kalimat\n kedua <img src=x onerror=alert(1)> dikutip. Kalimat ketiga.\n\n"
    "Paragraf lain [tautan](javascript:alert(2))."
)


def _blocks(raw: str) -> tuple[FakeBlock, ...]:
    blocks = []
    for match in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", raw):
        text = re.sub(r"\s+", " ", match.group(0)).strip()
        blocks.append(FakeBlock("paragraph", match.start(), match.end(), text))
    return tuple(blocks[1:])  # the first line is the title


DOC = FakeDoc("doc1", "Judul <b>Uji</b>", RAW, _blocks(RAW))
CITED_START = RAW.index("Kalimat\n kedua")
CITED_END = RAW.index("dikutip.") + len("dikutip.")


def _citation(n: int = 1, start: int = CITED_START, end: int = CITED_END) -> Citation:
    return Citation(
        n=n,
        doc_id="doc1",
        title=DOC.title,
        published=DOC.published,
        publisher=DOC.publisher,
        text=re.sub(r"\s+", " ", RAW[start:end]),
        start=start,
        end=end,
    )


def _answer(text: str, citations: tuple[Citation, ...] = (), refused: bool = False) -> Answer:
    return Answer(
        question="q?",
        text=text,
        language="id",
        refused=refused,
        citations=citations,
        timings={"retrieve_ms": 12.4, "total_ms": 40.0},
        generator="extractive",
    )


def _lookup(doc_id: str) -> FakeDoc | None:
    return DOC if doc_id == "doc1" else None


def _tags(html: str) -> set[str]:
    return {tag.lower() for tag in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", html)}


def test_user_text_is_escaped_not_rendered() -> None:
    html = question_html(HOSTILE)
    assert _tags(html) == {"div"}
    assert "&lt;script&gt;" in html and "onerror=&quot;" in html
    assert "&amp;amp;" in html  # an entity in the text stays literal


def test_answer_text_is_escaped_and_only_known_markers_become_links() -> None:
    answer = _answer(f"Jawaban {HOSTILE} [1] dan [7].", (_citation(),))
    html = answer_html(answer, turn=3, language="id", show_timings=False)
    assert _tags(html) <= {"div", "a", "br", "button", "span"}
    assert "<script" not in html and "<img" not in html
    anchors = re.findall(r"<a [^>]*>", html)
    assert anchors == ['<a class="kr-ref" href="#src-3-1" title="Lihat sumber [1]">']
    assert "[7]" in html  # no citation 7: stays text
    assert "javascript:" not in "".join(anchors)


def test_answers_carry_their_references_as_plain_text_for_copying() -> None:
    html = answer_html(_answer("Ada [1].", (_citation(),)), 1, "en", show_timings=False)
    assert (
        '<div class="kr-copy-refs" hidden>[1] Judul &lt;b&gt;Uji&lt;/b&gt; — MEDIA UJI, '
        "10 January 2022</div>"
    ) in html


def test_grouped_markers_link_each_number() -> None:
    html = link_markers("a [1, 2] b [2;9]", 1, {1, 2}, "en")
    assert html.count('class="kr-ref"') == 2
    assert "[2;9]" in html


def test_refusal_is_marked_as_such_and_timings_are_optional() -> None:
    refused = answer_html(_answer("Tidak ditemukan.", refused=True), 1, "en", show_timings=True)
    assert 'class="kr-answer kr-refusal"' in refused
    assert "Not found in the corpus" in refused
    assert "retrieve 12 ms · total 40 ms" in refused
    answered = answer_html(_answer("Ada [1].", (_citation(),)), 1, "en", show_timings=False)
    assert "kr-refusal" not in answered and "kr-timings" not in answered


def test_a_declined_question_says_it_was_not_looked_up() -> None:
    declined = replace(_answer("Asisten tidak menulis puisi.", refused=True), refusal_reason="task")
    not_found = replace(_answer("Tidak ditemukan.", refused=True), refusal_reason="not_found")
    html = sources_html([Turn("puisi?", answer=declined)], _lookup, "en")
    assert "not looked up in the corpus" in html
    assert "Cannot be answered" in answer_html(declined, 1, "en", show_timings=False)
    html = sources_html([Turn("berapa?", answer=not_found)], _lookup, "en")
    assert "not found in the corpus" in html


def test_an_unconfirmed_answer_says_so_and_lists_the_passages_found() -> None:
    """The search found passages, but the model's answer from them did not hold up: the
    label says that (not "not found"), and the panel offers the passages to read."""
    found = Passage(
        doc_id="doc1",
        title=DOC.title,
        published=DOC.published,
        publisher=DOC.publisher,
        text="Kalimat pertama <b>dikutip</b>.",
        start=0,
        end=10,
        chunk_id="doc1:0",
        score=0.8,
    )
    unconfirmed = replace(
        _answer("Sumber tidak memastikan.", refused=True),
        refusal_reason="unconfirmed",
        retrieved=(found,),
    )
    html = answer_html(unconfirmed, 1, "en", show_timings=False)
    assert "Not confirmed by the sources" in html and "Not found in the corpus" not in html
    panel = sources_html([Turn("berapa?", answer=unconfirmed)], _lookup, "en")
    assert "No passage confirmed an answer" in panel and "not found in the corpus" not in panel
    assert "Kalimat pertama &lt;b&gt;dikutip&lt;/b&gt;." in panel and "<b>" not in panel
    # nothing retrieved to show: the plain refusal text
    bare = replace(unconfirmed, retrieved=())
    assert "not found in the corpus" in sources_html([Turn("x?", answer=bare)], _lookup, "en")


def test_error_message_is_escaped() -> None:
    html = error_html("bad <img src=x onerror=alert(1)>", "en")
    assert "<img" not in html and "&lt;img" in html and 'role="alert"' in html


def test_chat_messages_show_the_last_turn_streaming() -> None:
    turns = [Turn("satu?", answer=_answer("Ya [1].", (_citation(),))), Turn("dua?")]
    messages = chat_messages(turns, "id", False, streaming="Sebagian <b>")
    assert [m["role"] for m in messages] == ["user", "assistant", "user", "assistant"]
    assert "kr-streaming" in messages[3]["content"]
    assert "Sebagian &lt;b&gt;" in messages[3]["content"]
    assert "kr-pending" in chat_messages([Turn("tiga?")], "id", False)[1]["content"]


def test_cited_sentence_is_highlighted_inside_its_paragraph() -> None:
    turns = [Turn("q?", answer=_answer("Ada [1].", (_citation(),)))]
    html = sources_html(turns, _lookup, "id")
    cite = re.search(r'<div class="kr-cite" id="src-1-1".*?</div>', html)
    assert cite is not None
    # the paragraph, whitespace normalised, with exactly the cited span marked
    assert (
        '<p class="kr-para">Kalimat pertama. <mark class="kr-hl" data-n="1">'
        "Kalimat kedua &lt;img src=x onerror=alert(1)&gt; dikutip.</mark> Kalimat ketiga.</p>"
    ) in cite.group(0)
    assert "Judul &lt;b&gt;Uji&lt;/b&gt;" in html  # title escaped
    assert "MEDIA UJI" in html and "10 Januari 2022" in html
    # the whole article, on demand, also escaped
    assert '<details class="kr-article">' in html
    assert "[tautan](javascript:alert(2))" in html
    assert "<img" not in html and "<b>" not in html


def test_sources_fall_back_to_the_quoted_text_when_offsets_no_longer_match() -> None:
    moved = _citation(start=0, end=10)
    moved = Citation(**{**moved.to_dict(), "text": "something else"})
    html = sources_html([Turn("q?", answer=_answer("x [1]", (moved,)))], _lookup, "en")
    assert '<mark class="kr-hl">something else</mark>' in html
    assert "changed after the answer" in html
    gone = Citation(**{**_citation().to_dict(), "doc_id": "gone"})
    html = sources_html([Turn("q?", answer=_answer("x [1]", (gone,)))], _lookup, "en")
    assert "no longer in the index" in html


def test_newest_answer_sources_come_first_and_earlier_ones_fold() -> None:
    turns = [
        Turn("pertama?", answer=_answer("a [1]", (_citation(),))),
        Turn("gagal?", error="boom"),
        Turn("ketiga?", answer=_answer("b [1]", (_citation(),))),
    ]
    html = sources_html(turns, _lookup, "id")
    assert html.index('id="turn-3"') < html.index('id="turn-1"')
    assert '<section class="kr-turn kr-latest" id="turn-3">' in html
    assert '<details class="kr-turn" id="turn-1">' in html
    assert 'id="src-3-1"' in html and 'id="src-1-1"' in html
    assert "turn-2" not in html


def test_empty_panel_and_status_log_are_escaped() -> None:
    assert "kr-empty" in sources_html([], _lookup, "en")
    html = status_html([("kr-skip", "<x>.txt: empty file")])
    assert "&lt;x&gt;.txt" in html


def test_dates_are_written_out_in_both_languages() -> None:
    assert format_date("2022-01-16T08:47:00+07:00", "id") == "16 Januari 2022"
    assert format_date("2022-01-16T08:47:00+07:00", "en") == "16 January 2022"
    assert format_date("kemarin", "en") is None  # not a date: the caller says "unknown"
    assert format_date(None, "en") is None


def test_small_talk_is_answered_without_a_refusal_label() -> None:
    greeting = replace(_answer("Halo! ...", refused=True), refusal_reason="small_talk")
    html = answer_html(greeting, 1, "en", show_timings=False)
    assert 'class="kr-answer kr-answered"' in html
    assert "Cannot be answered" not in html and "Not found in the corpus" not in html
