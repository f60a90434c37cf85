"""How llama.cpp runs the bundled model: plain buffers by default, or, with
``RAG_EXTRA_BUFFERS=auto``, the configuration a trial on this machine chose (a trial may crash).

llama.cpp can load the weights into "extra buffer types": repacked Q4_K blocks for its
AVX2/AVX-512 GEMM kernels (CPU_REPACK) and, on Intel CPUs with AMX, tile buffers for the AMX
kernels. Which is faster depends on the CPU, and one of them can kill the process: on the
virtualised Xeons this project also runs on, the AMX kernels die with a general-protection
fault at their first ``ldtilecfg`` although the kernel grants AMX (issue #19). A segfault
cannot be caught inside the process, so each candidate configuration is tried in a child
process (``python -m rag.generators.runtime --trial``): it loads the model, evaluates a short
prompt twice and generates a few tokens. A configuration whose child crashes or hangs is
never used. Of those that work, the one with the shortest time for a typical answer
(``TYPICAL_PROMPT_TOKENS`` new prompt tokens, ``TYPICAL_ANSWER_TOKENS`` generated) wins:
on one 2-core AMD EPYC (AVX-512, no AMX), plain buffers evaluate prompts at ~280 tokens/s
against ~170 repacked, and generate at ~29 against ~37 tokens/s, so plain wins by about a
third of a typical answer (``python -m benchmarks.runtime``).

The choice is stored next to the model file, keyed by everything that can change it (the
llama.cpp build, the CPU features it was built with, the model file, the thread count), so
the trials (about 23 s on two cores) run once per machine and build, not at every start.
``rag stats`` shows it.

The trials run only with ``RAG_EXTRA_BUFFERS=auto``. The default is "off" (plain buffers):
on every machine measured they were the fastest or within 2% of it, and they never crashed
(docs/DESIGN.md, "The llama.cpp runtime"), so the trials cost a new user's first question
about 23 s and bought nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

logger = logging.getLogger(__name__)

ExtraBuffers = Literal["auto", "on", "off"]

TYPICAL_PROMPT_TOKENS = 400
TYPICAL_ANSWER_TOKENS = 30
TRIAL_TIMEOUT_S = 180.0
_TRIAL_PROMPT = (
    "Sumber: Presiden Kassym-Jomart Tokayev meminta bantuan Organisasi Perjanjian Keamanan "
    "Kolektif (CSTO) setelah protes atas kenaikan harga bahan bakar gas cair berubah menjadi "
    "kerusuhan di Almaty. Pasukan penjaga perdamaian secara keseluruhan akan berjumlah "
    "sekitar 2.500 orang dan dapat diperkuat jika perlu, kata sekretaris jenderal aliansi "
    "kepada kantor berita RIA. Kementerian Kesehatan menyebut lebih dari 1.000 orang terluka "
    "dan hampir 400 orang dirawat di rumah sakit. "
)


@dataclass(frozen=True)
class RuntimeConfig:
    """The llama.cpp settings a trial decides between."""

    extra_buffers: bool
    """Load weights into llama.cpp's extra buffer types (CPU_REPACK, AMX) where it has them."""

    @property
    def label(self) -> str:
        return "extra buffers (repack/AMX)" if self.extra_buffers else "plain buffers"

    def apply(self, params: Any) -> None:
        """Set this configuration on an ``xllamacpp.CommonParams``."""
        params.no_extra_bufts = not self.extra_buffers


CANDIDATES: tuple[RuntimeConfig, ...] = (RuntimeConfig(False), RuntimeConfig(True))


@dataclass(frozen=True)
class Trial:
    """One candidate's trial: did it run, and how fast (tokens/s)."""

    config: RuntimeConfig
    ok: bool
    prompt_tps: float = 0.0
    generation_tps: float = 0.0
    error: str = ""

    @property
    def typical_answer_s(self) -> float:
        """Seconds for a typical answer: its new prompt tokens, then its generated tokens."""
        if not self.ok or self.prompt_tps <= 0 or self.generation_tps <= 0:
            return float("inf")
        return TYPICAL_PROMPT_TOKENS / self.prompt_tps + TYPICAL_ANSWER_TOKENS / self.generation_tps


@dataclass(frozen=True)
class RuntimeChoice:
    """The configuration the bundled model runs with, and why."""

    config: RuntimeConfig
    build: str  # "native (AVX512 ...)", "prebuilt (AVX2)": `build_label`, labelled at each load
    system_info: str
    trials: tuple[Trial, ...] = ()
    reason: str = ""
    chosen_at: float = field(default_factory=time.time)

    def describe(self) -> str:
        """One line for logs and ``rag stats``."""
        return f"{self.config.label}, {self.build}" + (f" ({self.reason})" if self.reason else "")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RuntimeChoice:
        trials = tuple(
            Trial(**{**t, "config": RuntimeConfig(**t["config"])}) for t in data.get("trials", [])
        )
        return cls(
            config=RuntimeConfig(**data["config"]),
            build=str(data["build"]),
            system_info=str(data["system_info"]),
            trials=trials,
            reason=str(data.get("reason", "")),
            chosen_at=float(data.get("chosen_at", 0.0)),
        )


def system_info() -> str:
    """llama.cpp's own list of the CPU features it was compiled for."""
    import xllamacpp

    return str(xllamacpp.get_system_info()).strip()


def compiled_here(distribution: str = "xllamacpp") -> bool | None:
    """Was the installed llama.cpp binding compiled on a machine (``scripts/install_runtime.sh``)
    rather than installed as PyPI's prebuilt wheel? None if pip's record does not say.

    A wheel built locally carries the bare platform tag ``linux_x86_64``, which PyPI does not
    accept; its own wheels are tagged ``manylinux_*`` (or ``musllinux_*``, ``macosx_*``,
    ``win_*``). The CPU features alone cannot tell: a build compiled for an AVX2-only CPU
    lists the same features as the prebuilt wheel.
    """
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import distribution as find

    try:
        wheel = find(distribution).read_text("WHEEL") or ""
    except PackageNotFoundError:
        return None
    tags = [line.split(":", 1)[1].strip() for line in wheel.splitlines() if line.startswith("Tag:")]
    if not tags:
        return None
    return not any(re.search(r"-(manylinux|musllinux|macosx|win)", tag) for tag in tags)


def build_label(info: str, compiled: bool | None = None) -> str:
    """'native (AVX512, AVX512_VNNI, AMX_INT8)', 'native (AVX2)' or 'prebuilt (AVX2)': how the
    build came (``compiled_here``; if unknown, only a build with AVX-512 or AMX is taken for
    a native one) and the instruction sets it uses."""
    flags = [
        f
        for f in ("AVX2", "AVX512", "AVX512_VNNI", "AVX512_BF16", "AMX_INT8")
        if f"{f} = 1" in info
    ]
    if compiled is None:
        compiled = "AVX512 = 1" in info or "AMX_INT8 = 1" in info
    shown = [f for f in flags if f != "AVX2"] if "AVX512" in flags else flags
    return f"{'native' if compiled else 'prebuilt'} ({', '.join(shown) or 'no SIMD'})"


def choice_path(model_path: Path, n_threads: int, info: str) -> Path:
    """Where the choice for this model, thread count and llama.cpp build is stored."""
    import xllamacpp

    stat = model_path.stat()
    key = json.dumps(
        [getattr(xllamacpp, "__version__", ""), info, model_path.name, stat.st_size, n_threads]
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return model_path.parent / f"runtime-{model_path.stem}-{digest}.json"


def stored_choice(model_path: Path, n_threads: int) -> RuntimeChoice | None:
    """The choice made earlier on this machine, if any (no trial is run), with the build
    labelled as it is now (choices stored before stop 32 called every AVX2 build "prebuilt")."""
    info = system_info()
    try:
        path = choice_path(model_path, n_threads, info)
        stored = RuntimeChoice.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return replace(stored, build=build_label(info, compiled_here()))


def choose_runtime(model_path: Path, n_threads: int, extra_buffers: ExtraBuffers) -> RuntimeChoice:
    """The configuration to load ``model_path`` with: set by ``extra_buffers`` ("off", the
    default, or "on"), or, for "auto", the stored choice, or the fastest that survives its
    trial."""
    info = system_info()
    build = build_label(info, compiled_here())
    if extra_buffers != "auto":
        forced = RuntimeConfig(extra_buffers == "on")
        return RuntimeChoice(forced, build, info, reason=f"RAG_EXTRA_BUFFERS={extra_buffers}")
    stored = stored_choice(model_path, n_threads)
    if stored is not None:
        return stored
    started = time.perf_counter()
    trials = tuple(run_trial(model_path, n_threads, c) for c in CANDIDATES)
    choice = pick(trials, build, info)
    logger.info(
        "llama.cpp configuration chosen in %.1f s: %s",
        time.perf_counter() - started,
        choice.describe(),
    )
    _store(choice_path(model_path, n_threads, info), choice)
    return choice


def pick(trials: Sequence[Trial], build: str, info: str) -> RuntimeChoice:
    """The trial with the fastest typical answer; plain buffers if every trial failed (the
    parent process then loads the model itself and reports what llama.cpp says)."""
    working = [t for t in trials if t.ok]
    if not working:
        errors = "; ".join(f"{t.config.label}: {t.error}" for t in trials)
        reason = f"no trial ran: {errors}"
        return RuntimeChoice(RuntimeConfig(False), build, info, tuple(trials), reason)
    best = min(working, key=lambda t: t.typical_answer_s)
    failed = [t for t in trials if not t.ok]
    reason = f"{best.prompt_tps:.0f} prompt / {best.generation_tps:.0f} generated tokens/s"
    if failed:
        reason += "; " + ", ".join(f"{t.config.label} failed: {t.error}" for t in failed)
    return RuntimeChoice(best.config, build, info, tuple(trials), reason)


def run_trial(
    model_path: Path,
    n_threads: int,
    config: RuntimeConfig,
    command: Sequence[str] | None = None,
) -> Trial:
    """Run one configuration in a child process; a crash or a hang is a failed trial.

    ``command`` replaces the child's command line (tests use it to crash on purpose).
    """
    request = {"model": str(model_path), "n_threads": n_threads, "config": asdict(config)}
    if command is None:
        command = [sys.executable, "-m", "rag.generators.runtime", "--trial", json.dumps(request)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=TRIAL_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        return Trial(config, False, error=f"no result within {TRIAL_TIMEOUT_S:.0f} s")
    if done.returncode != 0:
        how = (
            f"killed by signal {-done.returncode}"
            if done.returncode < 0
            else f"exit code {done.returncode}"
        )
        last = (done.stderr.strip().splitlines() or [""])[-1][:200]
        return Trial(config, False, error=f"{how}{': ' + last if last else ''}")
    try:
        result = json.loads(done.stdout.strip().splitlines()[-1])
        return Trial(config, True, float(result["prompt_tps"]), float(result["generation_tps"]))
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        return Trial(config, False, error=f"unreadable trial output ({exc})")


def _trial(model: str, n_threads: int, config: RuntimeConfig) -> dict[str, float]:
    """In the child: load, evaluate the prompt twice (the faster counts), generate 16 tokens."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = model
    params.n_ctx = 1024
    params.n_parallel = 1
    params.cpuparams.n_threads = n_threads
    params.cpuparams_batch.n_threads = n_threads
    params.cache_prompt = False
    params.load_mode = xllamacpp.llama_load_mode.LLAMA_LOAD_MODE_NONE
    params.verbosity = -1
    config.apply(params)
    server = xllamacpp.Server(params)
    prompt_tps = 0.0
    for n in range(2):
        timings = server.handle_completions(
            {"prompt": f"{n} {_TRIAL_PROMPT * 3}", "n_predict": 1, "temperature": 0}
        )["timings"]
        prompt_tps = max(prompt_tps, float(timings["prompt_per_second"]))
    timings = server.handle_completions(
        {"prompt": "Ringkas berita itu.", "n_predict": 16, "ignore_eos": True, "temperature": 0}
    )["timings"]
    return {"prompt_tps": prompt_tps, "generation_tps": float(timings["predicted_per_second"])}


def _store(path: Path, choice: RuntimeChoice) -> None:
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".runtime-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(choice.to_dict(), f, indent=2)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only models dir: the trials run again next time
        logger.warning("could not store the llama.cpp configuration in %s: %s", path, exc)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "--trial":
        sys.exit("usage: python -m rag.generators.runtime --trial '<json request>'")
    req = json.loads(sys.argv[2])
    print(json.dumps(_trial(req["model"], int(req["n_threads"]), RuntimeConfig(**req["config"]))))
