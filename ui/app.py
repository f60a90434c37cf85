"""The Gradio Blocks app: chat with streamed, cited answers; sources panel; settings; uploads.

Started by ``rag chat`` through :func:`launch` (bound to 127.0.0.1 unless told otherwise).
The app is a client of the public ``rag`` API only. Per-session state is the list of
:class:`ui.render.Turn` in a ``gr.State``; chat and sources panel are re-rendered from it, so
the language toggle and the timings switch also apply to earlier answers.

Gradio 6 takes theme, CSS and JS in ``launch()``, not in ``Blocks()``: whoever launches the
app returned by :func:`build_app` passes :func:`launch_options` (as :func:`launch` does).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

# Before gradio is imported: no usage statistics, no version check.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

import gradio as gr

from rag import Answer, Assistant, GenerationError, GeneratorName, Language, Progress, Settings
from ui import render
from ui.assets import CSS, FONT, FONT_MONO, JS
from ui.errors import UiConfigError
from ui.i18n import DEFAULT_LANGUAGE, EXAMPLES, LANGUAGE_CHOICES, as_language, t
from ui.render import Turn

log = logging.getLogger(__name__)

GENERATORS: tuple[GeneratorName, ...] = ("bundled", "openai", "extractive")
UPLOAD_TYPES = [".txt", ".md", ".markdown", ".html", ".htm"]
STREAM_INTERVAL = 0.08
"""Seconds between chat updates while an answer streams, so long answers stay smooth."""
CONCURRENCY_ID = "assistant"
"""Answering and indexing share one assistant: they run one at a time."""

_PROGRESS = gr.Progress()  # Gradio's marker default; each call gets its own tracker


def launch_options() -> dict[str, Any]:
    """The ``Blocks.launch`` arguments for the look of the app (theme, CSS, JS; Gradio 6).

    System fonts only: the page loads nothing from outside the app's own server.
    """
    return {
        "theme": gr.themes.Default(font=FONT, font_mono=FONT_MONO),
        "css": CSS,
        "js": JS,
        "footer_links": ["api", "settings"],
    }


def launch(
    settings: Settings | None = None,
    host: str = "127.0.0.1",
    port: int = 7860,
    *,
    assistant: Assistant | None = None,
    block: bool = True,
    quiet: bool = False,
) -> gr.Blocks:
    """Build the app and serve it on ``host:port``; with ``block=False`` return once it runs.

    Loopback only by default: pass ``host="0.0.0.0"`` deliberately to expose it.
    """
    auth = _auth_for(host)
    settings = settings or Settings()
    assistant = assistant or Assistant.load(settings)
    assistant.warm_up()  # the model loads while the browser opens the page
    app = build_app(assistant, settings)
    app.launch(
        auth=auth,
        server_name=host,
        server_port=port,
        share=False,
        inbrowser=False,
        ssr_mode=False,
        run_history=False,
        prevent_thread_lock=not block,
        quiet=quiet,
        max_file_size="20mb",
        **launch_options(),
    )
    return app


def _auth_for(host: str) -> tuple[str, str] | None:
    """Loopback needs no login; any other address needs RAG_UI_AUTH=user:password."""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if loopback:
        return None
    credentials = os.environ.get("RAG_UI_AUTH", "")
    user, _, password = credentials.partition(":")
    if not user or len(password) < 8:
        raise UiConfigError(
            f"refusing to serve the chat on {host} without a login: set RAG_UI_AUTH=user:password "
            "(password of 8+ characters), or bind to 127.0.0.1"
        )
    return (user, password)


class ChatHandlers:
    """What the app's events do, apart from the widgets: easy to call from tests."""

    def __init__(self, assistant: Assistant, settings: Settings) -> None:
        self.assistant = assistant
        self.settings = settings

    # -- answering -------------------------------------------------------------------------
    def respond(
        self,
        question: str | None,
        turns: list[Turn],
        generator: str | None,
        top_k: float | None,
        show_timings: bool,
        language_value: str,
    ) -> Iterator[tuple[Any, Any, Any, Any]]:
        """Stream the answer to ``question``: yields (chat, turns, sources, question box).

        Before the answer's first sentence, the bubble says what the assistant is doing
        (searching, reading N passages, loading the model, writing), and the sources panel
        lists the passages found as soon as the search is done.
        """
        language = as_language(language_value)
        text = question or ""
        if not text.strip():
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        done = list(turns)
        current = [*done, Turn(text)]
        yield render.chat_messages(current, language, show_timings), gr.skip(), gr.skip(), ""
        streamed: list[str] = []
        answer: Answer | None = None
        status: str | None = None
        last = time.monotonic()
        try:
            for item in self.assistant.events(
                text,
                history_pairs(done),
                generator=generator_name(generator),
                top_k=int(top_k) if top_k else None,
            ):
                if isinstance(item, Answer):
                    answer = item
                    continue
                if isinstance(item, Progress):
                    status = render.status_text(item, language)
                    found = (
                        render.found_sources_html(text, item.sources, language)
                        if item.stage == "reading" and item.sources
                        else gr.skip()
                    )
                    chat = render.chat_messages(current, language, show_timings, "", status)
                    yield chat, gr.skip(), found, gr.skip()
                    continue
                streamed.append(item)
                if time.monotonic() - last >= STREAM_INTERVAL:
                    last = time.monotonic()
                    chat = render.chat_messages(current, language, show_timings, "".join(streamed))
                    yield chat, gr.skip(), gr.skip(), gr.skip()
            finished = Turn(text, answer=answer) if answer else Turn(text, error="no answer")
        except Exception as exc:  # the chat must go on: show the error as the answer
            if not isinstance(exc, GenerationError):
                log.exception("answering %r failed", text)
            finished = Turn(text, error=error_message(exc))
        new_turns = [*done, finished]
        yield (
            render.chat_messages(new_turns, language, show_timings),
            new_turns,
            self.sources(new_turns, language),
            gr.skip(),
        )

    def sources(self, turns: Sequence[Turn], language: Language) -> str:
        return render.sources_html(turns, self.assistant.document, language)

    def reset(self, language_value: str) -> tuple[Any, ...]:
        """A new chat: (chat, turns, sources, question box) emptied."""
        return [], [], self.sources([], as_language(language_value)), ""

    def rerender(
        self, turns: list[Turn], show_timings: bool, language_value: str
    ) -> tuple[list[dict[str, str]], str]:
        language = as_language(language_value)
        return render.chat_messages(turns, language, show_timings), self.sources(turns, language)

    # -- adding articles -------------------------------------------------------------------
    def corpus_line(self, language: Language) -> tuple[str, str]:
        return ("kr-info", t("corpus_size", language, n=len(self.assistant.documents())))

    def add_articles(
        self, paths: list[str] | None, language_value: str, progress: gr.Progress = _PROGRESS
    ) -> Iterator[tuple[Any, Any]]:
        """Index the uploaded files one by one; yields (status log, file list)."""
        language = as_language(language_value)
        chosen = [Path(p) for p in paths or []]
        lines: list[tuple[str, str]] = []
        for index, path in enumerate(chosen, start=1):
            step = t("ingest_progress", language, i=index, n=len(chosen), name=path.name)
            progress((index - 1, len(chosen)), desc=step)
            yield render.status_html([*lines, ("kr-progress", step)]), gr.skip()
            lines.extend(self._ingest_one(path, language))
        lines += [("kr-ok", t("ingest_done", language)), self.corpus_line(language)]
        yield render.status_html(lines), None

    def _ingest_one(self, path: Path, language: Language) -> list[tuple[str, str]]:
        """Index one file; the log lines name the file, never its temporary path."""
        name = path.name

        def named(text: str) -> str:
            return text.replace(str(path), name)

        try:
            report = self.assistant.ingest([path])
        except Exception as exc:  # a store error: report it, go on with the next file
            log.exception("indexing %s failed", path)
            failed = t("ingest_failed", language)
            return [("kr-fail", f"{name}: {failed} — {named(error_message(exc))}")]
        lines: list[tuple[str, str]] = []
        for key, doc_ids in (
            ("ingest_added", report.added),
            ("ingest_updated", report.updated),
            ("ingest_unchanged", report.unchanged),
        ):
            for doc_id in doc_ids:
                doc = self.assistant.document(doc_id)
                title = f" — {doc.title}" if doc is not None else ""
                lines.append(("kr-ok", f"{name}: {t(key, language)}{title}"))
        skipped_word = t("ingest_skipped", language)
        for skipped in report.skipped:
            shown = Path(skipped.path).name
            lines.append(("kr-skip", f"{shown}: {skipped_word} — {named(skipped.reason)}"))
        warning_word = t("ingest_warning", language)
        for warning in report.warnings:
            lines.append(("kr-warning", f"{name}: {warning_word} — {named(warning)}"))
        return lines

    # -- API -------------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        history: list[list[str]] | None = None,
        generator: str | None = None,
        top_k: int | None = None,
    ) -> dict[str, Any]:
        """Answer ``question`` over the news corpus; returns the answer as JSON.

        ``history`` holds earlier turns as [role, text] pairs (role "user" or "assistant");
        ``generator`` is "bundled", "openai" or "extractive" (default: the app's setting).
        The JSON has text, language, refused, citations (n, doc_id, title, published,
        publisher, text, start, end), retrieved, timings, generator and notices.
        """
        if generator and generator_name(generator) is None:
            raise gr.Error(f"unknown generator {generator!r}: use bundled, openai or extractive")
        pairs = [(str(p[0]), str(p[1])) for p in history or [] if len(p) == 2]
        try:
            answer = self.assistant.ask(
                question, pairs, generator=generator_name(generator), top_k=top_k or None
            )
        except (GenerationError, ValueError, TypeError) as exc:  # bad input or generator
            raise gr.Error(str(exc)) from exc
        return answer.to_dict()


def generator_name(value: str | None) -> GeneratorName | None:
    """``value`` if it names a generator, else None (the assistant's default)."""
    return next((name for name in GENERATORS if name == value), None)


def history_pairs(turns: Sequence[Turn]) -> list[tuple[str, str]]:
    """Earlier answered turns as (role, text) pairs, for follow-up questions."""
    pairs: list[tuple[str, str]] = []
    for turn in turns:
        if turn.answer is not None:
            pairs += [("user", turn.question), ("assistant", turn.answer.text)]
    return pairs


def error_message(exc: BaseException) -> str:
    if isinstance(exc, GenerationError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _generator_choices(language: Language) -> list[tuple[str, str]]:
    return [(t(f"gen_{name}", language), name) for name in GENERATORS]


def _openai_info(settings: Settings, language: Language) -> str:
    url, model = settings.openai_base_url, settings.openai_model
    if url and model:
        return t("openai_configured", language, url=url, model=model)
    return t("openai_missing", language)


def _header_html(language: Language) -> str:
    return (
        f"<h1>{render.escape(t('title', language))}</h1>"
        f"<p>{render.escape(t('subtitle', language))}</p>"
    )


def _examples_title(key: str, language: Language) -> str:
    return f'<div class="kr-examples-title">{render.escape(t(key, language))}</div>'


def build_app(assistant: Assistant, settings: Settings) -> gr.Blocks:
    """The chat app over ``assistant``; ``settings`` give the defaults of the settings panel."""
    handlers = ChatHandlers(assistant, settings)
    lang = DEFAULT_LANGUAGE
    with gr.Blocks(title="Kabar", analytics_enabled=False) as app:
        turns = gr.State([])
        with gr.Row(equal_height=False):
            header = gr.HTML(_header_html(lang), elem_id="kr-header", js_on_load=None, scale=4)
            ui_lang = gr.Radio(
                LANGUAGE_CHOICES,
                value=lang,
                label=t("ui_language", lang),
                elem_id="kr-ui-lang",
                scale=1,
                min_width=220,
            )
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=360):
                chatbot = gr.Chatbot(
                    value=[],
                    label=t("chat", lang),
                    elem_id="kr-chat",
                    height=560,
                    render_markdown=False,  # messages are escaped HTML from ui.render
                    sanitize_html=True,
                    latex_delimiters=[],
                    allow_tags=False,
                    buttons=[],  # our copy buttons copy the answer text, not its markup
                    feedback_options=None,
                    group_consecutive_messages=False,
                    placeholder=render.escape(t("chat_placeholder", lang)),
                )
                with gr.Row(equal_height=True):
                    question = gr.Textbox(
                        label=t("question", lang),
                        placeholder=t("question_placeholder", lang),
                        elem_id="kr-question",
                        lines=1,
                        max_lines=6,
                        scale=6,
                        autofocus=True,
                    )
                    send = gr.Button(
                        t("send", lang), variant="primary", elem_id="kr-send", scale=1, min_width=90
                    )
                    new_chat = gr.Button(
                        t("new_chat", lang), elem_id="kr-new-chat", scale=1, min_width=110
                    )
                example_titles: list[gr.HTML] = []
                example_buttons: list[gr.Button] = []
                example_sets: tuple[tuple[str, Language], ...] = (
                    ("examples_id", "id"),
                    ("examples_en", "en"),
                )
                for key, example_language in example_sets:
                    example_titles.append(gr.HTML(_examples_title(key, lang), js_on_load=None))
                    with gr.Row(elem_classes=["kr-examples"]):
                        example_buttons += [
                            gr.Button(text, size="sm", elem_classes=["kr-example"], min_width=120)
                            for text in EXAMPLES[example_language]
                        ]
            with gr.Column(scale=2, min_width=320):
                sources = gr.HTML(handlers.sources([], lang), elem_id="kr-sources", js_on_load=None)
        with gr.Accordion(t("settings", lang), open=False, elem_id="kr-settings") as settings_box:
            generator = gr.Radio(
                _generator_choices(lang),
                value=settings.generator,
                label=t("generator", lang),
                info=_openai_info(settings, lang),
                elem_id="kr-generator",
            )
            top_k = gr.Slider(
                1, 50, value=settings.top_k, step=1, label=t("top_k", lang), elem_id="kr-top-k"
            )
            show_timings = gr.Checkbox(False, label=t("show_timings", lang), elem_id="kr-timings")
        with gr.Accordion(t("add_articles", lang), open=False, elem_id="kr-add") as add_box:
            files = gr.File(
                label=t("files", lang),
                file_count="multiple",
                file_types=UPLOAD_TYPES,
                type="filepath",
                elem_id="kr-files",
            )
            ingest_status = gr.HTML(
                render.status_html([handlers.corpus_line(lang)]),
                elem_id="kr-ingest-status",
                js_on_load=None,
            )

        # -- events ----------------------------------------------------------------------------
        chat_inputs = [question, turns, generator, top_k, show_timings, ui_lang]
        chat_outputs = [chatbot, turns, sources, question]
        # Asked by Enter, the send button or an example (the button's text is the question);
        # one at a time: a question asked meanwhile waits its turn. No Gradio progress overlay:
        # the answer bubble says what is happening, and the overlay's timer repaints several
        # times a second on the CPU the model needs (ui/assets.py).
        asking: dict[str, Any] = {
            "api_visibility": "private",
            "concurrency_id": CONCURRENCY_ID,
            "concurrency_limit": 1,
            "trigger_mode": "multiple",
            "show_progress": "hidden",
        }
        chat_events: list[dict[str, Any]] = [
            trigger(handlers.respond, chat_inputs, chat_outputs, **asking)
            for trigger in (question.submit, send.click)
        ]
        chat_events += [
            button.click(handlers.respond, [button, *chat_inputs[1:]], chat_outputs, **asking)
            for button in example_buttons
        ]
        for clear in (new_chat.click, chatbot.clear):  # the chat's own bin button, too
            clear(
                handlers.reset,
                [ui_lang],
                chat_outputs,
                cancels=chat_events,
                api_visibility="private",
                queue=False,
            )
        show_timings.change(
            handlers.rerender,
            [turns, show_timings, ui_lang],
            [chatbot, sources],
            api_visibility="private",
        )

        def relabel(language_value: str, turn_list: list[Turn], timings: bool) -> tuple[Any, ...]:
            language = as_language(language_value)
            return (
                _header_html(language),
                gr.update(label=t("ui_language", language)),
                gr.update(
                    label=t("chat", language),
                    placeholder=render.escape(t("chat_placeholder", language)),
                    value=render.chat_messages(turn_list, language, timings),
                ),
                gr.update(
                    label=t("question", language), placeholder=t("question_placeholder", language)
                ),
                gr.update(value=t("send", language)),
                gr.update(value=t("new_chat", language)),
                *(_examples_title(key, language) for key, _ in example_sets),
                gr.update(label=t("settings", language)),
                gr.update(
                    label=t("generator", language),
                    info=_openai_info(settings, language),
                    choices=_generator_choices(language),
                ),
                gr.update(label=t("top_k", language)),
                gr.update(label=t("show_timings", language)),
                gr.update(label=t("add_articles", language)),
                gr.update(label=t("files", language)),
                handlers.sources(turn_list, language),
            )

        ui_lang.change(
            relabel,
            [ui_lang, turns, show_timings],
            [
                header,
                ui_lang,
                chatbot,
                question,
                send,
                new_chat,
                *example_titles,
                settings_box,
                generator,
                top_k,
                show_timings,
                add_box,
                files,
                sources,
            ],
            api_visibility="private",
        )
        files.upload(
            handlers.add_articles,
            [files, ui_lang],
            [ingest_status, files],
            api_visibility="private",
            concurrency_id=CONCURRENCY_ID,
            concurrency_limit=1,
        )
        gr.api(handlers.ask, api_name="ask", concurrency_id=CONCURRENCY_ID, concurrency_limit=1)
    return app
