"""Building the generator the settings name (models load lazily, once per process)."""

from __future__ import annotations

import threading

from rag.generators.base import Generator, LLMGenerator
from rag.generators.errors import GenerationError
from rag.generators.extractive import ExtractiveGenerator
from rag.settings import GeneratorName, Settings

_CACHE: dict[tuple[object, ...], Generator] = {}
_LOCK = threading.Lock()


def make_generator(settings: Settings, name: GeneratorName | None = None) -> Generator:
    """The generator called ``name`` (default ``settings.generator``)."""
    name = name or settings.generator
    if name == "extractive":
        return ExtractiveGenerator()
    if name == "bundled":
        key: tuple[object, ...] = (
            name,
            settings.model,
            str(settings.data_dir),
            settings.n_threads,
            settings.n_ctx,
            settings.max_tokens,
            settings.extra_buffers,
            settings.repeat_penalty,
        )
    elif name == "openai":
        key = (name, settings.openai_base_url, settings.openai_model, settings.max_tokens)
    else:
        raise GenerationError(f"unknown generator {name!r}: use bundled, openai or extractive")
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = _build(settings, name)
        return _CACHE[key]


def _build(settings: Settings, name: str) -> Generator:
    if name == "bundled":
        from rag.generators.bundled import BundledLLM
        from rag.model_files import MODELS, ModelFileError, ensure_model_file

        try:
            path = ensure_model_file(MODELS[settings.model], settings.data_dir, settings.models_dir)
        except ModelFileError as exc:  # callers handle one error type for "no generator"
            raise GenerationError(str(exc)) from exc
        llm = BundledLLM(
            model_path=path,
            n_threads=settings.n_threads,
            n_ctx=settings.n_ctx,
            max_tokens=settings.max_tokens,
            extra_buffers=settings.extra_buffers,
            repeat_penalty=settings.repeat_penalty,
        )
        return LLMGenerator(llm, name="bundled")
    from rag.generators.openai_compat import OpenAICompatibleLLM

    if not settings.openai_base_url or not settings.openai_model:
        raise GenerationError(
            "the openai generator needs RAG_OPENAI_BASE_URL and RAG_OPENAI_MODEL "
            "(e.g. http://127.0.0.1:8080/v1 and the served model's name)"
        )
    remote = OpenAICompatibleLLM(
        base_url=settings.openai_base_url,
        model=settings.openai_model,
        api_key=settings.openai_api_key.get_secret_value() if settings.openai_api_key else None,
        timeout=settings.openai_timeout,
        max_tokens=settings.max_tokens,
    )
    return LLMGenerator(remote, name="openai")
