"""The MCP server as a client sees it: spawned over stdio and driven by the SDK's own client."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from api.models import AnswerOut, SearchResult
from rag import Assistant

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
HOSPITAL = "Berapa orang mencari perawatan di rumah sakit?"


def _server(data_dir: Path) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "api.mcp_server", "--data-dir", str(data_dir)],
        env={
            "RAG_GENERATOR": "extractive",
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False",
            "PYTHONPATH": str(ROOT),
        },
        cwd=ROOT,
    )


async def _session_run(data_dir: Path, errlog: Any) -> dict[str, Any]:
    """List the tools and call each; return what came back, and any stream fault seen."""
    faults: list[Exception] = []

    async def on_message(message: object) -> None:
        if isinstance(message, Exception):  # e.g. a stdout line that is not JSON-RPC
            faults.append(message)

    results: dict[str, Any] = {"faults": faults}
    async with (
        stdio_client(_server(data_dir), errlog=errlog) as (read, write),
        ClientSession(read, write, read_timeout_seconds=120, message_handler=on_message) as session,
    ):
        await session.initialize()
        results["tools"] = {tool.name: tool for tool in (await session.list_tools()).tools}
        results["search"] = await session.call_tool("search_corpus", {"query": "CSTO", "k": 3})
        results["filtered"] = await session.call_tool(
            "search_corpus",
            {"query": "CSTO", "k": 50, "filters": {"doc_id": "004_94ce680aa1d7413e"}},
        )
        results["bad_filter"] = await session.call_tool(
            "search_corpus", {"query": "CSTO", "filters": {"published_from": "kemarin"}}
        )
        results["ask"] = await session.call_tool("ask", {"question": HOSPITAL})
        results["empty"] = await session.call_tool("ask", {"question": ""})
    return results


@pytest.fixture(scope="module")
def mcp_results(seeded_settings: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    errlog_path = tmp_path_factory.mktemp("mcp") / "stderr.log"
    with errlog_path.open("w") as errlog:
        results = anyio.run(_session_run, seeded_settings.data_dir, errlog)
    results["stderr"] = errlog_path.read_text()
    return results


def test_mcp_lists_both_tools_with_schemas(mcp_results: dict[str, Any]) -> None:
    tools = mcp_results["tools"]

    assert set(tools) == {"search_corpus", "ask"}
    search = tools["search_corpus"]
    assert search.input_schema["required"] == ["query"]
    assert search.input_schema["properties"]["k"]["maximum"] == 50
    assert search.output_schema is not None and "passages" in search.output_schema["properties"]
    ask = tools["ask"]
    assert ask.input_schema["required"] == ["question"]
    assert ask.output_schema is not None and "citations" in ask.output_schema["properties"]


def test_mcp_search_corpus_returns_structured_passages(
    mcp_results: dict[str, Any], assistant: Assistant
) -> None:
    result = mcp_results["search"]

    assert result.is_error is False
    found = SearchResult.model_validate(result.structured_content)
    expected = [node.to_passage().to_dict() for node in assistant.retriever.retrieve("CSTO", k=3)]
    assert [p.to_dict() for p in found.passages] == expected
    filtered = SearchResult.model_validate(mcp_results["filtered"].structured_content)
    assert {p.doc_id for p in filtered.passages} == {"004_94ce680aa1d7413e"}
    assert len(filtered.passages) == 8


def test_mcp_search_corpus_reports_a_bad_filter_by_name(mcp_results: dict[str, Any]) -> None:
    result = mcp_results["bad_filter"]

    assert result.is_error is True
    assert "published_from" in result.content[0].text


def test_mcp_ask_returns_a_cited_answer(mcp_results: dict[str, Any], assistant: Assistant) -> None:
    result = mcp_results["ask"]

    assert result.is_error is False
    answer = AnswerOut.model_validate(result.structured_content)
    assert answer.refused is False
    assert answer.citations and "2.600 orang" in answer.citations[0].text
    expected = assistant.ask(HOSPITAL).to_dict()
    got = answer.model_dump()
    assert {k: v for k, v in got.items() if k != "timings"} == {
        k: v for k, v in expected.items() if k != "timings"
    }


def test_mcp_ask_rejects_an_empty_question(mcp_results: dict[str, Any]) -> None:
    result = mcp_results["empty"]

    assert result.is_error is True
    assert "question" in result.content[0].text


def test_mcp_stdout_carries_only_protocol(mcp_results: dict[str, Any]) -> None:
    assert mcp_results["faults"] == []
    assert "MCP server ready: 5 documents" in mcp_results["stderr"]  # logs went to stderr
