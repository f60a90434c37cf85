"""The HTTP API: retrieval, answers (whole or streamed as server-sent events), the corpus.

    from api.http import create_app, serve
    app = create_app(Assistant.load(settings))          # any ASGI server, or TestClient
    serve(settings, host="127.0.0.1", port=8000)         # uvicorn, blocking

Endpoints: ``POST /retrieve``, ``POST /ask``, ``POST /ask/stream`` (``event: delta`` with
``{"text"}`` per piece, then ``event: answer`` with the answer, or ``event: error`` with
``{"detail"}``), ``GET /documents``, ``GET /health``; the schema is at ``/openapi.json``.

Every response is JSON (``/ask/stream``: server-sent events carrying JSON), sent with
``X-Content-Type-Options: nosniff`` so no browser renders corpus text as HTML; there are no
HTML documentation pages (they would load scripts from a CDN).

Errors are JSON ``{"detail": ...}``: 401 without the token (when one is configured), 404 and
405 for a wrong path or method, 413 for a body over the limit, 422 for invalid input (naming
the field), 503 when the generator is not available, 500 ``"internal error"`` for anything
else (the traceback goes to the log).
"""

import logging
import math
from collections.abc import AsyncIterator
from typing import Annotated, Any

import uvicorn
from fastapi import Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent

from api.concurrency import AnswerStream, SharedAssistant
from api.middleware import AllowedHosts, BearerToken, BodyLimit, InternalErrors, NoSniff
from api.models import (
    AnswerOut,
    AskRequest,
    DeltaEvent,
    DocumentOut,
    DocumentsResponse,
    ErrorResponse,
    HealthResponse,
    RetrieveRequest,
    SearchResult,
)
from api.settings import LOOPBACK_HOSTS, ApiSettings, check_bind, is_loopback, load_api_settings
from rag import Answer, Assistant, FilterError, GenerationError, Settings

logger = logging.getLogger("api.http")

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorResponse, "description": "Missing or wrong bearer token."},
    413: {"model": ErrorResponse, "description": "Request body over the size limit."},
    500: {"model": ErrorResponse, "description": "Internal error (details in the server log)."},
}
_GENERATION_ERRORS: dict[int | str, dict[str, object]] = {
    **_ERRORS,
    503: {"model": ErrorResponse, "description": "The requested generator is not available."},
}


def create_app(assistant: Assistant, settings: ApiSettings | None = None) -> FastAPI:
    """The FastAPI app serving ``assistant``; ``settings`` default to ``RAG_API_*`` variables."""
    settings = settings or ApiSettings()
    shared = SharedAssistant(assistant)
    app = FastAPI(
        title="kabar-rag",
        summary="Cited answers and passage search over Indonesian news articles.",
        version="0.1.0",
        docs_url=None,  # Swagger UI and ReDoc are HTML pages that load scripts from a CDN
        redoc_url=None,
    )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own handler echoes the input and fails (500) on bytes that are not UTF-8,
        # on lone surrogates, and on the non-finite numbers JSON parsing accepts (NaN, Infinity).
        return JSONResponse({"detail": jsonable_encoder(_json_safe(exc.errors()))}, status_code=422)

    @app.exception_handler(FilterError)
    async def _filter_error(request: Request, exc: FilterError) -> JSONResponse:
        error = {"type": "filter_error", "loc": ["body", "filters"], "msg": str(exc)}
        return JSONResponse({"detail": [error]}, status_code=422)

    @app.exception_handler(GenerationError)
    async def _generation_error(request: Request, exc: GenerationError) -> JSONResponse:
        logger.warning("generator unavailable: %s", exc)
        return JSONResponse({"detail": f"generator unavailable: {exc}"}, status_code=503)

    @app.post("/retrieve", responses=_ERRORS)
    def retrieve(body: RetrieveRequest) -> SearchResult:
        """The ``k`` passages best matching ``query`` (hybrid dense + BM25), best first."""
        filters = body.filters.to_dict() if body.filters else None
        passages = shared.retrieve(body.query, k=body.k, filters=filters)
        return SearchResult.model_validate({"passages": [p.to_dict() for p in passages]})

    @app.post("/ask", responses=_GENERATION_ERRORS)
    def ask(body: AskRequest) -> AnswerOut:
        """Answer the question from the corpus, with numbered citations (or a refusal)."""
        answer = shared.ask(
            body.question,
            body.history_pairs(),
            generator=body.generator,
            top_k=body.top_k,
            filters=body.filters.to_dict() if body.filters else None,
        )
        return AnswerOut.from_answer(answer)

    async def open_stream(body: AskRequest) -> AnswerStream:
        # A dependency, so a failure before the first item still gets its status code.
        return await shared.stream(
            body.question,
            body.history_pairs(),
            generator=body.generator,
            top_k=body.top_k,
            filters=body.filters.to_dict() if body.filters else None,
        )

    @app.post("/ask/stream", response_class=EventSourceResponse, responses=_GENERATION_ERRORS)
    async def ask_stream(
        stream: Annotated[AnswerStream, Depends(open_stream)],
    ) -> AsyncIterator[ServerSentEvent]:
        """Like /ask, as server-sent events: ``delta`` {text}, then ``answer`` (the final,
        checked answer, whose text may differ from the deltas), or ``error`` {detail}."""
        try:
            async for item in stream:
                if isinstance(item, Answer):
                    yield ServerSentEvent(event="answer", data=AnswerOut.from_answer(item))
                else:
                    yield ServerSentEvent(event="delta", data=DeltaEvent(text=item))
        except GenerationError as exc:
            logger.warning("generator failed mid-stream: %s", exc)
            error = ErrorResponse(detail=f"generator unavailable: {exc}")
            yield ServerSentEvent(event="error", data=error)
        except Exception:
            logger.exception("answer stream failed")
            yield ServerSentEvent(event="error", data=ErrorResponse(detail="internal error"))
        finally:
            stream.close()

    @app.get("/documents", responses=_ERRORS)
    def documents() -> DocumentsResponse:
        """The indexed articles."""
        return DocumentsResponse(
            documents=[
                DocumentOut(
                    doc_id=d.doc_id,
                    title=d.title,
                    published=d.published,
                    publisher=d.publisher,
                    author=d.author,
                    sources=list(d.sources),
                    n_chunks=d.n_chunks,
                )
                for d in assistant.documents()
            ]
        )

    @app.get("/health")
    def health() -> HealthResponse:
        """Liveness and corpus size; never needs the token."""
        docs = assistant.documents()
        model = assistant.model_status()
        return HealthResponse(
            status="ok",
            documents=len(docs),
            chunks=sum(d.n_chunks for d in docs),
            model=model.state,
            model_detail=model.detail,
        )

    # Outermost last: nosniff -> errors -> hosts -> token -> body size -> app.
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    if settings.token is not None:
        app.add_middleware(BearerToken, token=settings.token.get_secret_value())
    if settings.allowed_hosts is not None:
        app.add_middleware(AllowedHosts, hosts=settings.allowed_hosts)
    app.add_middleware(InternalErrors)
    app.add_middleware(NoSniff)
    return app


def _json_safe(value: Any) -> Any:
    """``value`` with bytes decoded (bad bytes replaced), lone surrogates (which JSON may
    carry as "\\ud800" but UTF-8 cannot) replaced, and NaN/infinity as strings."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        return value.encode("utf-8", errors="replace").decode("utf-8")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


def make_server(
    assistant: Assistant,
    host: str = "127.0.0.1",
    port: int = 8000,
    settings: ApiSettings | None = None,
) -> uvicorn.Server:
    """A uvicorn server for ``assistant`` (call ``.run()``; set ``.should_exit`` to stop).

    Raises ``ApiConfigError`` for a non-loopback ``host`` without a token. On a loopback
    address without a token, only loopback Host headers are accepted.
    """
    settings = settings or ApiSettings()
    check_bind(host, port, settings.token)
    if settings.allowed_hosts is None and settings.token is None and is_loopback(host):
        settings = settings.model_copy(update={"allowed_hosts": LOOPBACK_HOSTS})
    config = uvicorn.Config(
        create_app(assistant, settings),
        host=host,
        port=port,
        server_header=False,
        log_level="info",
        timeout_graceful_shutdown=5,
    )
    return uvicorn.Server(config)


def serve(
    settings: Settings, host: str = "127.0.0.1", port: int = 8000, token: str | None = None
) -> None:
    """Load the assistant and serve the API until interrupted (``rag serve``).

    ``token`` defaults to ``RAG_API_TOKEN``; a non-loopback ``host`` requires one
    (``ApiConfigError`` otherwise, raised before anything is loaded).
    """
    api_settings = load_api_settings(token)
    check_bind(host, port, api_settings.token)
    assistant = Assistant.load(settings)
    assistant.warm_up()  # the model loads while the server starts taking requests
    make_server(assistant, host, port, api_settings).run()
