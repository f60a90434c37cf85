"""The app in headless Chromium (Debian's ``chromium``), driven with Playwright.

Screenshots go to ``test-artifacts/ui/``. ``generator`` is a parameter of the chat test:
add ``pytest.param("bundled", marks=pytest.mark.slow)`` to run it against the real model.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from rag import Answer, Assistant, Settings
from tests.ui.test_app import running_app

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "ui"
ANSWER_TIMEOUT_MS = {"extractive": 60_000, "bundled": 900_000, "openai": 300_000}
FINISHED = "#kr-chat .kr-answer:not(.kr-pending):not(.kr-streaming)"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class ChatPage:
    """One browser tab on the app, recording requests, dialogs and page errors."""

    def __init__(self, browser: Any, url: str, generator: str = "extractive") -> None:
        self.url = url
        self.timeout = ANSWER_TIMEOUT_MS.get(generator, 120_000)
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.context.grant_permissions(
            ["clipboard-read", "clipboard-write"], origin=url.rstrip("/")
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", self._on_dialog)
        self.page.goto(url)
        self.page.locator("#kr-question textarea").wait_for(state="visible", timeout=30_000)
        self.page.wait_for_function("window.__kabarUi === true")  # the app's script ran

    def _on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def ask(self, question: str) -> Any:
        """Type ``question``, press Enter, wait for the finished answer; return its locator."""
        count = self.page.locator(FINISHED).count()
        box = self.page.locator("#kr-question textarea")
        box.fill(question)
        box.press("Enter")
        return self.wait_for_answer(count + 1)

    def wait_for_answer(self, number: int) -> Any:
        from playwright.sync_api import expect

        expect(self.page.locator(FINISHED)).to_have_count(number, timeout=self.timeout)
        return self.page.locator(FINISHED).nth(number - 1)

    def open_accordion(self, elem_id: str) -> None:
        self.page.locator(f"#{elem_id} button").first.click()

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def assert_clean(self) -> None:
        """Nothing loaded from outside the app, no dialog, no script error."""
        base = self.url.rstrip("/")
        outside = [u for u in self.requests if not u.startswith((base, "data:", "blob:"))]
        assert outside == []
        assert self.dialogs == []
        assert self.errors == []

    def close(self) -> None:
        self.context.close()


# Records every text the element shows; watches the whole page because Gradio may replace
# the element itself while it updates.
SEEN_TEXTS = """(selector) => {
  window.__seen = [];
  new MutationObserver(() => {
    const element = document.querySelector(selector);
    if (element) window.__seen.push(element.innerText);
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
}"""


def _normalized(text: str) -> str:
    return " ".join(text.split())


def _in_corpus(assistant: Assistant, sentence: str) -> bool:
    return any(_normalized(sentence) in _normalized(d.raw) for d in assistant.documents())


@pytest.mark.parametrize(
    "generator", ["extractive", pytest.param("bundled", marks=pytest.mark.slow)]
)
def test_chat_in_both_languages_with_checkable_citations(
    browser: Any,
    assistant: Assistant,
    seeded_settings: Settings,
    models_dir: Path,
    generator: str,
) -> None:
    from playwright.sync_api import expect

    if generator == "bundled":  # the real model, from the shared models folder
        seeded_settings = seeded_settings.model_copy(update={"models_dir": models_dir})
        assistant = Assistant(assistant.retriever, seeded_settings)
    with running_app(seeded_settings, assistant, generator=generator) as url:
        chat = ChatPage(browser, url, generator)
        page = chat.page
        shot = f"{generator}-"

        # Indonesian question: streamed answer in Indonesian, linked [n], highlighted source
        first = chat.ask("Berapa orang yang mencari perawatan di rumah sakit?")
        assert first.get_attribute("lang") == "id"
        assert "kr-answered" in (first.get_attribute("class") or "")
        refs = first.locator("a.kr-ref")
        assert refs.count() >= 1
        # a passage across paragraphs is one mark per paragraph
        mark = page.locator("#src-1-1 mark.kr-hl").first
        expect(mark).to_be_visible()
        assert _in_corpus(assistant, mark.inner_text())
        header = page.locator("#kr-sources .kr-doc").first
        expect(header.locator(".kr-doc-title")).not_to_be_empty()
        expect(header.locator(".kr-outlet")).to_have_text(re.compile(r"\S"))
        expect(header.locator(".kr-date")).to_have_text(re.compile(r"20\d\d"))
        chat.screenshot(shot + "01-indonesian-answer")

        # clicking a citation brings its highlighted passage into view
        last_ref = refs.last
        target = (last_ref.get_attribute("href") or "").lstrip("#")
        last_ref.click()
        expect(page.locator(f"#{target}")).to_have_class(re.compile(r"\bkr-active\b"))
        expect(page.locator(f"#{target} mark.kr-hl").first).to_be_in_viewport()
        chat.screenshot(shot + "02-citation-clicked")

        # the whole cleaned article opens from the sources panel
        article = page.locator("#kr-sources article.kr-doc", has=page.locator(f"#{target}"))
        article.locator("details.kr-article > summary").click()
        body = article.locator(".kr-article-body")
        expect(body).to_be_visible()
        assert body.locator("p").count() > 3
        expect(body.locator("mark.kr-hl-soft").first).to_be_visible()
        chat.screenshot(shot + "03-whole-article")

        # English interface, then an English example question: one click
        page.get_by_label("English", exact=True).check()
        expect(page.locator("#kr-question")).to_contain_text("Question")
        expect(page.locator("#kr-header")).to_contain_text("news questions")
        page.get_by_role("button", name="What set off the protests in Kazakhstan?").click()
        second = chat.wait_for_answer(2)
        assert second.get_attribute("lang") == "en"
        assert second.locator("a.kr-ref").count() >= 1
        expect(page.locator("#src-2-1 mark.kr-hl").first).to_be_visible()
        expect(page.locator("#kr-sources .kr-latest h3")).to_contain_text("What set off")
        chat.screenshot(shot + "04-english-answer")

        # follow-up, with details on: it is searched together with the previous question
        chat.open_accordion("kr-settings")
        page.locator("#kr-timings input[type=checkbox]").check()
        expect(page.locator("#kr-chat .kr-timings")).to_have_count(2)
        third = chat.ask("Who did they blame?")
        expect(third.locator(".kr-timings")).to_contain_text("searched as")
        if generator == "extractive":  # the rule-based rewrite appends the previous question
            expect(third.locator(".kr-timings")).to_contain_text("What set off the protests")
        if generator != "extractive" and "kr-refusal" in (third.get_attribute("class") or ""):
            # What the bundled model writes here depends on the CPU's kernels: on AVX-512 its
            # draft ("They blamed Russia [2].") fails the check. A refusal is a finished
            # answer too; the cited follow-up and the copy button are covered by the
            # extractive variant, whose answer does not depend on the machine.
            expect(third.locator(".kr-answer-text")).not_to_be_empty()
            chat.screenshot(shot + "05-follow-up-refused")
        else:
            _check_cited_and_copied(page, third)
            chat.screenshot(shot + "05-follow-up")
        chat.assert_clean()
        chat.close()


def _check_cited_and_copied(page: Any, answer: Any) -> None:
    """The third answer of the chat cites, highlights its passage, and its copy button copies
    its text with markers and the references, not the markup."""
    from playwright.sync_api import expect

    assert answer.locator("a.kr-ref").count() >= 1
    expect(page.locator("#src-3-1 mark.kr-hl").first).to_be_visible()
    answer.locator("button.kr-copy").click()
    expect(answer.locator("button.kr-copy")).to_have_class(re.compile(r"\bkr-copied\b"))
    copied = page.evaluate("navigator.clipboard.readText()")
    text, _, references = copied.partition("\n\n")
    assert _normalized(text) == _normalized(answer.locator(".kr-answer-text").inner_text())
    assert "[1]" in text and "<a" not in copied
    cited = page.locator("#kr-sources article.kr-doc", has=page.locator("#src-3-1"))
    title = re.sub(r"^(\[\d+\]\s*)+", "", cited.locator(".kr-doc-title").inner_text())
    assert references.splitlines()[0].startswith(f"[1] {_normalized(title)} — ")
    expect(answer.locator(".kr-copy-refs")).to_be_hidden()


def test_refusal_error_and_new_chat_states(
    browser: Any, assistant: Assistant, seeded_settings: Settings
) -> None:
    from playwright.sync_api import expect

    settings = seeded_settings.model_copy(update={"openai_base_url": None, "openai_model": None})
    with running_app(settings, assistant) as url:
        chat = ChatPage(browser, url)
        page = chat.page

        refused = chat.ask("Siapa pemenang Piala Dunia 2018?")
        assert "kr-refusal" in (refused.get_attribute("class") or "")
        expect(refused.locator(".kr-badge")).to_have_text("Tidak ditemukan di korpus")
        assert refused.locator("a.kr-ref").count() == 0
        expect(page.locator("#kr-sources .kr-latest")).to_contain_text("tidak ditemukan di korpus")
        chat.screenshot("states-01-refusal")

        # an unconfigured endpoint: a readable error, then the chat keeps working
        chat.open_accordion("kr-settings")
        page.get_by_label("Endpoint kompatibel OpenAI").check()
        failed = chat.ask("Siapa presiden Kazakhstan?")
        assert "kr-error" in (failed.get_attribute("class") or "")
        expect(failed).to_contain_text("RAG_OPENAI_BASE_URL")
        page.get_by_label("Ekstraktif (kutipan saja, tercepat)").check()
        answered = chat.ask("Siapa presiden Kazakhstan?")
        assert "kr-answered" in (answered.get_attribute("class") or "")
        expect(page.locator("#src-3-1 mark.kr-hl").first).to_be_visible()
        chat.screenshot("states-02-error-then-answer")

        page.locator("#kr-new-chat").click()
        expect(page.locator("#kr-chat .kr-answer")).to_have_count(0)
        expect(page.locator("#kr-sources .kr-empty")).to_be_visible()
        again = chat.ask("Berapa jumlah pasukan CSTO yang dikirim ke Kazakhstan?")
        assert again.locator("a.kr-ref").first.get_attribute("href") == "#src-1-1"
        chat.assert_clean()
        chat.close()


# The page's running animations that repeat for ever (spinners, a blinking caret), by the
# element they run on.
LOOPING_ANIMATIONS = """() => document.getAnimations()
  .filter((a) => a.playState === "running" && a.effect.getTiming().iterations === Infinity)
  .map((a) => `${a.effect.target.tagName}.${a.effect.target.className} ${a.animationName}`)"""


class _SlowStream:
    """The real assistant, but every answer streams as many small deltas first."""

    def __init__(self, assistant: Assistant, deltas: int) -> None:
        self._assistant = assistant
        self._deltas = deltas

    def __getattr__(self, name: str) -> Any:
        return getattr(self._assistant, name)

    def events(self, question: str, history: Sequence[Any] = (), **options: Any) -> Iterator[Any]:
        """The real progress events, then the deltas, then the real final answer."""
        final = None
        for item in self._assistant.events(question, history, **options):
            if isinstance(item, Answer):
                final = item
            elif not isinstance(item, str):
                yield item  # progress: searching, reading, writing
        for i in range(self._deltas):
            time.sleep(0.005)
            yield f"kata{i} "
        yield final


def test_long_answers_stream_without_freezing_the_page(
    browser: Any, assistant: Assistant, seeded_settings: Settings
) -> None:
    from playwright.sync_api import expect

    slow: Any = _SlowStream(assistant, deltas=1500)
    with running_app(seeded_settings, slow) as url:
        chat = ChatPage(browser, url)
        page = chat.page
        box = page.locator("#kr-question textarea")
        box.fill("Apa yang memicu kerusuhan di Kazakhstan?")
        box.press("Enter")
        streaming = page.locator("#kr-chat .kr-streaming .kr-answer-text")
        expect(streaming).to_contain_text("kata1", timeout=60_000)
        # Nothing on the page loops while an answer is on its way: the browser shares the CPU
        # with llama.cpp, whose two threads stall whenever a core is taken for a repaint.
        assert page.evaluate(LOOPING_ANIMATIONS) == []
        before = len(streaming.inner_text())
        chat.open_accordion("kr-settings")  # the page still reacts while text arrives
        expect(page.locator("#kr-generator")).to_be_visible()
        expect(streaming).to_contain_text("kata1000", timeout=60_000)
        assert len(streaming.inner_text()) > before
        chat.screenshot("stream-01-streaming")
        box.fill("Berapa jumlah pasukan CSTO yang dikirim ke Kazakhstan?")  # asked meanwhile
        box.press("Enter")
        answer = chat.wait_for_answer(1)  # the checked answer replaces the streamed draft
        # the draft's "kata<n>" words are gone ("dikatakan" in a real answer is a word)
        expect(answer.locator(".kr-answer-text")).not_to_contain_text(re.compile(r"kata\d"))
        assert answer.locator("a.kr-ref").count() >= 1
        chat.wait_for_answer(2)  # the waiting question follows, after the first turn
        expect(page.locator("#kr-chat .kr-question")).to_have_count(2)
        expect(page.locator("#kr-sources .kr-turn")).to_have_count(2)
        chat.assert_clean()
        chat.close()


PLANTED = """Wali Kota Zorbania <script>window.__pwned=1</script> Resmikan Jembatan Baru

10 Januari 2022, 07:15 WIB

KABAR UJI - Wali Kota Zorbania meresmikan jembatan baru sepanjang 1.234 meter \
<img src=x onerror="window.__pwned=2;alert(2)"> pada hari Senin.

Warga menyebut jembatan itu [tautan](javascript:window.__pwned=3) sebagai kebanggaan kota \
${window.__pwned=4} dan {{constructor.constructor('window.__pwned=5')()}}.

<b onmouseover="window.__pwned=6">Jembatan</b> itu dibangun selama dua tahun dengan biaya \
<a href="javascript:window.__pwned=7">Rp 50 miliar</a> ![x](http://127.0.0.2/pixel.png).
"""


def test_planted_markup_renders_as_text_and_runs_nothing(
    browser: Any, fresh_settings: Settings, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    planted = tmp_path / "planted" / "zorbania_uji.txt"
    planted.parent.mkdir()
    planted.write_text(PLANTED, encoding="utf-8")
    assistant = Assistant.load(fresh_settings)
    assert assistant.ingest([planted]).added == ("zorbania_uji",)

    with running_app(fresh_settings, assistant) as url:
        chat = ChatPage(browser, url)
        page = chat.page
        first = chat.ask("Berapa panjang jembatan baru di Zorbania?")
        expect(first).to_contain_text('<img src=x onerror="window.__pwned=2;alert(2)">')
        second = chat.ask("Berapa biaya pembangunan jembatan di Zorbania?")
        expect(second).to_contain_text('<a href="javascript:window.__pwned=7">')
        sources = page.locator("#kr-sources")
        expect(sources.locator(".kr-doc-title").first).to_contain_text(
            "<script>window.__pwned=1</script>"
        )
        article = sources.locator(".kr-latest details.kr-article").first
        article.locator("summary").click()
        body = article.locator(".kr-article-body")
        expect(body).to_contain_text("[tautan](javascript:window.__pwned=3)")
        expect(body).to_contain_text("${window.__pwned=4}")
        expect(body).to_contain_text("{{constructor.constructor('window.__pwned=5')()}}")
        body.get_by_text("Jembatan</b>", exact=False).hover()
        for scope in ("#kr-chat", "#kr-sources"):
            for tag in ("script", "img", "b", "a[href^='javascript']", "a[target]"):
                assert page.locator(f"{scope} {tag}").count() == 0, (scope, tag)
        chat.screenshot("safety-01-planted-article")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        chat.assert_clean()
        chat.close()


def test_uploaded_articles_are_indexed_and_bad_files_named(
    browser: Any, fresh_settings: Settings, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    good = tmp_path / "banjir_zorbania.txt"
    good.write_text(
        "Banjir Besar Melanda Kota Zorbania\n\n12 Februari 2022, 09:00 WIB\n\n"
        "KABAR UJI - Banjir besar melanda Kota Zorbania dan merendam 4.321 rumah warga.\n\n"
        "Petugas mengungsikan warga ke gedung olahraga kota.\n",
        encoding="utf-8",
    )
    empty = tmp_path / "kosong.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "rusak.md"
    binary.write_bytes(bytes(range(256)) * 8)
    assistant = Assistant.load(fresh_settings)

    with running_app(fresh_settings, assistant) as url:
        chat = ChatPage(browser, url)
        page = chat.page
        chat.open_accordion("kr-add")
        # the accordion renders its content after the click: wait before observing it
        page.locator("#kr-ingest-status").wait_for(state="attached", timeout=30_000)
        page.evaluate(SEEN_TEXTS, "#kr-ingest-status")  # progress lines come and go
        page.locator("#kr-files input[type=file]").set_input_files(
            [str(good), str(empty), str(binary)]
        )
        status = page.locator("#kr-ingest-status")
        expect(status).to_contain_text("Selesai.", timeout=120_000)
        expect(status).to_contain_text("banjir_zorbania.txt: ditambahkan — Banjir Besar Melanda")
        expect(status.locator(".kr-skip")).to_have_count(2)
        expect(status).to_contain_text("kosong.txt: dilewati")
        expect(status).to_contain_text("rusak.md: dilewati")
        expect(status).to_contain_text("6 artikel di korpus.")
        seen = page.evaluate("window.__seen")
        assert any("Memproses 1/3: banjir_zorbania.txt" in text for text in seen)
        assert tempfile.gettempdir() not in status.inner_text()  # names, not upload paths
        chat.screenshot("upload-01-status")

        answer = chat.ask("Berapa rumah yang terendam banjir di Zorbania?")
        assert "kr-answered" in (answer.get_attribute("class") or "")
        expect(answer).to_contain_text("4.321")
        expect(page.locator("#kr-sources .kr-latest .kr-doc-title").first).to_contain_text(
            "Banjir Besar Melanda Kota Zorbania"
        )
        chat.screenshot("upload-02-answer")
        chat.assert_clean()
        chat.close()
