"""Choosing llama.cpp's configuration: trials in child processes, the fastest that works."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from rag.generators import runtime
from rag.generators.runtime import (
    RuntimeChoice,
    RuntimeConfig,
    Trial,
    build_label,
    choose_runtime,
    pick,
    run_trial,
)
from rag.model_files import MODELS, ensure_model_file
from rag.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
PLAIN, EXTRA = RuntimeConfig(False), RuntimeConfig(True)
NATIVE_INFO = (
    "CPU : SSE3 = 1 | AVX2 = 1 | AVX512 = 1 | AVX512_VNNI = 1 | AMX_INT8 = 1 | REPACK = 1 |"
)
PREBUILT_INFO = "CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | REPACK = 1 |"


def test_the_fastest_typical_answer_wins() -> None:
    trials = [Trial(PLAIN, True, 280.0, 29.0), Trial(EXTRA, True, 170.0, 37.0)]
    # 400/280 + 30/29 = 2.46 s against 400/170 + 30/37 = 3.16 s
    assert pick(trials, "native", NATIVE_INFO).config == PLAIN
    trials = [Trial(PLAIN, True, 100.0, 8.0), Trial(EXTRA, True, 400.0, 12.0)]
    assert pick(trials, "native", NATIVE_INFO).config == EXTRA


def test_a_configuration_that_crashed_is_never_chosen() -> None:
    trials = [Trial(PLAIN, True, 100.0, 8.0), Trial(EXTRA, False, error="killed by signal 11")]
    choice = pick(trials, "native", NATIVE_INFO)
    assert choice.config == PLAIN
    assert "extra buffers (repack/AMX) failed: killed by signal 11" in choice.reason


def test_when_every_trial_fails_plain_buffers_are_loaded_and_the_reason_kept() -> None:
    trials = [Trial(PLAIN, False, error="exit code 1"), Trial(EXTRA, False, error="timeout")]
    choice = pick(trials, "prebuilt", PREBUILT_INFO)
    assert choice.config == PLAIN
    assert choice.reason.startswith("no trial ran")


def test_a_child_killed_by_a_segfault_is_a_failed_trial(tmp_path: Path) -> None:
    crash = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"]
    trial = run_trial(tmp_path / "model.gguf", 2, EXTRA, command=crash)
    assert not trial.ok
    assert trial.error.startswith("killed by signal 11")
    assert trial.typical_answer_s == float("inf")


def test_a_child_that_prints_nonsense_is_a_failed_trial(tmp_path: Path) -> None:
    trial = run_trial(tmp_path / "m.gguf", 2, PLAIN, command=[sys.executable, "-c", "print(1)"])
    assert not trial.ok and "unreadable trial output" in trial.error


def test_build_labels_name_the_instruction_sets() -> None:
    assert build_label(NATIVE_INFO) == "native (AVX512, AVX512_VNNI, AMX_INT8)"
    assert build_label(PREBUILT_INFO) == "prebuilt (AVX2)"


def test_a_choice_survives_its_json_form() -> None:
    choice = RuntimeChoice(PLAIN, "native (AVX512)", NATIVE_INFO, (Trial(EXTRA, False, error="x"),))
    assert RuntimeChoice.from_dict(json.loads(json.dumps(choice.to_dict()))) == choice


def test_a_forced_setting_runs_no_trial(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(runtime, "run_trial", pytest.fail)
    choice = choose_runtime(tmp_path / "m.gguf", 2, extra_buffers="on")
    assert choice.config == EXTRA and choice.reason == "RAG_EXTRA_BUFFERS=on"


def test_the_default_loads_plain_buffers_without_trials(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Plain buffers were the fastest or within 2% on every machine measured; the trials
    would cost the first question about 23 s."""
    monkeypatch.delenv("RAG_EXTRA_BUFFERS", raising=False)
    monkeypatch.setattr(runtime, "run_trial", pytest.fail)
    choice = choose_runtime(tmp_path / "m.gguf", 2, Settings().extra_buffers)
    assert choice.config == PLAIN and choice.reason == "RAG_EXTRA_BUFFERS=off"


@pytest.mark.slow
def test_the_real_model_gets_a_working_configuration_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Trials of both configurations on this machine; the choice is stored next to the model,
    so the next load runs no trial."""
    source = ensure_model_file(MODELS["qwen2.5-coder-0.5b"], ROOT / ".rag")
    model = tmp_path / source.name
    model.symlink_to(source)
    choice = choose_runtime(model, 2, "auto")
    assert {t.config for t in choice.trials} == {PLAIN, EXTRA}
    assert any(t.ok for t in choice.trials), choice.reason
    chosen = next(t for t in choice.trials if t.config == choice.config)
    assert chosen.ok and chosen.prompt_tps > 0 and chosen.generation_tps > 0
    monkeypatch.setattr(runtime, "run_trial", pytest.fail)
    assert choose_runtime(model, 2, "auto") == choice


def test_a_build_compiled_here_for_an_avx2_cpu_is_native() -> None:
    """The wheel's platform tag tells how it came; AVX-512 is no sign of it on an AVX2 CPU."""
    assert build_label(PREBUILT_INFO, compiled=True) == "native (AVX2)"
    assert build_label(PREBUILT_INFO, compiled=False) == "prebuilt (AVX2)"
    assert build_label(NATIVE_INFO, compiled=True) == "native (AVX512, AVX512_VNNI, AMX_INT8)"


@pytest.mark.parametrize(
    ("tag", "compiled"),
    [
        ("cp310-abi3-linux_x86_64", True),
        ("cp310-abi3-manylinux_2_28_x86_64", False),
        ("cp310-abi3-musllinux_1_2_x86_64", False),
    ],
)
def test_the_wheel_tag_says_whether_llama_cpp_was_compiled_here(
    monkeypatch: pytest.MonkeyPatch, tag: str, compiled: bool
) -> None:
    class Dist:
        def read_text(self, name: str) -> str:
            assert name == "WHEEL"
            return f"Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: {tag}\n"

    monkeypatch.setattr("importlib.metadata.distribution", lambda _name: Dist())
    assert runtime.compiled_here() is compiled


def test_without_a_record_of_the_install_the_build_is_unknown() -> None:
    assert runtime.compiled_here("no-such-distribution-here") is None


def test_a_stored_choice_is_shown_with_the_build_as_labelled_now(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Choices stored before the wheel tag was read called a build compiled here "prebuilt"."""
    monkeypatch.setattr(runtime, "system_info", lambda: PREBUILT_INFO)
    monkeypatch.setattr(runtime, "compiled_here", lambda: True)
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    old = RuntimeChoice(PLAIN, "prebuilt (AVX2)", PREBUILT_INFO, reason="52 prompt tokens/s")
    runtime.choice_path(model, 2, PREBUILT_INFO).write_text(json.dumps(old.to_dict()))

    stored = runtime.stored_choice(model, 2)

    assert stored is not None and stored.build == "native (AVX2)"
    assert stored.config == PLAIN and stored.reason == old.reason
