"""Benchmark the bundled generators on a realistic RAG prompt.

For each bundled model (2 threads by default) this measures the load time, then, for Indonesian
and English questions over four numbered Indonesian evidence sentences taken from seeds/, put in
the project's own prompt (rag.prompts: fixed system prompt, sources, question, "Answer in
<language>"), the prompt size, time to first token, prompt and generation speed and total time:
once with llama.cpp's prompt cache off (the whole prompt is evaluated) and once with it on right
after another question with the same system prompt (so only the system prefix can be reused).
Each measurement is the fastest of --repeats runs, since the machine may be shared; every run
is kept in the JSON with its CPU share (cpu_per_wall, ~n_threads when the machine is idle).

    .venv/bin/python benchmarks/generators.py [--models qwen2.5-coder-0.5b ...] [--repeats 2]

Prints a table and writes benchmarks/results/generators.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from llama_index.core.llms import ChatMessage, MessageRole  # noqa: E402

from rag.answer import Language  # noqa: E402
from rag.evidence import Evidence  # noqa: E402
from rag.generators.bundled import BundledLLM, unload_engines  # noqa: E402
from rag.model_files import MODELS, ensure_model_file  # noqa: E402
from rag.prompts import SYSTEM_PROMPT, user_prompt  # noqa: E402

# Evidence sentences copied verbatim from seeds/: (seed file, publisher or title, published,
# text). In each set one sentence holds the answer and the others are on-topic distractors.
Row = tuple[str, str, str | None, str]
EVIDENCE: dict[str, list[Row]] = {
    "troops": [
        (  # the answer
            "001_2ab3f1254791b14d",
            "Kediaman Presiden dan Balaikota Dibakar, Rusia Kirim Pasukan ke Kazakhstan",
            "2022-01-08T05:06:00+07:00",
            "Sekretaris jenderal aliansi bekas Soviet --Organisasi Perjanjian Keamanan Bersama-- "
            "mengatakan kepada kantor berita RIA bahwa pasukan penjaga perdamaian secara "
            "keseluruhan akan berjumlah sekitar 2.500 orang dan dapat diperkuat jika perlu.",
        ),
        (
            "002_ad13a3f56d3b263b",
            "AS Peringatkan Kazakhstan: Sulit Membuat Pasukan Rusia Pergi",
            "2022-01-08T06:38:00+07:00",
            "Pasukan dari Rusia, Belarus, Armenia, Tajikistan, dan Kirgistan mulai dikerahkan "
            "pada hari Kamis untuk memadamkan kerusuhan, dan Tokayev telah memerintahkan pasukan "
            'keamanan untuk "melepaskan tembakan untuk membunuh teroris tanpa peringatan."',
        ),
        (
            "001_2ab3f1254791b14d",
            "Kediaman Presiden dan Balaikota Dibakar, Rusia Kirim Pasukan ke Kazakhstan",
            "2022-01-08T05:06:00+07:00",
            "Moskow tidak mengungkapkan berapa banyak pasukan yang dikirim, dan tidak mungkin "
            "untuk memastikan apakah ada di antara mereka yang terlibat dalam kerusuhan Kamis.",
        ),
        (
            "004_94ce680aa1d7413e",
            "Media Pakuan",
            "2022-01-16T08:47:00+07:00",
            "Pada saat ini, Kementerian Pertahanan Rusia mengatakan pada hari Sabtu bahwa semua "
            "pesawatnya yang membawa pasukan telah kembali.",
        ),
    ],
    "hospital": [
        (
            "002_ad13a3f56d3b263b",
            "AS Peringatkan Kazakhstan: Sulit Membuat Pasukan Rusia Pergi",
            "2022-01-08T06:38:00+07:00",
            "Kementerian Dalam Negeri Kazakh mengumumkan bahwa 26 pengunjuk rasa telah "
            "kehilangan nyawa mereka, dan 18 lainnya terluka dalam demonstrasi anti-pemerintah.",
        ),
        (  # the answer
            "004_94ce680aa1d7413e",
            "Media Pakuan",
            "2022-01-16T08:47:00+07:00",
            "Seorang juru bicara kementerian kesehatan, Asel Artakshinova mengatakan bahwa lebih "
            "dari 2.600 orang mencari perawatan dari rumah sakit sekitar, yang 67 diantaranya "
            "mengalami kondisi yang sangat serius.",
        ),
        (
            "004_94ce680aa1d7413e",
            "Media Pakuan",
            "2022-01-16T08:47:00+07:00",
            '"Selama keadaan darurat, 225 jenazah telah dikirim ke kamar mayat, 19 di antaranya '
            'adalah petugas penegak hukum dan personel militer"',
        ),
        (
            "003_53e9011b749ad847",
            "Radartasik.com",
            None,
            "Protes itu terjadi karena melonjaknya harga bahan bakar gas cair dimulai pada hari "
            "Minggu (2/1/2022) dan meningkat dengan demonstran membakar mobil polisi, menyerbu "
            "gedung-gedung pemerintah, membakar istana presiden, dan merebut bandara "
            "internasional di Almaty.",
        ),
    ],
}

CASES: list[dict[str, Any]] = [
    {
        "id": "troops-id",
        "language": "id",
        "evidence": "troops",
        "question": "Berapa jumlah pasukan penjaga perdamaian CSTO yang dikirim ke Kazakhstan?",
        "expected": "sekitar 2.500 orang [1]",
    },
    {
        "id": "hospital-en",
        "language": "en",
        "evidence": "hospital",
        "question": "How many people sought hospital treatment during the unrest in Kazakhstan?",
        "expected": "more than 2,600 (67 in very serious condition) [2]",
    },
    {
        "id": "hospital-id",
        "language": "id",
        "evidence": "hospital",
        "question": "Berapa orang yang mencari perawatan di rumah sakit selama kerusuhan?",
        "expected": "lebih dari 2.600 orang (67 kondisi sangat serius) [2]",
    },
    {
        "id": "troops-en",
        "language": "en",
        "evidence": "troops",
        "question": "How large is the CSTO peacekeeping force sent to Kazakhstan?",
        "expected": "about 2,500 troops [1]",
    },
]

# Primes the slot's cache with the system prompt but nothing else the measured prompts share.
PRIMER: list[Row] = [
    (
        "003_53e9011b749ad847",
        "Radartasik.com",
        None,
        "Tokayev telah bersumpah akan memberikan tanggapan yang keras atas tindakan para "
        "demonstran.",
    )
]
PRIMER_QUESTION = "Apa kata Tokayev tentang para demonstran?"


def evidence_of(rows: list[Row]) -> list[Evidence]:
    return [
        Evidence(
            doc_id=doc_id,
            title=publisher,
            published=published,
            publisher=publisher,
            text=text,
            start=0,
            end=len(text),
            score=1.0,
            similarity=1.0,
            passage_rank=rank,
        )
        for rank, (doc_id, publisher, published, text) in enumerate(rows)
    ]


def messages_for(rows: list[Row], question: str, language: Language) -> list[ChatMessage]:
    """The project's own prompt (rag.prompts), as the assistant would send it."""
    user = user_prompt(question, evidence_of(rows), language, conflict=False)
    return [
        ChatMessage(role=MessageRole.SYSTEM, content=SYSTEM_PROMPT),
        ChatMessage(role=MessageRole.USER, content=user),
    ]


def cpu_pressure() -> float | None:
    """Linux PSI: % of the last 10 s some runnable task waited for a CPU (other load)."""
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    fields = dict(item.split("=") for item in line.split()[1:])
    return float(fields["avg10"])


def wait_for_quiet(max_pressure: float, timeout: float) -> float:
    """Wait until other processes leave the CPUs alone (PSI avg10 <= max_pressure) or timeout.

    Returns the seconds waited. Without PSI (not Linux) it returns at once.
    """
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        pressure = cpu_pressure()
        if pressure is None or pressure <= max_pressure:
            break
        time.sleep(2.0)
    return round(time.perf_counter() - started, 1)


def run_once(llm: BundledLLM, messages: list[ChatMessage], cache_prompt: bool) -> dict[str, Any]:
    cpu_started = time.process_time()
    started = time.perf_counter()
    first_token = None
    text = ""
    info: dict[str, Any] = {}
    for piece in llm.stream_chat(messages, cache_prompt=cache_prompt):
        if piece.delta and first_token is None:
            first_token = time.perf_counter() - started
        text = piece.message.content or ""
        info = piece.additional_kwargs
    total = time.perf_counter() - started
    cpu_used = time.process_time() - cpu_started
    timings = info.get("timings", {})
    evaluated = int(timings.get("prompt_n", 0))
    cached = int(timings.get("cache_n", 0))
    return {
        "text": text,
        "finish_reason": info.get("finish_reason"),
        "prompt_tokens": evaluated + cached,
        "prompt_tokens_evaluated": evaluated,
        "prompt_tokens_cached": cached,
        "ttft_s": round(first_token if first_token is not None else total, 3),
        "prompt_tok_s": round(float(timings.get("prompt_per_second", 0.0)), 1),
        "generated_tokens": int(timings.get("predicted_n", 0)),
        "gen_tok_s": round(float(timings.get("predicted_per_second", 0.0)), 1),
        "total_s": round(total, 3),
        # CPU seconds this process got per wall second: about n_threads when the machine is
        # otherwise idle, lower when other processes compete for the cores.
        "cpu_per_wall": round(cpu_used / total, 2) if total else 0.0,
        "cpu_pressure_avg10": cpu_pressure(),
    }


def best_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest of the repeats (the machine is shared: slower runs measure other load), with
    the spread of total times and all runs kept."""
    best = dict(min(runs, key=lambda r: r["total_s"]))
    best["total_s_median"] = round(statistics.median(r["total_s"] for r in runs), 3)
    best["repeats"] = [dict(r) for r in runs]
    return best


def bench_model(
    name: str,
    data_dir: Path,
    threads: int,
    max_tokens: int,
    repeats: int,
    quiet: tuple[float, float] = (100.0, 0.0),
) -> dict[str, Any]:
    spec = MODELS[name]
    path = ensure_model_file(spec, data_dir)
    llm = BundledLLM(path, n_threads=threads, n_ctx=4096, max_tokens=max_tokens)
    wait_for_quiet(*quiet)
    load_s = llm.load().load_seconds
    results: list[dict[str, Any]] = []
    primer = messages_for(PRIMER, PRIMER_QUESTION, "id")
    for case in CASES:
        messages = messages_for(EVIDENCE[case["evidence"]], case["question"], case["language"])
        for mode in ("no-cache", "cached-system-prefix"):
            runs = []
            for _ in range(repeats):
                waited = wait_for_quiet(*quiet)
                if mode == "cached-system-prefix":
                    llm.chat(primer, max_tokens=1)
                run = run_once(llm, messages, cache_prompt=mode != "no-cache")
                run["waited_for_quiet_s"] = waited
                runs.append(run)
            row = best_run(runs)
            row.update(case=case["id"], language=case["language"], mode=mode)
            row["question"] = case["question"]
            row["expected"] = case["expected"]
            results.append(row)
            print(
                f"  {name} {case['id']:<12} {mode:<21} {row['total_s']:6.2f} s "
                f"(cpu/wall {row['cpu_per_wall']:.2f})",
                flush=True,
            )
    unload_engines()
    return {
        "model": name,
        "file": str(path),
        "threads": threads,
        "load_s": round(load_s, 3),
        "runs": results,
    }


def print_table(report: dict[str, Any]) -> None:
    header = (
        f"{'model':<19} {'case':<12} {'cache':<8} {'load s':>6} {'prompt':>6} {'cached':>6} "
        f"{'TTFT s':>6} {'pp t/s':>6} {'gen':>4} {'tg t/s':>6} {'total s':>7} {'cpu/w':>5}"
        "  finish"
    )
    print(header)
    print("-" * len(header))
    for model in report["models"]:
        for row in model["runs"]:
            cache = "prefix" if row["mode"] == "cached-system-prefix" else "off"
            print(
                f"{model['model']:<19} {row['case']:<12} {cache:<8} {model['load_s']:>6.2f} "
                f"{row['prompt_tokens']:>6.0f} {row['prompt_tokens_cached']:>6.0f} "
                f"{row['ttft_s']:>6.2f} {row['prompt_tok_s']:>6.1f} "
                f"{row['generated_tokens']:>4.0f} {row['gen_tok_s']:>6.1f} "
                f"{row['total_s']:>7.2f} {row['cpu_per_wall']:>5.2f}  {row['finish_reason']}"
            )
    print()
    for model in report["models"]:
        for row in model["runs"]:
            if row["mode"] == "cached-system-prefix":
                print(f"[{model['model']} | {row['case']}] {row['question']}")
                print(f"  expected: {row['expected']}")
                print(f"  answer:   {row['text'].strip()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=160)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--data-dir", type=Path, default=ROOT / ".rag")
    parser.add_argument(
        "--max-pressure",
        type=float,
        default=25.0,
        help="before each run wait until Linux CPU pressure (PSI some avg10, %%) is at most this",
    )
    parser.add_argument("--wait-timeout", type=float, default=300.0, help="seconds, per run")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "benchmarks" / "results" / "generators.json"
    )
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be >= 1")

    report: dict[str, Any] = {
        "machine": {"platform": platform.platform(), "python": platform.python_version()},
        "system_prompt": SYSTEM_PROMPT,
        "max_tokens": args.max_tokens,
        "models": [],
    }
    for name in args.models:
        print(f"benchmarking {name} ...", flush=True)
        report["models"].append(
            bench_model(
                name,
                args.data_dir,
                args.threads,
                args.max_tokens,
                args.repeats,
                quiet=(args.max_pressure, args.wait_timeout),
            )
        )
    print()
    print_table(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
