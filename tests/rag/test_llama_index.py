"""The retriever inside stock llama-index engines (a mock LLM: no model needed)."""

from llama_index.core.chat_engine import CondensePlusContextChatEngine
from llama_index.core.llms import MockLLM
from llama_index.core.query_engine import RetrieverQueryEngine

from index.cleaning import normalize_whitespace
from rag import PassageNode, Retriever

FIELDS = {"doc_id", "title", "published", "publisher", "start", "end"}


def test_retrieve_returns_ranked_passages_with_offsets(retriever: Retriever) -> None:
    passages = retriever.retrieve("Berapa orang mencari perawatan di rumah sakit?", k=3)
    assert len(passages) == 3
    assert all(isinstance(p, PassageNode) for p in passages)
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    top = passages[0]
    assert top.doc_id == "004_94ce680aa1d7413e"
    doc = retriever.document(top.doc_id)
    assert doc is not None
    # The chunk's span in the raw file holds every sentence of the chunk text.
    span = normalize_whitespace(doc.raw[top.start : top.end])
    assert all(line in span for line in top.text.split("\n"))
    assert top.to_passage().to_dict()["doc_id"] == top.doc_id


def test_filters_pass_through(retriever: Retriever) -> None:
    only = retriever.retrieve("CSTO", k=5, filters={"doc_ids": ["003_53e9011b749ad847"]})
    assert only and {p.doc_id for p in only} == {"003_53e9011b749ad847"}
    dated = retriever.retrieve("CSTO", k=10, filters={"published_from": "2022-01-10"})
    assert dated and all((p.published or "") >= "2022-01-10" for p in dated)
    assert {p.doc_id for p in dated} <= {"000_5af2c4d53b4ab9d2", "004_94ce680aa1d7413e"}


def test_plugs_into_retriever_query_engine(retriever: Retriever) -> None:
    engine = RetrieverQueryEngine.from_args(retriever, llm=MockLLM(max_tokens=8))
    response = engine.query("Siapa yang meminta bantuan CSTO?")
    assert response.source_nodes
    for node in response.source_nodes:
        assert set(node.node.metadata) >= FIELDS
    assert any("Tokayev" in n.node.get_content() for n in response.source_nodes)


def test_plugs_into_condense_plus_context_chat_engine(retriever: Retriever) -> None:
    engine = CondensePlusContextChatEngine.from_defaults(retriever, llm=MockLLM(max_tokens=8))
    response = engine.chat("Apa yang dikatakan Blinken tentang pasukan Rusia?")
    assert response.source_nodes
    assert all(set(n.node.metadata) >= FIELDS for n in response.source_nodes)
    follow = engine.chat("Dan apa kata Peskov?")
    assert follow.source_nodes
