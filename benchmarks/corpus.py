"""Scaled benchmark corpora, generated offline from the seeds' vocabulary and sentence shapes.

Indonesian news-like articles over seven topics, composed from templates derived from seed
sentences with slots for names, places, numbers, dates and organisations (the words and
templates are data: corpus_templates.toml), laid out in the seeds' four outlet styles; each
parses with a publication date and a publisher. Every article's key person and key figure
are unique in the corpus, so a question naming one (Indonesian or English, with a known
answer) has exactly one right article among dozens sharing its template, place and topic.
Article ``i`` depends only on ``(seed, i)``: a smaller corpus is a prefix of a larger one
(their cached embeddings are shared). A corpus grows until the chunks that ``index.chunking``
would make reach the target size.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import shutil
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from index.articles import parse_article
from index.chunking import chunk_article, embed_text
from index.settings import IndexSettings

GENERATOR_VERSION = 1
"""Bump when the generated text changes: cached embeddings of older corpora stop matching."""

DEFAULT_SEED = 7
DEFAULT_ROOT = Path(__file__).resolve().parents[1] / ".rag" / "bench" / "corpora"
DEFAULT_MAX_CHARS: int = IndexSettings.model_fields["chunk_max_chars"].default
QUESTIONS_PER_SIZE = 200
"""Questions written for each corpus (retrieval uses many; answering a few)."""


@dataclass(frozen=True)
class Topic:
    """One kind of article: sentence templates (str.format, slots from ``_slots``) and the
    questions its unique fact answers."""

    name: str
    abroad: bool
    kickers: tuple[str, ...]
    titles: tuple[str, ...]
    leads: tuple[str, ...]
    facts: tuple[str, ...]  # holds the key person and the key figure
    body: tuple[str, ...]
    quotes: tuple[str, ...]
    closings: tuple[str, ...]
    ask_count_id: str
    ask_count_en: str
    ask_who_id: str
    ask_who_en: str
    caption: str
    draw: str = ""  # a word list of the topic's own (its event, its port) ...
    draw_slots: tuple[str, ...] = ()  # ... and the slots of its entries


def _load_templates(path: Path) -> tuple[dict[str, Any], tuple[Topic, ...], list[dict[str, Any]]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for fields in data["topics"]:  # TOML arrays to tuples: a Topic is frozen
        fields.update({k: tuple(v) for k, v in fields.items() if isinstance(v, list)})
    return data["vocabulary"], tuple(Topic(**fields) for fields in data["topics"]), data["styles"]


WORDS, TOPICS, STYLES = _load_templates(Path(__file__).with_name("corpus_templates.toml"))
"""The generator's word lists by name (``WORDS["regencies"]``), its topics and outlet styles."""


@dataclass(frozen=True)
class BenchQuestion:
    """A question with a known answer held by exactly one article of the corpus."""

    id: str
    question: str
    language: Literal["id", "en"]
    kind: Literal["count", "who"]
    answers: tuple[str, ...]  # aliases of the one answer; any of them in the answer counts
    doc_id: str
    quote: str  # the sentence holding the answer, an exact substring of the article file


@dataclass(frozen=True)
class GeneratedArticle:
    doc_id: str
    text: str
    title: str
    topic: str
    chunk_texts: tuple[str, ...]  # what ingest hands the embedder (title + chunk text)
    questions: tuple[BenchQuestion, ...]  # candidates; a corpus picks some of them


@dataclass(frozen=True)
class Corpus:
    seed: int
    target_chunks: int
    max_chars: int
    articles: tuple[GeneratedArticle, ...]

    @property
    def n_chunks(self) -> int:
        return sum(len(a.chunk_texts) for a in self.articles)

    def chunk_texts(self) -> list[str]:
        return [t for a in self.articles for t in a.chunk_texts]


@dataclass(frozen=True)
class CorpusFiles:
    """A corpus written to disk: ``articles/`` (ingest this), questions and a manifest."""

    root: Path
    seed: int
    n_articles: int
    n_chunks: int

    @property
    def articles_dir(self) -> Path:
        return self.root / "articles"

    @property
    def questions_path(self) -> Path:
        return self.root / "questions.jsonl"

    @property
    def chunk_texts_path(self) -> Path:
        return self.root / "chunk_texts.jsonl"

    def questions(self) -> list[BenchQuestion]:
        return load_questions(self.questions_path)

    def chunk_texts(self) -> list[str]:
        with self.chunk_texts_path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle]


class _Bijection:
    """i -> a distinct value of range(size) for every i < size: (a*i + b) mod size."""

    def __init__(self, size: int, rng: random.Random) -> None:
        self.size = size
        while True:
            self.a = rng.randrange(size // 3, size)
            if math.gcd(self.a, size) == 1:
                break
        self.b = rng.randrange(size)

    def __call__(self, i: int) -> int:
        if not 0 <= i < self.size:
            raise ValueError(f"only {self.size} distinct values, asked for number {i}")
        return (self.a * i + self.b) % self.size


class ArticleFactory:
    """Article ``i`` of the corpus of ``seed``; depends only on (seed, i)."""

    NUMBER_LOW = 1_000
    NUMBER_SPAN = 99_000  # key figures 1.000 .. 99.999

    def __init__(self, seed: int = DEFAULT_SEED, max_chars: int = DEFAULT_MAX_CHARS) -> None:
        self.seed, self.max_chars = seed, max_chars
        rng = random.Random(f"kabar-bench/{GENERATOR_VERSION}/{seed}")
        self._person = _Bijection(
            len(WORDS["first"]) * len(WORDS["middle"]) * len(WORDS["last"]), rng
        )
        self._number = _Bijection(self.NUMBER_SPAN, rng)

    @property
    def capacity(self) -> int:
        return min(self._person.size, self._number.size)

    def key_person(self, i: int, abroad: bool) -> str:
        suffix = "_abroad" if abroad else ""
        first, middle, last = (WORDS[part + suffix] for part in ("first", "middle", "last"))
        a, rest = divmod(self._person(i), len(middle) * len(last))
        b, c = divmod(rest, len(last))
        return f"{first[a]} {middle[b]} {last[c]}"

    def key_number(self, i: int) -> int:
        return self.NUMBER_LOW + self._number(i)

    def article(self, i: int) -> GeneratedArticle:
        rng = random.Random(f"kabar-bench/{GENERATOR_VERSION}/{self.seed}/{i}")
        topic = TOPICS[rng.randrange(len(TOPICS))]
        slots = _slots(rng, topic, self.key_person(i, topic.abroad), self.key_number(i))
        title = rng.choice(topic.titles).format(**slots)
        fact = rng.choice(topic.facts).format(**slots)
        paragraphs = [rng.choice(topic.leads).format(**slots), fact]
        pool = list(topic.body) + list(topic.quotes)
        rng.shuffle(pool)
        paragraphs += [t.format(**slots) for t in pool[: rng.randint(6, 9)]]
        paragraphs.append(rng.choice(topic.closings).format(**slots))
        text = _layout(rng, topic, title, paragraphs, slots)
        doc_id = f"{i:06d}_{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"
        article = parse_article(text, doc_id)
        chunks = chunk_article(article, self.max_chars, "bench")
        chunk_texts = tuple(embed_text(c.text, article.title, True) for c in chunks)
        return GeneratedArticle(
            doc_id=doc_id,
            text=text,
            title=article.title,
            topic=topic.name,
            chunk_texts=chunk_texts,
            questions=_questions(topic, slots, doc_id, fact),
        )


def generate(
    target_chunks: int, seed: int = DEFAULT_SEED, max_chars: int = DEFAULT_MAX_CHARS
) -> Corpus:
    """Articles until their chunks reach ``target_chunks`` (a prefix of every larger size)."""
    if target_chunks <= 0:
        raise ValueError(f"target_chunks must be positive, got {target_chunks}")
    factory = ArticleFactory(seed, max_chars)
    articles: list[GeneratedArticle] = []
    total = 0
    for i in range(factory.capacity):
        articles.append(factory.article(i))
        total += len(articles[-1].chunk_texts)
        if total >= target_chunks:
            break
    else:
        raise ValueError(f"{target_chunks} chunks is more than this generator can make unique")
    return Corpus(seed, target_chunks, max_chars, tuple(articles))


def pick_questions(corpus: Corpus, n: int = QUESTIONS_PER_SIZE) -> list[BenchQuestion]:
    """``n`` questions spread over the corpus, cycling id/en and count/who."""
    rng = random.Random(f"kabar-bench/questions/{corpus.seed}/{corpus.target_chunks}")
    order = list(range(len(corpus.articles)))
    rng.shuffle(order)
    kinds = [("id", "count"), ("en", "count"), ("id", "who"), ("en", "who")]
    picked: list[BenchQuestion] = []
    for position in range(min(n, len(order) * len(kinds))):
        article = corpus.articles[order[position % len(order)]]
        language, kind = kinds[(position + position // len(order)) % len(kinds)]
        picked.extend(q for q in article.questions if q.language == language and q.kind == kind)
    return picked[:n]


def corpus_folder(
    size: int,
    seed: int = DEFAULT_SEED,
    root: Path = DEFAULT_ROOT,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Path:
    """Where the corpus of ``size`` chunks lives (whether or not it has been written yet)."""
    return root / f"s{seed}-n{size}-c{max_chars}"


def ensure_corpus(
    size: int,
    seed: int = DEFAULT_SEED,
    root: Path = DEFAULT_ROOT,
    max_chars: int = DEFAULT_MAX_CHARS,
    progress: Callable[[str], None] | None = None,
) -> CorpusFiles:
    """The corpus of ``size`` chunks under ``root``, generated and written if not there yet."""
    folder = corpus_folder(size, seed, root, max_chars)
    if (manifest_path := folder / "manifest.json").exists():
        manifest = json.loads(manifest_path.read_text())
        if all(manifest.get(k) == v for k, v in _identity(seed, size, max_chars).items()):
            return CorpusFiles(folder, seed, manifest["articles"], manifest["chunks"])
    if progress:
        progress(f"generating the {size}-chunk corpus (seed {seed}) in {folder}")
    return write_corpus(generate(size, seed, max_chars), folder)


def write_corpus(corpus: Corpus, folder: Path) -> CorpusFiles:
    """Write articles, questions, chunk texts and a manifest; replaces ``folder`` atomically."""
    tmp = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "articles").mkdir(parents=True)
    for article in corpus.articles:
        (tmp / "articles" / f"{article.doc_id}.txt").write_text(article.text, encoding="utf-8")
    with (tmp / "questions.jsonl").open("w", encoding="utf-8") as handle:
        for question in pick_questions(corpus):
            handle.write(json.dumps(asdict(question), ensure_ascii=False) + "\n")
    with (tmp / "chunk_texts.jsonl").open("w", encoding="utf-8") as handle:
        for text in corpus.chunk_texts():
            handle.write(json.dumps(text, ensure_ascii=False) + "\n")
    manifest = {
        **_identity(corpus.seed, corpus.target_chunks, corpus.max_chars),
        "articles": len(corpus.articles),
        "chunks": corpus.n_chunks,
        "topics": {t.name: sum(a.topic == t.name for a in corpus.articles) for t in TOPICS},
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    if folder.exists():
        shutil.rmtree(folder)
    os.replace(tmp, folder)
    return CorpusFiles(folder, corpus.seed, len(corpus.articles), corpus.n_chunks)


def _identity(seed: int, size: int, max_chars: int) -> dict[str, int]:
    """What a written corpus must match to be reused (its manifest holds it)."""
    return {"generator_version": GENERATOR_VERSION, "seed": seed, "target_chunks": size,
            "max_chars": max_chars}  # fmt: skip


def load_questions(path: Path) -> list[BenchQuestion]:
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    return [BenchQuestion(**{**row, "answers": tuple(row["answers"])}) for row in rows]


def _slots(rng: random.Random, topic: Topic, person: str, n: int) -> dict[str, str]:
    day = date(2021, 1, 1) + timedelta(days=rng.randrange(4 * 365))
    published = day + timedelta(days=rng.randint(0, 2))
    regency, province = rng.choice(WORDS["regencies"])
    country, country_en, city = rng.choice(WORDS["countries"])
    commodity, commodity_en = rng.choice(WORDS["commodities"])
    firsts, lasts = rng.sample(WORDS["other_first"], 2), rng.sample(WORDS["other_last"], 2)
    other, other2 = (f"{f} {last}" for f, last in zip(firsts, lasts, strict=True))
    slots = {
        "person": person,
        "person_last": person.split()[-1],
        "n": f"{n:,}".replace(",", "."),
        "n_en": f"{n:,}",
        "kab": regency,
        "prov": province,
        "kec": rng.choice(WORDS["kec_head"]) + rng.choice(WORDS["kec_tail"]),
        "country": country,
        "country_en": country_en,
        "city": city,
        "commodity": commodity,
        "Commodity": commodity.title(),
        "commodity_en": commodity_en,
        "other": other,
        "other2": other2,
        "price": str(rng.randint(11, 15)),
        "hari": WORDS["hari"][day.weekday()],
        "tgl": f"{day.day}/{day.month}/{day.year}",
        "bulan": WORDS["bulan"][day.month - 1],
        "shelter": rng.choice(WORDS["shelters"]),
        "YEAR": str(day.year),
        "m1": str(rng.randint(12, 98)),
        "m2": str(rng.randint(101, 990)),
        "m3": str(rng.randint(11, 95)),
        "m4": str(rng.randint(3, 40)),
        "m5": str(rng.randint(2, 14)),
        # publication date and time, for the byline
        "pub_day": str(published.day),
        "pub_dd": f"{published.day:02d}",
        "pub_mm": f"{published.month:02d}",
        "pub_month": WORDS["bulan"][published.month - 1],
        "pub_year": str(published.year),
        "pub_hari": WORDS["hari"][published.weekday()],
        "pub_time": f"{rng.randint(5, 22):02d}:{rng.randrange(60):02d}",
        "tanggal": f"{published.day} {WORDS['bulan'][published.month - 1]} {published.year}",
    }
    if topic.draw:
        words = rng.choice(WORDS[topic.draw])
        slots.update({k: v.format(**slots) for k, v in zip(topic.draw_slots, words, strict=True)})
    for key in ("country", "kab", "event", "prov", "port", "Short"):
        if key in slots:
            slots[key.upper()] = slots[key].upper()
    slots["Event"] = slots.get("Event", "")
    return slots


def _questions(
    topic: Topic, slots: dict[str, str], doc_id: str, fact: str
) -> tuple[BenchQuestion, ...]:
    answers = {"count": (slots["n"], slots["n_en"]), "who": (slots["person"],)}
    short = doc_id.split("_")[0]
    return tuple(
        BenchQuestion(f"{short}-{language}-{kind}",
                      getattr(topic, f"ask_{kind}_{language}").format(**slots),
                      language, kind, answers[kind], doc_id, fact)
        for kind in ("count", "who")
        for language in ("id", "en")
    )  # fmt: skip


def _layout(
    rng: random.Random, topic: Topic, title: str, paragraphs: Sequence[str], s: dict[str, str]
) -> str:
    """The article file in one of the seeds' four outlet styles."""
    caption = topic.caption.format(**s)
    photographer = f"{rng.choice(WORDS['other_first'])} {rng.choice(WORDS['other_last'])}"
    editor = f"{rng.choice(WORDS['other_first'])} {rng.choice(WORDS['other_last'])}"
    wire = rng.choice(WORDS["wires"])
    rubric = "Internasional" if topic.abroad else rng.choice(WORDS["rubrics"])
    style = STYLES[rng.randrange(len(STYLES))]
    capital = "JAKARTA" if topic.abroad else WORDS["capitals"][s["prov"]]
    values = {**s, "title": title, "caption": caption, "caption_bare": caption.rstrip("."),
              "photographer": photographer, "PHOTOGRAPHER": photographer.upper(),
              "editor": editor, "wire": wire, "rubric": rubric, "capital": capital}  # fmt: skip
    for slot, words in style["draws"].items():
        values[slot] = rng.choice(topic.kickers if words == "kickers" else WORDS[words]).format(**s)
    body = list(paragraphs)
    body[0] = style["first"].format(**values) + body[0]
    if style.get("related"):  # 1-3 "Baca Juga" links (cleaning drops them; chunks end there)
        for related in rng.sample(WORDS["related"], rng.randint(1, 3)):
            body.insert(rng.randint(2, len(body) - 1), f"Baca Juga: {related.format(**s)}")
    body[-1] += style.get("last", "").format(**values)
    return style["head"].format(**values) + "\n\n".join(body) + style["tail"].format(**values)
