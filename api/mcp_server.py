"""The MCP server: the corpus as tools for an MCP client (an editor, a desktop assistant).

Tools: ``search_corpus(query, k=5, filters=None)`` -> passages, and ``ask(question)`` -> a
cited answer; both return structured results with a JSON schema. Built on the official SDK
(``mcp`` 2.x, where FastMCP is called ``MCPServer``).

Run over stdio (``rag mcp``, or ``python -m api.mcp_server --data-dir DIR``). On stdio only
protocol messages go to stdout: logs go to stderr, and while the assistant loads, file
descriptor 1 itself points at stderr, so nothing a library prints can corrupt the stream.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

from api.concurrency import SharedAssistant
from api.models import MAX_K, MAX_QUESTION_CHARS, AnswerOut, SearchFilters, SearchResult
from rag import Assistant, FilterError, GenerationError, Settings

logger = logging.getLogger("api.mcp")

INSTRUCTIONS = (
    "Search and question-answering over a corpus of Indonesian news articles. Use "
    "search_corpus to find passages (each with doc_id, title, publication date and outlet); "
    "use ask for a short answer with numbered citations [n] that quote the articles. "
    "Questions may be in Indonesian or English."
)


def build_server(assistant: Assistant) -> MCPServer:
    """An MCP server exposing ``search_corpus`` and ``ask`` over ``assistant``."""
    shared = SharedAssistant(assistant)
    server: MCPServer = MCPServer(name="kabar-rag", instructions=INSTRUCTIONS, version="0.1.0")

    @server.tool(name="search_corpus")
    def search_corpus(
        query: Annotated[str, Field(min_length=1, max_length=MAX_QUESTION_CHARS)],
        k: Annotated[int, Field(ge=1, le=MAX_K, description="Number of passages.")] = 5,
        filters: SearchFilters | None = None,
    ) -> SearchResult:
        """Find the passages of the news corpus that best match the query, best first.

        Each passage carries its article's doc_id, title, published date and publisher,
        and start/end character offsets into the article.
        """
        try:
            passages = shared.retrieve(query, k, filters.to_dict() if filters else None)
        except FilterError as exc:
            raise ToolError(str(exc)) from exc
        return SearchResult.model_validate({"passages": [p.to_dict() for p in passages]})

    @server.tool(name="ask")
    def ask(
        question: Annotated[str, Field(min_length=1, max_length=MAX_QUESTION_CHARS)],
    ) -> AnswerOut:
        """Answer a question from the news corpus with numbered citations [n].

        ``refused`` is true when the corpus does not contain the answer; ``citations`` hold
        the quoted evidence and where it sits in each article.
        """
        try:
            answer = shared.ask(question)
        except GenerationError as exc:
            raise ToolError(f"generator unavailable: {exc}") from exc
        return AnswerOut.from_answer(answer)

    return server


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Point fd 1 (and ``sys.stdout``) at stderr for the duration."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def run_stdio(settings: Settings) -> None:
    """Load the assistant for ``settings`` and serve MCP over stdin/stdout until EOF."""
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s %(message)s"
    )
    with _stdout_to_stderr():
        assistant = Assistant.load(settings)
        assistant.warm_up()  # the model loads while the client connects
        server = build_server(assistant)
        logger.info("MCP server ready: %d documents", len(assistant.documents()))
    # The SDK's stdio transport keeps fd 1 for itself and diverts it again while serving.
    server.run("stdio")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m api.mcp_server", description="Serve the corpus over MCP (stdio)."
    )
    parser.add_argument("--data-dir", type=Path, help="Data dir (default: RAG_DATA_DIR or .rag).")
    parser.add_argument(
        "--generator",
        choices=["extractive", "bundled", "openai"],
        help="Generator for ask (default: RAG_GENERATOR or bundled).",
    )
    args = parser.parse_args(argv)
    overrides = {"data_dir": args.data_dir, "generator": args.generator}
    run_stdio(Settings(**{k: v for k, v in overrides.items() if v is not None}))


if __name__ == "__main__":
    main()
