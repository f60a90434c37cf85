"""``rag``: ingest, stats, ask, chat, eval, serve, mcp.

Thin on purpose: it turns flags into ``Settings`` and calls the packages, importing each only
when its command runs (``rag stats`` does not load the UI or a model).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

app = typer.Typer(
    help="Question answering over Indonesian news articles, with cited answers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DataDirOpt = Annotated[
    Path | None, typer.Option("--data-dir", help="Data dir (default ./.rag or RAG_DATA_DIR).")
]
ChromaOpt = Annotated[
    str | None, typer.Option("--chroma-url", help="Chroma server URL (default: local store).")
]


def _settings(**overrides: Any) -> Any:
    from pydantic import ValidationError

    from rag import Settings

    values = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        _fail(f"invalid setting: {problems}")


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def _user_errors() -> tuple[type[BaseException], ...]:
    from api import ApiConfigError
    from index import (
        DataDirError,
        DocStoreError,
        EmbedderError,
        IngestBusyError,
        VectorStoreError,
    )
    from rag import FilterError, GenerationError
    from rag.model_files import ModelFileError
    from ui.errors import UiConfigError

    return (
        DataDirError,
        DocStoreError,
        EmbedderError,
        IngestBusyError,
        VectorStoreError,
        FilterError,
        GenerationError,
        ModelFileError,
        ApiConfigError,
        UiConfigError,
    )


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (.txt .md .html).")
    ] = None,
    rebuild: Annotated[
        bool, typer.Option(help="Delete the stores and index from scratch.")
    ] = False,
    prune: Annotated[
        bool, typer.Option(help="Remove articles whose file is gone from a given folder.")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    data_dir: DataDirOpt = None,
    chroma_url: ChromaOpt = None,
) -> None:
    """Add, update and remove articles; unchanged ones cost nothing."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from index import Stores, wipe_stores
    from index.ingest import ingest as run_ingest

    settings = _settings(data_dir=data_dir, chroma_url=chroma_url)
    targets = paths or [settings.seeds_dir]
    try:
        if rebuild:
            wipe_stores(settings)
        stores = Stores.open(settings)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=True,
            disable=as_json or not sys.stderr.isatty(),
        ) as bar:
            task = bar.add_task("embedding chunks", total=None)

            def progress(stage: str, done: int, total: int) -> None:
                bar.update(task, completed=done, total=total or None)

            report = run_ingest(stores, targets, prune=prune, progress=progress)
    except _user_errors() as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for skipped in report.skipped:
            typer.secho(f"skipped {skipped}", fg=typer.colors.YELLOW, err=True)
        for warning in report.warnings:
            typer.secho(f"warning: {warning}", fg=typer.colors.YELLOW, err=True)
        if report.repaired:
            typer.echo("repaired the index after an interrupted ingest")
        typer.echo(report.summary())
    nothing_ok = not (report.added or report.updated or report.unchanged or report.removed)
    if report.skipped and nothing_ok:
        raise typer.Exit(1)


@app.command()
def remove(
    doc_ids: Annotated[list[str], typer.Argument(help="Document ids (file stems).")],
    data_dir: DataDirOpt = None,
    chroma_url: ChromaOpt = None,
) -> None:
    """Delete articles from the index."""
    from index import Stores, remove_documents

    settings = _settings(data_dir=data_dir, chroma_url=chroma_url)
    try:
        report = remove_documents(Stores.open(settings), doc_ids)
    except _user_errors() as exc:
        _fail(str(exc))
    for skipped in report.skipped:
        typer.secho(f"skipped {skipped}", fg=typer.colors.YELLOW, err=True)
    typer.echo(report.summary())
    if not report.removed:
        raise typer.Exit(1)


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    data_dir: DataDirOpt = None,
    chroma_url: ChromaOpt = None,
) -> None:
    """Documents, chunks, embedder and where the data lives."""
    from index import Stores

    settings = _settings(data_dir=data_dir, chroma_url=chroma_url)
    try:
        stores = Stores.open(settings)
        docs = stores.docstore.documents()
        info = {
            "documents": len(docs),
            "chunks": stores.docstore.count_chunks(),
            "vectors": stores.vectors.count(),
            "bm25_chunks": stores.lexical.size,
            "embedder": stores.embedder.embedder_id,
            "dim": stores.embedder.dim,
            "data_dir": str(settings.data_dir.resolve()),
            "chroma": stores.vectors.location,
            "generator": settings.generator,
            "llama.cpp": _llama_runtime(settings),
        }
    except _user_errors() as exc:
        _fail(str(exc))
    if as_json:
        info["articles"] = [
            {
                "doc_id": d.doc_id,
                "title": d.title,
                "published": d.published,
                "publisher": d.publisher,
                "chunks": d.n_chunks,
            }
            for d in docs
        ]
        typer.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    for key, value in info.items():
        typer.echo(f"{key:>12}: {value}")
    for d in docs:
        typer.echo(
            f"  {d.doc_id}  {d.n_chunks:>3} chunks  {d.published or '-':<25}  {d.title[:60]}"
        )


def _llama_runtime(settings: Any) -> str:
    """How the bundled model runs here (``RAG_EXTRA_BUFFERS``; with "auto", what the trials
    at its first load chose), without loading it."""
    from rag.generators.runtime import (
        build_label,
        choose_runtime,
        compiled_here,
        stored_choice,
        system_info,
    )
    from rag.model_files import MODELS, model_file_path

    try:
        build = build_label(system_info(), compiled_here())
    except ImportError:
        return "not installed (pip install xllamacpp)"
    path = model_file_path(MODELS[settings.model], settings.data_dir, settings.models_dir)
    if settings.extra_buffers != "auto":  # the setting is the choice: no trial runs
        return choose_runtime(path, settings.n_threads, settings.extra_buffers).describe()
    choice = stored_choice(path, settings.n_threads) if path.is_file() else None
    if choice is None:
        return f"{build}; configuration chosen at the model's first load"
    return choice.describe()


@app.command()
def ask(
    question: Annotated[
        str | None, typer.Argument(help="The question; omit for a conversation.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print Answer.to_dict() as JSON.")
    ] = False,
    generator: Annotated[str | None, typer.Option(help="bundled | openai | extractive")] = None,
    top_k: Annotated[int | None, typer.Option("--top-k", min=1, max=50)] = None,
    doc_id: Annotated[
        list[str] | None, typer.Option("--doc-id", help="Only these articles.")
    ] = None,
    publisher: Annotated[list[str] | None, typer.Option(help="Only these outlets.")] = None,
    published_from: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
    published_to: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD")] = None,
    data_dir: DataDirOpt = None,
    chroma_url: ChromaOpt = None,
) -> None:
    """Answer a question (or hold a conversation) with cited sources."""
    from rag import Answer, Assistant

    if generator not in (None, "bundled", "openai", "extractive"):
        _fail(f"unknown --generator {generator!r}: use bundled, openai or extractive")
    settings = _settings(data_dir=data_dir, chroma_url=chroma_url, generator=generator)
    filters = {
        "doc_ids": doc_id or None,
        "publishers": publisher or None,
        "published_from": published_from,
        "published_to": published_to,
    }
    filters = {k: v for k, v in filters.items() if v}
    try:
        assistant = Assistant.load(settings)
    except _user_errors() as exc:
        _fail(str(exc))
    history: list[tuple[str, str]] = []
    interactive = question is None
    while True:
        if interactive:
            try:
                question = input("\n? ")
            except (EOFError, KeyboardInterrupt):
                typer.echo()
                return
            if question.strip() in {"exit", "quit", ":q"}:
                return
        assert question is not None
        answer: Answer | None = None
        streamed: list[str] = []
        try:
            for item in assistant.stream(question, history, top_k=top_k, filters=filters or None):
                if isinstance(item, Answer):
                    answer = item
                elif not as_json:
                    streamed.append(item)
                    typer.secho(item, nl=False, dim=True)
        except _user_errors() as exc:
            _fail(str(exc))
        assert answer is not None
        if as_json:
            typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        else:
            _print_answer(answer, "".join(streamed))
        if not interactive:
            return
        history += [("user", question), ("assistant", answer.text)]


def _print_answer(answer: Any, streamed: str) -> None:
    """After the streamed draft: the checked answer (if it differs), notices, sources."""
    typer.echo()
    if answer.text.strip() != streamed.strip():
        typer.secho(answer.text, bold=True)
    for notice in answer.notices:
        typer.secho(f"note: {notice}", fg=typer.colors.YELLOW)
    for c in answer.citations:
        where = ", ".join(x for x in (c.publisher, (c.published or "")[:10]) if x)
        typer.echo(f"  [{c.n}] {c.title} ({where}) {c.doc_id} @{c.start}-{c.end}")
        typer.secho(f"      \u201c{c.text}\u201d", dim=True)
    t = answer.timings
    typer.secho(
        f"  ({answer.generator}; retrieve {t.get('retrieve_ms', 0):.0f} ms, "
        f"total {t.get('total_ms', 0):.0f} ms)",
        dim=True,
    )


@app.command()
def chat(
    host: Annotated[
        str, typer.Option(help="Address to bind (non-loopback needs auth).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 7860,
    generator: Annotated[str | None, typer.Option(help="bundled | openai | extractive")] = None,
    data_dir: DataDirOpt = None,
    chroma_url: ChromaOpt = None,
) -> None:
    """Open the chat in the browser (Gradio), on http://127.0.0.1:7860 by default."""
    from ui.app import launch

    settings = _settings(data_dir=data_dir, chroma_url=chroma_url, generator=generator)
    try:
        launch(settings, host=host, port=port)
    except _user_errors() as exc:
        _fail(str(exc))


@app.command("eval")
def run_eval(
    gold: Annotated[list[Path], typer.Option("--gold", help="Gold JSONL file(s).")],
    out: Annotated[Path, typer.Option("--out", help="Report folder.")],
    generator: Annotated[str, typer.Option(help="bundled | openai | extractive")] = "extractive",
    systems: Annotated[
        str, typer.Option(help="Comma-separated, of ours,oracle,naive,plain,bm25,dense")
    ] = "ours,oracle,naive,plain",
    limit: Annotated[int | None, typer.Option(help="Only the first N questions.")] = None,
    split: Annotated[
        str | None, typer.Option(help="dev | test: only that split (default: both, apart).")
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue an interrupted run in --out.")
    ] = False,
    reuse: Annotated[
        bool, typer.Option("--reuse", help="Reuse the answers in --out of unchanged systems.")
    ] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Run the gold questions through each system; write JSONL, summary and plots."""
    from evals.cli import main as eval_main

    argv = [*(a for g in gold for a in ("--gold", str(g))), "--out", str(out)]
    argv += ["--generator", generator, "--systems", systems]
    if limit:
        argv += ["--limit", str(limit)]
    if split:
        argv += ["--split", split]
    if resume:
        argv += ["--resume"]
    if reuse:
        argv += ["--reuse"]
    if data_dir:
        argv += ["--data-dir", str(data_dir)]
    raise typer.Exit(eval_main(argv))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Non-loopback needs RAG_API_TOKEN.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    data_dir: DataDirOpt = None,
    chroma_url: ChromaOpt = None,
) -> None:
    """HTTP API (FastAPI): /retrieve, /ask, /ask/stream, /documents, /health."""
    from api.http import serve as serve_http

    settings = _settings(data_dir=data_dir, chroma_url=chroma_url)
    try:
        serve_http(settings, host=host, port=port)
    except _user_errors() as exc:
        _fail(str(exc))


@app.command()
def mcp(data_dir: DataDirOpt = None, chroma_url: ChromaOpt = None) -> None:
    """MCP server on stdio: tools search_corpus and ask."""
    from api.mcp_server import run_stdio

    run_stdio(_settings(data_dir=data_dir, chroma_url=chroma_url))


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
