"""Property: no request body, valid or not, makes the API answer 5xx or anything but JSON/SSE.

Bodies are generated from the app's own /openapi.json (schemathesis is not installed, so a
small schema-to-hypothesis translation stands in): mostly schema-shaped values, with values
at and past every bound, wrong types, unknown keys and missing required keys mixed in.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from api.models import AnswerOut, SearchResult
from tests.api.sse import parse_sse

FUZZ = settings(
    max_examples=50,
    deadline=None,
    # No shrinking: it can take minutes of requests; the failing body is reported as found.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
WORDS = ["CSTO", "Kazakhstan", "Rusia", "pasukan", "Tokayev", "Berapa", "siapa", "Almaty", "?"]
JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
ANY_JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def _valid(schema: dict[str, Any], spec: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values shaped like ``schema``, including its bounds and one step past them."""
    schema = _resolve(schema, spec)
    if "anyOf" in schema:
        return st.one_of([_valid(option, spec) for option in schema["anyOf"]])
    if "enum" in schema:
        # Only the extractive generator: the bundled one would load a 1.5B model.
        options = [v for v in schema["enum"] if v not in ("bundled", "openai")]
        return st.sampled_from(options)
    kind = schema.get("type")
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        low, high = schema.get("minimum", -(10**6)), schema.get("maximum", 10**6)
        return st.integers(low, high) | st.sampled_from([low - 1, high + 1])
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "string":
        if schema.get("format") == "date":
            return st.dates().map(lambda d: d.isoformat()) | st.text(max_size=12)
        longest = schema.get("maxLength", 40)
        words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)
        edges = st.sampled_from(["", " ", "x" * longest, "x" * (longest + 1)])
        return words | st.text(max_size=30) | edges
    if kind == "array":
        longest = schema.get("maxItems", 4)
        items = _valid(schema.get("items", {}), spec)
        return st.lists(items, max_size=min(longest, 4)) | st.lists(
            items, min_size=longest + 1, max_size=longest + 1
        ).filter(lambda _: longest < 30)
    if kind == "object" or "properties" in schema:
        return _object(schema, spec)
    return ANY_JSON


def _object(schema: dict[str, Any], spec: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    properties: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        body: dict[str, Any] = {}
        for name, sub in properties.items():
            if name in required or draw(st.booleans()):
                # Mostly schema-shaped; sometimes any JSON value at all.
                body[name] = draw(_valid(sub, spec) if draw(st.integers(0, 9)) else ANY_JSON)
        if required and draw(st.integers(0, 19)) == 0:
            body.pop(draw(st.sampled_from(sorted(required))))
        if draw(st.integers(0, 19)) == 0:
            body[draw(st.text(min_size=1, max_size=8))] = draw(ANY_JSON)
        return body

    return build()


def _body_strategy(spec: dict[str, Any], path: str) -> st.SearchStrategy[Any]:
    content = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    return _valid(content["schema"], spec) | ANY_JSON


@pytest.fixture(scope="module")
def spec(app: Any) -> dict[str, Any]:
    with TestClient(app) as client:
        return dict(client.get("/openapi.json").json())


def _check(response: Any, path: str) -> None:
    assert response.status_code < 500, (path, response.status_code, response.text)
    media = response.headers["content-type"]
    if path == "/ask/stream" and response.status_code == 200:
        assert media.startswith("text/event-stream")
        events = parse_sse(response.text)
        assert [name for name, _ in events][-1] == "answer", events
        AnswerOut.model_validate(events[-1][1])
        return
    assert media == "application/json"
    body = response.json()
    if response.status_code == 200:
        if path == "/retrieve":
            SearchResult.model_validate(body)
        else:
            AnswerOut.model_validate(body)
    elif response.status_code == 422:
        assert all(error["loc"] and error["msg"] for error in body["detail"])
    else:
        assert response.status_code == 413 and isinstance(body["detail"], str)


@pytest.mark.parametrize("path", ["/retrieve", "/ask", "/ask/stream"])
def test_no_generated_body_gets_a_server_error(app: Any, spec: dict[str, Any], path: str) -> None:
    client = TestClient(app)
    statuses: set[int] = set()

    # Random generation alone sometimes produces no valid body in 50 tries; these two
    # explicit cases make sure both a valid and an invalid body are always sent.
    valid = {"query": "CSTO"} if path == "/retrieve" else {"question": "Siapa Tokayev?"}

    @FUZZ
    @example(body=valid)
    @example(body={})
    @given(body=_body_strategy(spec, path))
    def check(body: Any) -> None:
        response = client.post(
            path, content=json.dumps(body), headers={"content-type": "application/json"}
        )
        statuses.add(response.status_code)
        _check(response, path)

    check()
    assert {200, 422} <= statuses  # bodies reached the assistant, and others were refused


@FUZZ
@given(
    raw=st.binary(max_size=200),
    content_type=st.sampled_from(["application/json", "text/plain", ""]),
)
def test_no_raw_body_gets_a_server_error(app: Any, raw: bytes, content_type: str) -> None:
    client = TestClient(app)
    for path in ("/retrieve", "/ask"):
        response = client.post(path, content=raw, headers={"content-type": content_type})

        assert response.status_code < 500, (path, raw, response.text)
        assert response.headers["content-type"] == "application/json"
