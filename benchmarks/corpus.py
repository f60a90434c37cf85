"""Scaled benchmark corpora, generated offline from the seeds' vocabulary and sentence shapes.

    .venv/bin/python -m benchmarks.corpus --size 10000 [--seed 7] [--root .rag/bench/corpora]

The five seed articles are too few to measure anything that grows with the corpus. This
module composes Indonesian news-like articles from templates derived from seed sentences
("Seorang juru bicara kementerian kesehatan, Asel Artakshinova mengatakan bahwa lebih dari
2.600 orang mencari perawatan ...") with slots for names, places, numbers, dates and
organisations, over seven topics (unrest abroad as in the seeds, floods, security
deployments, rice distribution, immunisation, ferry traffic, voter lists). The files look
like the seeds (title, a date/byline line, photo caption, dateline, paragraphs, "Baca Juga"
links, credit lines, page footer) in four outlet styles, and each parses with a publication
date and a publisher.

Every article carries unique facts: its key person (three-part name) and its key figure (a
number from 1.000 to 99.999) are distinct across the whole corpus, so a question naming one
has exactly one right article, while dozens of articles share its template, place and topic
(retrieval is not trivial). Questions with known answers, in Indonesian and English, are
derived from those facts.

Generation is deterministic by seed: article ``i`` depends only on ``(seed, i)``, so the
corpus of a smaller size is a prefix of a larger one (their embeddings are shared in the
benchmark cache). A corpus grows article by article until the chunks that
``index.chunking`` would make reach the target size.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from index.articles import parse_article
from index.chunking import chunk_article, embed_text
from index.settings import IndexSettings

GENERATOR_VERSION = 1
"""Bump when the generated text changes: cached embeddings of older corpora stop matching."""

DEFAULT_SEED = 7
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ROOT = ROOT / ".rag" / "bench" / "corpora"
DEFAULT_MAX_CHARS: int = IndexSettings.model_fields["chunk_max_chars"].default
QUESTIONS_PER_SIZE = 200
"""Questions written for each corpus (retrieval uses many; answering a few)."""

Language = Literal["id", "en"]

# --- Vocabulary ------------------------------------------------------------------------------

HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip

# Key persons: three-part names, one combination per article (40**3 = 64,000 of them).
FIRST = (
    "Agus", "Ahmad", "Andi", "Arief", "Bambang", "Bayu", "Budi", "Dedi", "Dewi", "Dian",
    "Eko", "Fajar", "Fitri", "Gita", "Hadi", "Hendra", "Indra", "Irwan", "Joko", "Kurnia",
    "Lestari", "Maya", "Muhammad", "Novi", "Nur", "Putri", "Rahmat", "Ratna", "Rina", "Rizky",
    "Rudi", "Siti", "Slamet", "Sri", "Teguh", "Wahyu", "Wulan", "Yanto", "Yuni", "Zainal",
)  # fmt: skip
MIDDLE = (
    "Hartono", "Setiawan", "Prasetyo", "Kurniawan", "Santoso", "Wibowo", "Saputra", "Hidayat",
    "Nugroho", "Purnomo", "Susanto", "Gunawan", "Rahman", "Firmansyah", "Wijaya", "Permana",
    "Ramadhan", "Syahputra", "Maulana", "Pratama", "Utomo", "Wahyudi", "Sutrisno", "Suryana",
    "Hakim", "Iskandar", "Kusuma", "Lesmana", "Mahendra", "Nugraha", "Pamungkas", "Rachmat",
    "Sasmita", "Subagyo", "Sulistyo", "Triyono", "Wardana", "Yulianto", "Zulkarnain", "Anwar",
)  # fmt: skip
LAST = (
    "Siregar", "Nasution", "Harahap", "Lubis", "Simanjuntak", "Sinaga", "Tanjung", "Pohan",
    "Daulay", "Hutapea", "Manurung", "Sitompul", "Panjaitan", "Pardede", "Situmorang",
    "Tambunan", "Latuconsina", "Rumbiak", "Mandagi", "Tumbelaka", "Wenas", "Pattiasina",
    "Sembiring", "Ginting", "Tarigan", "Sitepu", "Hasibuan", "Rangkuti", "Batubara",
    "Matondang", "Saragih", "Purba", "Damanik", "Napitupulu", "Sihombing", "Silalahi",
    "Marpaung", "Hutagalung", "Gultom", "Sianturi",
)  # fmt: skip
FIRST_ABROAD = (
    "Aigerim", "Arman", "Askar", "Aliya", "Bakyt", "Daniyar", "Dinara", "Erlan", "Gulnara",
    "Kairat", "Madina", "Marat", "Nurlan", "Ruslan", "Saule", "Serik", "Timur", "Yerlan",
    "Zarina", "Azamat", "Bolat", "Dana", "Galym", "Indira", "Kanat", "Laura", "Aidos", "Almas",
    "Asel", "Dauren", "Elmira", "Nazira", "Olzhas", "Rustem", "Samal", "Talgat", "Zhanna",
    "Ayan", "Botagoz", "Yerzhan",
)  # fmt: skip
MIDDLE_ABROAD = (
    "Ali", "Amir", "Bek", "Dias", "Emil", "Farid", "Hasan", "Ilyas", "Jamal", "Karim", "Lev",
    "Malik", "Nabi", "Omar", "Pavel", "Rafael", "Said", "Tahir", "Umar", "Vadim", "Yusuf",
    "Zaur", "Arif", "Bahrom", "Daler", "Eldor", "Farkhod", "Gani", "Ilkhom", "Jasur", "Kamol",
    "Lutfi", "Murod", "Nodir", "Orif", "Parviz", "Rustam", "Sanjar", "Tolib", "Ulugbek",
)  # fmt: skip
LAST_ABROAD = (
    "Abenov", "Seitkali", "Nurlanov", "Zhaksybekov", "Ospanov", "Bekov", "Karimov", "Rakhimov",
    "Iskakov", "Mukhametov", "Sadykov", "Temirov", "Umarov", "Yusupov", "Aliyev", "Bakirov",
    "Dzhumaev", "Ergashev", "Fayzullaev", "Gafurov", "Khasanov", "Ibragimov", "Kasymov",
    "Latipov", "Mirzaev", "Nazarov", "Otabekov", "Rashidov", "Safarov", "Tursunov", "Usmanov",
    "Valiev", "Khodjaev", "Yuldashev", "Zakirov", "Akhmetov", "Baimukhanov", "Dosanov",
    "Esenov", "Kuanyshev",
)  # fmt: skip
# Secondary people (quoted officials, editors, photographers): two-part names, never equal to a
# key person's three-part name.
OTHER_FIRST = (
    "Adi", "Hary", "Akhyar", "Yoga", "Aditya", "Rini", "Tono", "Dimas", "Galih", "Intan",
    "Lukman", "Mega", "Nanda", "Oki", "Prima", "Reza", "Sinta", "Tirta", "Umi", "Vina",
)  # fmt: skip
OTHER_LAST = (
    "Ramadhan", "Koriun", "Zein", "Pratomo", "Lesmono", "Sudarsono", "Wirawan", "Halim",
    "Basuki", "Effendi", "Fauzi", "Ghozali", "Irawan", "Junaedi", "Kartika", "Mulyadi",
)  # fmt: skip

# Regencies and their provinces; the province capital opens some datelines.
REGENCIES: tuple[tuple[str, str], ...] = (
    ("Garut", "Jawa Barat"), ("Cianjur", "Jawa Barat"), ("Sukabumi", "Jawa Barat"),
    ("Tasikmalaya", "Jawa Barat"), ("Karawang", "Jawa Barat"), ("Subang", "Jawa Barat"),
    ("Indramayu", "Jawa Barat"), ("Kuningan", "Jawa Barat"), ("Majalengka", "Jawa Barat"),
    ("Banyumas", "Jawa Tengah"), ("Cilacap", "Jawa Tengah"), ("Kebumen", "Jawa Tengah"),
    ("Pati", "Jawa Tengah"), ("Kudus", "Jawa Tengah"), ("Demak", "Jawa Tengah"),
    ("Grobogan", "Jawa Tengah"), ("Klaten", "Jawa Tengah"), ("Wonogiri", "Jawa Tengah"),
    ("Brebes", "Jawa Tengah"), ("Jember", "Jawa Timur"), ("Banyuwangi", "Jawa Timur"),
    ("Lumajang", "Jawa Timur"), ("Pasuruan", "Jawa Timur"), ("Kediri", "Jawa Timur"),
    ("Blitar", "Jawa Timur"), ("Tulungagung", "Jawa Timur"), ("Bojonegoro", "Jawa Timur"),
    ("Tuban", "Jawa Timur"), ("Sampang", "Jawa Timur"), ("Pidie", "Aceh"),
    ("Aceh Utara", "Aceh"), ("Deli Serdang", "Sumatera Utara"), ("Langkat", "Sumatera Utara"),
    ("Asahan", "Sumatera Utara"), ("Agam", "Sumatera Barat"),
    ("Pesisir Selatan", "Sumatera Barat"), ("Kampar", "Riau"), ("Indragiri Hilir", "Riau"),
    ("Musi Banyuasin", "Sumatera Selatan"), ("Ogan Ilir", "Sumatera Selatan"),
    ("Lampung Selatan", "Lampung"), ("Lebak", "Banten"), ("Pandeglang", "Banten"),
    ("Lombok Timur", "Nusa Tenggara Barat"), ("Bima", "Nusa Tenggara Barat"),
    ("Sikka", "Nusa Tenggara Timur"), ("Kutai Kartanegara", "Kalimantan Timur"),
    ("Kapuas", "Kalimantan Tengah"), ("Banjar", "Kalimantan Selatan"),
    ("Ketapang", "Kalimantan Barat"), ("Sigi", "Sulawesi Tengah"), ("Gowa", "Sulawesi Selatan"),
    ("Bone", "Sulawesi Selatan"), ("Minahasa", "Sulawesi Utara"), ("Konawe", "Sulawesi Tenggara"),
    ("Maluku Tengah", "Maluku"), ("Jayapura", "Papua"),
)  # fmt: skip
CAPITALS: dict[str, str] = {
    "Jawa Barat": "BANDUNG", "Jawa Tengah": "SEMARANG", "Jawa Timur": "SURABAYA",
    "Aceh": "BANDA ACEH", "Sumatera Utara": "MEDAN", "Sumatera Barat": "PADANG",
    "Riau": "PEKANBARU", "Sumatera Selatan": "PALEMBANG", "Lampung": "BANDAR LAMPUNG",
    "Banten": "SERANG", "Nusa Tenggara Barat": "MATARAM", "Nusa Tenggara Timur": "KUPANG",
    "Kalimantan Timur": "SAMARINDA", "Kalimantan Tengah": "PALANGKA RAYA",
    "Kalimantan Selatan": "BANJARMASIN", "Kalimantan Barat": "PONTIANAK",
    "Sulawesi Tengah": "PALU", "Sulawesi Selatan": "MAKASSAR", "Sulawesi Utara": "MANADO",
    "Sulawesi Tenggara": "KENDARI", "Maluku": "AMBON", "Papua": "JAYAPURA", "Bali": "DENPASAR",
}  # fmt: skip
KEC_HEAD = ("Suka", "Karang", "Tanjung", "Sumber", "Mekar", "Sindang", "Rawa", "Jati", "Pasir",
            "Bojong", "Gunung", "Cipta", "Marga", "Wana", "Tirta")  # fmt: skip
KEC_TAIL = ("jaya", "sari", "mulya", "makmur", "asih", "rahayu", "wangi", "harja", "baru",
            "indah")  # fmt: skip

# Unrest abroad (the seeds' subject), with an English name and the largest city.
COUNTRIES: tuple[tuple[str, str, str], ...] = (
    ("Kazakhstan", "Kazakhstan", "Almaty"), ("Kirgistan", "Kyrgyzstan", "Bishkek"),
    ("Tajikistan", "Tajikistan", "Dushanbe"), ("Uzbekistan", "Uzbekistan", "Tashkent"),
    ("Armenia", "Armenia", "Yerevan"), ("Azerbaijan", "Azerbaijan", "Baku"),
    ("Turkmenistan", "Turkmenistan", "Ashgabat"), ("Mongolia", "Mongolia", "Ulaanbaatar"),
)  # fmt: skip
COMMODITIES = (
    ("bahan bakar", "fuel"), ("gas cair", "liquefied gas"), ("roti dan gandum", "bread"),
    ("listrik", "electricity"), ("energi", "energy"),
)  # fmt: skip
DISASTERS = (
    ("banjir", "flood", "Banjir"), ("banjir bandang", "flash flood", "Banjir Bandang"),
    ("tanah longsor", "landslide", "Tanah Longsor"), ("gempa bumi", "earthquake", "Gempa Bumi"),
)  # fmt: skip
SECURITY_EVENTS = (
    ("perayaan Natal dan Tahun Baru", "the Christmas and New Year celebrations", "Nataru"),
    ("arus mudik Lebaran", "the Lebaran homecoming traffic", "Mudik Lebaran"),
    ("pemungutan suara Pilkada", "the regional election vote", "Pilkada"),
    ("pertandingan final Liga 1", "the Liga 1 final", "Final Liga 1"),
)  # fmt: skip
VACCINES = (
    ("campak dan rubela (MR)", "measles-rubella (MR)", "Campak-Rubela"),
    ("polio", "polio", "Polio"),
    ("difteri, pertusis, dan tetanus (DPT)", "DPT", "DPT"),
    ("human papillomavirus (HPV)", "HPV", "HPV"),
)  # fmt: skip
PORTS = (
    ("Merak", "Banten"), ("Bakauheni", "Lampung"), ("Ketapang", "Jawa Timur"),
    ("Gilimanuk", "Bali"), ("Padangbai", "Bali"), ("Lembar", "Nusa Tenggara Barat"),
    ("Kayangan", "Nusa Tenggara Barat"), ("Bajoe", "Sulawesi Selatan"),
    ("Kolaka", "Sulawesi Tenggara"), ("Sape", "Nusa Tenggara Barat"),
)  # fmt: skip
ELECTIONS = (
    ("Pemilihan Kepala Daerah", "the regional head election"),
    ("Pemilihan Umum", "the general election"),
    ("pemilihan kepala desa serentak", "the simultaneous village head elections"),
)  # fmt: skip

OUTLETS_CAPS = ("KABAR PRIANGAN", "WARTA BANTEN", "SUARA NUSANTARA", "MEDIA BORNEO",
                "LENTERA SULAWESI", "SOROT PESISIR")  # fmt: skip
OUTLETS_DOMAIN = ("Kabarpesisir.com", "Lenteratimur.id", "Sorotnusantara.com",
                  "Jejakborneo.co.id", "Wartaselatan.net", "Radarkepulauan.com")  # fmt: skip
RUBRICS = ("Nusantara", "Daerah", "Peristiwa", "Ekonomi", "Nasional")
WIRES = ("ANTARA", "Reuters", "AFP", "AA", "Xinhua")
PHOTO_AGENCIES = ("ANTARA FOTO", "REUTERS", "AFP")
RELATED = (
    "Jadwal Acara TV Hari Ini {tanggal}: ANTV, SCTV, INDOSIAR, dan METRO TV",
    "Ramalan Cinta 12 Zodiak Hari Ini {tanggal}: Hindari Perasaan yang Mengganggu",
    "Diduga Grogi, Mobil Avanza Tercebur ke Rawa Tepi Jalan {kab}",
    "Harga Emas Antam Hari Ini Naik Tipis, Cek Rinciannya",
    "Hati-hati! Kebiasaan Ini Dapat Merusak Mental Anak",
    "Resep Sayur Asem Segar untuk Menu Makan Siang Keluarga",
)  # fmt: skip
FOOTERS = (
    "\n\n\nTags\n\nArtikel Pilihan\n\nTerkait\n\nTerkini\n\nTerpopuler\n",
    "\n\n\n\nTuliskan Komentar anda dari account Facebook",
    "\n\nFOLLOW US",
    "\n\nTags\n\nTerkini\n\nTerpopuler\n",
)

# --- Topics ----------------------------------------------------------------------------------
# Sentence templates use str.format slots filled per article (see _slots). Each topic has one
# "fact" sentence holding the article's unique key person and key figure; its questions ask
# for one of the two given the other.


@dataclass(frozen=True)
class Topic:
    name: str
    abroad: bool
    kickers: tuple[str, ...]
    titles: tuple[str, ...]
    leads: tuple[str, ...]
    facts: tuple[str, ...]
    body: tuple[str, ...]
    quotes: tuple[str, ...]
    closings: tuple[str, ...]
    ask_count_id: str
    ask_count_en: str
    ask_who_id: str
    ask_who_en: str
    caption: str


UNREST = Topic(
    name="unrest",
    abroad=True,
    kickers=("{COUNTRY} RUSUH", "KRISIS {COUNTRY}"),
    titles=(
        "Kerusuhan Semakin Memuncak, {country} Minta Bantuan Negara Tetangga",
        "Lebih dari {n} Orang Dirawat di Rumah Sakit Akibat Kerusuhan {country}",
        "Protes Harga {Commodity} Berujung Rusuh di {city}, {country}",
        "{country} Berlakukan Keadaan Darurat Setelah Gedung Pemerintah Dibakar",
    ),
    leads=(
        "Kerusuhan massal telah memuncak dari pengunjuk rasa di {country} yang dimulai dengan "
        "aksi protes damai atas harga {commodity}, yang memaksa pemerintah {country} meminta "
        "bantuan dari negara tetangga dalam menjaga perdamaian di sana.",
        "Protes itu terjadi karena melonjaknya harga {commodity} dimulai pada hari {hari} "
        "({tgl}) dan meningkat dengan demonstran membakar mobil polisi, menyerbu gedung-gedung "
        "pemerintah, dan merebut bandara internasional di {city}.",
    ),
    facts=(
        "Seorang juru bicara kementerian kesehatan {country}, {person} mengatakan bahwa lebih "
        "dari {n} orang mencari perawatan dari rumah sakit sekitar, yang {m1} diantaranya "
        "mengalami kondisi yang sangat serius.",
        "Juru bicara kementerian kesehatan {country}, {person}, menyebutkan bahwa lebih dari "
        "{n} orang telah mencari perawatan di rumah sakit di {city} dan sekitarnya sejak "
        "kerusuhan pecah.",
    ),
    body=(
        "Kementerian Dalam Negeri {country} mengumumkan bahwa {m2} pengunjuk rasa telah "
        "kehilangan nyawa mereka, dan {m3} lainnya terluka dalam demonstrasi anti-pemerintah.",
        "Pihak berwenang {country} menuduh para bandit dan teroris internasional membajak "
        "protes yang mengarahkan para pengunjuk rasa ke dalam kerusuhan massal di {city}.",
        "Setidaknya {m4} petugas keamanan tewas dalam kekerasan yang sedang berlangsung di "
        "negara itu, kementerian mengumumkan pada hari {hari}.",
        "Pemerintah {country} tidak memberikan bukti untuk mendukung pernyataan bahwa "
        "pemberontakan itu diilhami pihak asing.",
        "Organisasi Perjanjian Keamanan Kolektif (CSTO) mengatakan sedang memantau dengan "
        "cermat perkembangan terkini di {country} dan menyerukan solusi damai.",
        "Menteri Luar Negeri Amerika Serikat mengatakan bahwa Washington sedang mencari "
        "jawaban dari para pejabat {country} terkait pengerahan pasukan keamanan.",
        "Kedatangan cepat pasukan asing menunjukkan kesediaan negara tetangga untuk menjaga "
        "pengaruhnya di {country} dengan kekuatan.",
        "Pasukan keamanan telah diperintahkan untuk menjaga fasilitas strategis, termasuk "
        "bandara dan gedung pemerintah di {city}.",
        "Akses internet di sebagian besar wilayah {country} dilaporkan terputus selama "
        "beberapa hari, sehingga informasi dari lapangan sulit dipastikan.",
        "Presiden {country} mengatakan bahwa situasi di {city} kini sudah stabil, meskipun "
        "jam malam masih diberlakukan hingga akhir pekan.",
    ),
    quotes=(
        '"Kami memiliki pertanyaan nyata tentang mengapa mereka merasa perlu meminta bantuan '
        'dari luar," ujar {other}, seorang analis politik di {city}.',
        '"Selama keadaan darurat, rumah sakit bekerja tanpa henti untuk merawat korban," '
        "kata {person_last}.",
        '"Ini adalah serangan pada warga kami yang meminta pemerintah untuk membantu mereka '
        'segera," kata {other2}.',
    ),
    closings=(
        "Kremlin telah memperingatkan terhadap campur tangan asing dalam konflik dan "
        "mengatakan {country} dapat menangani masalahnya sendiri.",
        "Pihak berwenang mengatakan bahwa semua pasukan asing akan ditarik setelah situasi "
        "di {country} benar-benar pulih.",
    ),
    ask_count_id="Berapa orang yang mencari perawatan di rumah sakit selama kerusuhan di "
    "{country} menurut {person}?",
    ask_count_en="How many people sought hospital treatment during the unrest in {country_en}, "
    "according to {person}?",
    ask_who_id="Siapa juru bicara kementerian kesehatan {country} yang menyebut lebih dari {n} "
    "orang mencari perawatan di rumah sakit?",
    ask_who_en="Who is the {country_en} health ministry spokesperson who said more than {n_en} "
    "people sought hospital treatment?",
    caption="Ilustrasi kerusuhan di {country}.",
)

DISASTER = Topic(
    name="disaster",
    abroad=False,
    kickers=("{EVENT} {KAB}", "BENCANA {KAB}"),
    titles=(
        "{Event} Landa {kab}, {n} Warga Mengungsi",
        "{Event} Terjang Kecamatan {kec}, Ribuan Warga {kab} Mengungsi",
        "BPBD {kab} Catat Ratusan Rumah Rusak Akibat {Event}",
        "Warga {kab} Mulai Kembali ke Rumah Setelah {Event}",
    ),
    leads=(
        "{Event} yang melanda sejumlah desa di Kecamatan {kec}, Kabupaten {kab}, {prov}, pada "
        "{hari} ({tgl}) memaksa ribuan warga meninggalkan rumah mereka.",
        "Ribuan warga Kabupaten {kab}, {prov}, terdampak {event} yang terjadi sejak {hari} "
        "({tgl}) dini hari, terutama di Kecamatan {kec} dan sekitarnya.",
    ),
    facts=(
        "Kepala Pelaksana BPBD Kabupaten {kab}, {person}, mengatakan bahwa sebanyak {n} warga "
        "terpaksa mengungsi ke {shelter} akibat {event} tersebut.",
        "{person}, Kepala Pelaksana BPBD Kabupaten {kab}, menyebutkan bahwa hingga {hari} sore "
        "jumlah pengungsi akibat {event} mencapai {n} orang yang tersebar di {m1} titik "
        "pengungsian.",
    ),
    body=(
        "Selain itu, {m2} rumah dilaporkan rusak berat dan {m3} rumah lainnya rusak ringan.",
        "Petugas gabungan dari TNI, Polri, dan relawan masih melakukan pendataan kerusakan di "
        "{m4} desa yang terdampak.",
        "Tim SAR gabungan mengevakuasi warga lanjut usia dan anak-anak menggunakan perahu karet "
        "serta kendaraan milik pemerintah daerah.",
        "Pemerintah Kabupaten {kab} telah menetapkan status tanggap darurat selama {m5} hari ke "
        "depan untuk mempercepat penanganan.",
        "Akses jalan yang menghubungkan Kecamatan {kec} dengan pusat kota sempat terputus dan "
        "baru bisa dilalui kendaraan roda dua pada {hari} malam.",
        "Badan Meteorologi, Klimatologi, dan Geofisika (BMKG) memperkirakan cuaca ekstrem masih "
        "akan terjadi di wilayah {prov} hingga akhir pekan.",
        "Bantuan logistik berupa beras, mi instan, selimut, dan air bersih mulai disalurkan ke "
        "posko-posko pengungsian.",
        "Sejumlah sekolah di Kecamatan {kec} diliburkan sementara karena bangunannya digunakan "
        "sebagai tempat pengungsian.",
        "Warga diimbau untuk tetap waspada dan segera melapor kepada petugas jika melihat tanda "
        "bahaya di sekitar tempat tinggal mereka.",
        "Kerugian akibat {event} tersebut ditaksir mencapai miliaran rupiah, namun angka pastinya "
        "masih dihitung.",
    ),
    quotes=(
        '"Kami sudah mendirikan dapur umum dan menyalurkan bantuan logistik kepada para '
        'pengungsi," ujar {person_last}.',
        '"Air naik sangat cepat, kami hanya sempat membawa pakaian dan surat-surat penting," '
        "kata {other}, salah seorang warga Kecamatan {kec}.",
        '"Prioritas kami saat ini adalah keselamatan warga, terutama anak-anak dan lansia," '
        "kata Bupati {kab}, {other2}.",
    ),
    closings=(
        "Hingga berita ini diturunkan, petugas masih bersiaga di lokasi untuk mengantisipasi "
        "{event} susulan.",
        "BPBD {kab} meminta warga yang tinggal di daerah rawan untuk sementara tidak kembali ke "
        "rumah sampai situasi benar-benar aman.",
    ),
    ask_count_id="Berapa warga yang mengungsi akibat {event} di {kab} menurut {person}?",
    ask_count_en="How many residents were displaced by the {event_en} in {kab}, according to "
    "{person}?",
    ask_who_id="Siapa kepala pelaksana BPBD yang menyebut {n} warga mengungsi akibat {event} di "
    "{kab}?",
    ask_who_en="Who is the head of the disaster agency who said {n_en} residents were displaced "
    "by the {event_en} in {kab}?",
    caption="Ilustrasi {event} di {kab}.",
)

SECURITY = Topic(
    name="security",
    abroad=False,
    kickers=("PENGAMANAN {SHORT}", "POLDA {PROV}"),
    titles=(
        "Polda {prov} Kerahkan {n} Personel Amankan {Short}",
        "Ribuan Personel Gabungan Siaga Amankan {Short} di {prov}",
        "Jelang {Short}, Polda {prov} Gelar Apel Pasukan",
        "Pengamanan {Short}, Polisi Siapkan Pos Terpadu di {kab}",
    ),
    leads=(
        "Kepolisian Daerah (Polda) {prov} menggelar apel pasukan pada {hari} ({tgl}) sebagai "
        "tanda dimulainya operasi pengamanan {event} di seluruh wilayah {prov}.",
        "Menjelang {event}, aparat keamanan di {prov} meningkatkan kesiagaan di sejumlah titik "
        "rawan, termasuk di Kabupaten {kab}.",
    ),
    facts=(
        "Kepala Bidang Humas Polda {prov}, Komisaris Besar Polisi {person}, mengatakan bahwa "
        "sebanyak {n} personel gabungan TNI-Polri dikerahkan untuk mengamankan {event}.",
        "Menurut Kabid Humas Polda {prov}, {person}, pengamanan {event} melibatkan {n} personel "
        "gabungan yang akan bertugas selama {m1} hari.",
    ),
    body=(
        "Personel tersebut akan ditempatkan di {m2} pos pengamanan dan {m3} pos pelayanan yang "
        "tersebar di kabupaten dan kota.",
        "Selain personel kepolisian, pengamanan juga melibatkan TNI, Dinas Perhubungan, Satpol "
        "PP, dan relawan dari organisasi kemasyarakatan.",
        "Polisi juga menyiapkan rekayasa lalu lintas di ruas jalan yang diperkirakan padat, "
        "terutama di jalur menuju Kabupaten {kab}.",
        "Kapolda {prov} meminta seluruh personel bersikap humanis dan mengutamakan pelayanan "
        "kepada masyarakat.",
        "Tahun lalu, pengamanan serupa berjalan lancar tanpa gangguan keamanan yang berarti di "
        "wilayah {prov}.",
        "Masyarakat dapat menghubungi layanan darurat kepolisian 110 jika menemukan gangguan "
        "keamanan selama {event}.",
        "Sejumlah titik keramaian seperti pusat perbelanjaan, terminal, dan tempat ibadah "
        "mendapat penjagaan khusus.",
        "Polda {prov} juga mengerahkan tim penjinak bom untuk melakukan sterilisasi di lokasi "
        "kegiatan.",
    ),
    quotes=(
        '"Kami ingin masyarakat merasa aman dan nyaman selama {event}," ujar {person_last}.',
        '"Personel kami siaga 24 jam di setiap pos pengamanan," kata {other}, Kapolres {kab}.',
        '"Kami mengimbau warga yang meninggalkan rumah untuk memastikan pintu dan jendela '
        'terkunci," kata {other2}.',
    ),
    closings=(
        "Operasi pengamanan akan dievaluasi setiap hari untuk menyesuaikan kebutuhan di lapangan.",
        "Polda {prov} berharap {event} tahun ini berlangsung aman, tertib, dan lancar.",
    ),
    ask_count_id="Berapa personel yang dikerahkan Polda {prov} untuk mengamankan {event} menurut "
    "{person}?",
    ask_count_en="How many personnel did the {prov} regional police deploy to secure "
    "{event_en}, according to {person}?",
    ask_who_id="Siapa Kabid Humas Polda yang menyebut {n} personel dikerahkan untuk mengamankan "
    "{event}?",
    ask_who_en="Who is the police spokesperson who said {n_en} personnel were deployed to secure "
    "{event_en}?",
    caption="Apel pasukan pengamanan {event} di {prov}.",
)

RICE = Topic(
    name="rice",
    abroad=False,
    kickers=("STABILISASI HARGA", "HARGA BERAS"),
    titles=(
        "Bulog {prov} Salurkan {n} Ton Beras SPHP",
        "Harga Beras Naik, Bulog {prov} Gelar Operasi Pasar di {kab}",
        "Stok Beras di {prov} Dipastikan Aman Hingga Akhir Tahun",
        "Bulog Gencarkan Penyaluran Beras Murah ke Pasar Tradisional {kab}",
    ),
    leads=(
        "Perum Bulog Kantor Wilayah {prov} terus menggencarkan penyaluran beras program "
        "Stabilisasi Pasokan dan Harga Pangan (SPHP) ke pasar tradisional sejak awal {bulan}.",
        "Harga beras medium di pasar tradisional Kabupaten {kab}, {prov}, terpantau naik dalam "
        "dua pekan terakhir, mendorong pemerintah menggelar operasi pasar.",
    ),
    facts=(
        "Pemimpin Wilayah Perum Bulog {prov}, {person}, mengatakan bahwa pihaknya telah "
        "menyalurkan {n} ton beras SPHP ke pasar dan pengecer di seluruh {prov}.",
        "{person}, Pemimpin Wilayah Perum Bulog {prov}, menyebutkan bahwa hingga {hari} ({tgl}) "
        "penyaluran beras SPHP di wilayahnya sudah mencapai {n} ton.",
    ),
    body=(
        "Beras SPHP dijual dengan harga eceran tertinggi Rp{price}.500 per kilogram, lebih murah "
        "dibandingkan harga beras medium di pasaran.",
        "Stok beras di gudang Bulog {prov} saat ini disebut cukup untuk memenuhi kebutuhan "
        "hingga {m5} bulan ke depan.",
        "Operasi pasar juga digelar di Kabupaten {kab} dengan menggandeng pemerintah daerah dan "
        "Satgas Pangan.",
        "Badan Pusat Statistik (BPS) mencatat beras menjadi salah satu penyumbang inflasi di "
        "{prov} pada bulan lalu.",
        "Pedagang di pasar tradisional mengaku permintaan beras SPHP meningkat sejak harga beras "
        "premium terus naik.",
        "Pemerintah daerah meminta masyarakat tidak melakukan pembelian berlebihan karena "
        "pasokan dipastikan aman.",
        "Setiap pembeli dibatasi maksimal dua kemasan lima kilogram agar penyaluran merata.",
        "Selain beras, Bulog juga menyalurkan minyak goreng dan gula pasir dalam kegiatan "
        "Gerakan Pangan Murah di {m4} titik.",
    ),
    quotes=(
        '"Kami pastikan beras SPHP tersedia di pasar-pasar tradisional hingga ke pelosok," ujar '
        "{person_last}.",
        '"Harganya lebih terjangkau, kualitasnya juga tidak kalah," kata {other}, pedagang di '
        "Pasar {kab}.",
        '"Satgas Pangan akan menindak tegas penimbun beras," kata {other2}.',
    ),
    closings=(
        "Penyaluran beras SPHP akan terus dilakukan hingga harga beras di pasaran kembali stabil.",
        "Bulog {prov} juga membuka layanan pengaduan bagi masyarakat yang menemukan penjualan "
        "beras SPHP di atas harga eceran tertinggi.",
    ),
    ask_count_id="Berapa ton beras SPHP yang disalurkan Bulog {prov} menurut {person}?",
    ask_count_en="How many tonnes of SPHP rice did Bulog's {prov} office distribute, according "
    "to {person}?",
    ask_who_id="Siapa pemimpin wilayah Perum Bulog yang menyebut {n} ton beras SPHP telah "
    "disalurkan?",
    ask_who_en="Who is the Bulog regional head who said {n_en} tonnes of SPHP rice had been "
    "distributed?",
    caption="Petugas menata karung beras di gudang Bulog {prov}.",
)

IMMUNISATION = Topic(
    name="immunisation",
    abroad=False,
    kickers=("IMUNISASI {SHORT}", "KESEHATAN ANAK"),
    titles=(
        "{n} Anak di {kab} Sudah Terima Imunisasi {Short}",
        "Dinkes {kab} Kebut Imunisasi {Short} di Sekolah dan Posyandu",
        "Cakupan Imunisasi {Short} di {kab} Terus Meningkat",
        "Orang Tua di {kab} Diimbau Bawa Anak ke Posyandu",
    ),
    leads=(
        "Dinas Kesehatan Kabupaten {kab}, {prov}, menggelar pekan imunisasi {event} yang "
        "berlangsung sejak {hari} ({tgl}) di sekolah, posyandu, dan puskesmas.",
        "Pemerintah Kabupaten {kab} menargetkan seluruh anak usia sekolah mendapatkan "
        "imunisasi {event} sebelum akhir {bulan}.",
    ),
    facts=(
        "Kepala Dinas Kesehatan Kabupaten {kab}, {person}, mengatakan bahwa sebanyak {n} anak "
        "telah menerima imunisasi {event} sejak pekan imunisasi dimulai.",
        "Menurut Kepala Dinas Kesehatan {kab}, {person}, jumlah anak yang sudah diimunisasi "
        "{event} hingga {hari} ({tgl}) mencapai {n} anak.",
    ),
    body=(
        "Imunisasi diberikan secara gratis di {m2} puskesmas dan {m3} posyandu yang tersebar di "
        "seluruh kecamatan.",
        "Petugas kesehatan juga mendatangi sekolah-sekolah di Kecamatan {kec} yang cakupan "
        "imunisasinya masih rendah.",
        "Kementerian Kesehatan menargetkan cakupan imunisasi minimal 95 persen agar kekebalan "
        "kelompok dapat terbentuk.",
        "Sejumlah orang tua sempat ragu membawa anaknya karena khawatir efek samping, namun "
        "petugas memberikan penjelasan secara langsung.",
        "Efek samping yang muncul umumnya ringan, seperti demam dan nyeri di bekas suntikan, "
        "dan akan hilang dalam {m5} hari.",
        "Dinas Kesehatan juga bekerja sama dengan tokoh agama dan tokoh masyarakat untuk "
        "mengajak warga mendukung program imunisasi.",
        "Data kasus penyakit yang dapat dicegah dengan imunisasi di {prov} menunjukkan "
        "peningkatan dalam dua tahun terakhir.",
        "Anak yang belum mendapat imunisasi dapat datang ke puskesmas terdekat setiap hari kerja "
        "tanpa biaya.",
    ),
    quotes=(
        '"Imunisasi ini aman dan halal, jadi orang tua tidak perlu khawatir," ujar {person_last}.',
        '"Anak saya hanya demam sebentar setelah disuntik," kata {other}, warga Kecamatan {kec}.',
        '"Kami akan menyisir anak-anak yang belum terjangkau di daerah terpencil," kata {other2}.',
    ),
    closings=(
        "Dinas Kesehatan {kab} akan mengevaluasi cakupan imunisasi setiap pekan hingga target "
        "tercapai.",
        "Masyarakat yang membutuhkan informasi dapat menghubungi puskesmas terdekat.",
    ),
    ask_count_id="Berapa anak di {kab} yang sudah menerima imunisasi {event} menurut {person}?",
    ask_count_en="How many children in {kab} have received the {event_en} vaccine, according to "
    "{person}?",
    ask_who_id="Siapa kepala dinas kesehatan yang menyebut {n} anak telah menerima imunisasi "
    "{event}?",
    ask_who_en="Who is the health office head who said {n_en} children had received the "
    "{event_en} vaccine?",
    caption="Petugas memberikan imunisasi kepada siswa di {kab}.",
)

FERRY = Topic(
    name="ferry",
    abroad=False,
    kickers=("ARUS MUDIK", "PELABUHAN {PORT}"),
    titles=(
        "{n} Penumpang Menyeberang Lewat Pelabuhan {port}",
        "Puncak Arus Balik, Antrean Kendaraan Mengular di Pelabuhan {port}",
        "ASDP Tambah Kapal di Lintasan Pelabuhan {port}",
        "Arus Penyeberangan di Pelabuhan {port} Meningkat Jelang Libur Panjang",
    ),
    leads=(
        "Arus penyeberangan di Pelabuhan {port}, {prov}, terus meningkat sejak {hari} ({tgl}) "
        "seiring dimulainya masa libur panjang.",
        "Antrean kendaraan pribadi dan truk logistik terlihat mengular di pintu masuk Pelabuhan "
        "{port}, {prov}, pada {hari} ({tgl}).",
    ),
    facts=(
        "General Manager PT ASDP Indonesia Ferry Cabang {port}, {person}, mengatakan bahwa "
        "sebanyak {n} penumpang telah menyeberang melalui Pelabuhan {port} selama periode "
        "angkutan tahun ini.",
        "{person}, General Manager ASDP Cabang {port}, menyebutkan bahwa jumlah penumpang yang "
        "menyeberang melalui Pelabuhan {port} mencapai {n} orang hingga {hari} pagi.",
    ),
    body=(
        "Selain penumpang pejalan kaki, tercatat {m2} unit sepeda motor dan {m3} unit mobil "
        "pribadi ikut menyeberang.",
        "ASDP mengoperasikan {m4} kapal secara bergantian untuk mengurai kepadatan di dermaga.",
        "Pengguna jasa diimbau membeli tiket secara daring paling lambat satu hari sebelum "
        "keberangkatan.",
        "Petugas gabungan menyiapkan kantong parkir tambahan untuk menampung kendaraan yang "
        "menunggu giliran naik kapal.",
        "Cuaca di perairan sekitar Pelabuhan {port} dilaporkan cerah berawan dengan tinggi "
        "gelombang yang masih aman untuk pelayaran.",
        "Waktu tunggu kendaraan untuk naik ke kapal sempat mencapai {m5} jam pada malam hari.",
        "Kementerian Perhubungan memperkirakan puncak arus balik akan terjadi pada akhir pekan "
        "ini.",
        "Pelabuhan {port} juga menyediakan posko kesehatan dan ruang laktasi bagi penumpang.",
    ),
    quotes=(
        '"Kami terus menambah jumlah trip agar antrean tidak menumpuk," ujar {person_last}.',
        '"Tahun ini jauh lebih lancar dibandingkan tahun lalu," kata {other}, pemudik asal {kab}.',
        '"Kami minta pengguna jasa datang sesuai jadwal yang tertera di tiket," kata {other2}.',
    ),
    closings=(
        "ASDP memastikan seluruh kapal yang beroperasi telah memenuhi standar keselamatan "
        "pelayaran.",
        "Pengguna jasa dapat memantau kondisi terkini pelabuhan melalui kanal media sosial "
        "resmi ASDP.",
    ),
    ask_count_id="Berapa penumpang yang menyeberang melalui Pelabuhan {port} menurut {person}?",
    ask_count_en="How many passengers crossed through the port of {port}, according to {person}?",
    ask_who_id="Siapa general manager ASDP yang menyebut {n} penumpang menyeberang melalui "
    "Pelabuhan {port}?",
    ask_who_en="Who is the ASDP general manager who said {n_en} passengers crossed through the "
    "port of {port}?",
    caption="Kendaraan antre memasuki kapal di Pelabuhan {port}.",
)

VOTERS = Topic(
    name="voters",
    abroad=False,
    kickers=("PEMILU {YEAR}", "KPU {KAB}"),
    titles=(
        "KPU {kab} Tetapkan {n} Pemilih dalam DPT",
        "Rapat Pleno DPT {kab} Berlangsung Alot",
        "Jumlah Pemilih Pemula di {kab} Meningkat",
        "KPU {kab} Ajak Warga Cek Nama di Daftar Pemilih",
    ),
    leads=(
        "Komisi Pemilihan Umum (KPU) Kabupaten {kab}, {prov}, menggelar rapat pleno terbuka "
        "penetapan daftar pemilih tetap (DPT) untuk {event} pada {hari} ({tgl}).",
        "Rapat pleno rekapitulasi daftar pemilih untuk {event} di Kabupaten {kab} dihadiri "
        "Bawaslu, perwakilan partai politik, dan pemerintah daerah.",
    ),
    facts=(
        "Ketua KPU Kabupaten {kab}, {person}, mengatakan bahwa jumlah pemilih yang ditetapkan "
        "dalam DPT {event} sebanyak {n} orang.",
        "{person}, Ketua KPU {kab}, menyebutkan bahwa DPT {event} di wilayahnya ditetapkan "
        "sebanyak {n} pemilih yang tersebar di {m1} desa dan kelurahan.",
    ),
    body=(
        "Jumlah tersebut terdiri atas pemilih laki-laki dan perempuan yang tersebar di {m2} "
        "tempat pemungutan suara (TPS).",
        "Dibandingkan daftar pemilih sementara, terdapat pengurangan karena pemilih meninggal "
        "dunia, pindah domisili, dan data ganda.",
        "Bawaslu Kabupaten {kab} meminta KPU menindaklanjuti temuan pemilih yang belum "
        "terdaftar di Kecamatan {kec}.",
        "Pemilih pemula yang baru berusia 17 tahun pada hari pemungutan suara juga telah "
        "dimasukkan dalam daftar.",
        "Warga dapat memeriksa namanya di daftar pemilih melalui laman resmi KPU atau "
        "mendatangi kantor desa.",
        "KPU juga menyiapkan TPS khusus di rumah sakit dan lembaga pemasyarakatan di {kab}.",
        "Rapat pleno sempat diskors selama {m5} jam karena perbedaan data antara KPU dan Bawaslu.",
        "Anggaran penyelenggaraan {event} di Kabupaten {kab} bersumber dari dana hibah "
        "pemerintah daerah.",
    ),
    quotes=(
        '"Kami pastikan setiap warga yang memenuhi syarat dapat menggunakan hak pilihnya," ujar '
        "{person_last}.",
        '"Kami menemukan masih ada warga yang belum tercatat, dan itu harus segera diperbaiki," '
        "kata {other}, Ketua Bawaslu {kab}.",
        '"Jangan sampai ada pemilih yang kehilangan hak suaranya," kata {other2}.',
    ),
    closings=(
        "KPU {kab} akan menyampaikan salinan DPT kepada partai politik dan pengawas pemilu.",
        "Tahapan berikutnya adalah pendistribusian logistik ke seluruh TPS di Kabupaten {kab}.",
    ),
    ask_count_id="Berapa jumlah pemilih dalam DPT {event} di {kab} menurut {person}?",
    ask_count_en="How many voters are on the final voter list for {event_en} in {kab}, according "
    "to {person}?",
    ask_who_id="Siapa ketua KPU yang menyebut DPT {event} sebanyak {n} pemilih?",
    ask_who_en="Who is the election commission head who said the final voter list for "
    "{event_en} held {n_en} voters?",
    caption="Rapat pleno penetapan DPT di kantor KPU {kab}.",
)

TOPICS: tuple[Topic, ...] = (UNREST, DISASTER, SECURITY, RICE, IMMUNISATION, FERRY, VOTERS)

# --- Values ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchQuestion:
    """A question with a known answer held by exactly one article of the corpus."""

    id: str
    question: str
    language: Language
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
    target_chunks: int
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


# --- Generation ------------------------------------------------------------------------------


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
        self.seed = seed
        self.max_chars = max_chars
        rng = random.Random(f"kabar-bench/{GENERATOR_VERSION}/{seed}")
        self._person = _Bijection(len(FIRST) * len(MIDDLE) * len(LAST), rng)
        self._number = _Bijection(self.NUMBER_SPAN, rng)

    @property
    def capacity(self) -> int:
        return min(self._person.size, self._number.size)

    def key_person(self, i: int, abroad: bool) -> str:
        j = self._person(i)
        first, middle, last = (
            (FIRST_ABROAD, MIDDLE_ABROAD, LAST_ABROAD)
            if abroad
            else (
                FIRST,
                MIDDLE,
                LAST,
            )
        )
        a, rest = divmod(j, len(middle) * len(last))
        b, c = divmod(rest, len(last))
        return f"{first[a]} {middle[b]} {last[c]}"

    def key_number(self, i: int) -> int:
        return self.NUMBER_LOW + self._number(i)

    def article(self, i: int) -> GeneratedArticle:
        rng = random.Random(f"kabar-bench/{GENERATOR_VERSION}/{self.seed}/{i}")
        topic = TOPICS[rng.randrange(len(TOPICS))]
        slots = _slots(rng, topic, self.key_person(i, topic.abroad), self.key_number(i))
        title = _fill(rng.choice(topic.titles), slots)
        fact = _fill(rng.choice(topic.facts), slots)
        paragraphs = [_fill(rng.choice(topic.leads), slots), fact]
        pool = list(topic.body) + list(topic.quotes)
        rng.shuffle(pool)
        paragraphs += [_fill(t, slots) for t in pool[: rng.randint(6, 9)]]
        paragraphs.append(_fill(rng.choice(topic.closings), slots))
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

    def stream(self) -> Iterator[GeneratedArticle]:
        for i in range(self.capacity):
            yield self.article(i)


def generate(
    target_chunks: int, seed: int = DEFAULT_SEED, max_chars: int = DEFAULT_MAX_CHARS
) -> Corpus:
    """Articles until their chunks reach ``target_chunks`` (a prefix of every larger size)."""
    if target_chunks <= 0:
        raise ValueError(f"target_chunks must be positive, got {target_chunks}")
    articles: list[GeneratedArticle] = []
    total = 0
    for article in ArticleFactory(seed, max_chars).stream():
        articles.append(article)
        total += len(article.chunk_texts)
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
    manifest_path = folder / "manifest.json"
    expected = {
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "target_chunks": size,
        "max_chars": max_chars,
    }
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if all(manifest.get(k) == v for k, v in expected.items()):
            return CorpusFiles(folder, seed, size, manifest["articles"], manifest["chunks"])
    if progress:
        progress(f"generating the {size}-chunk corpus (seed {seed}) in {folder}")
    corpus = generate(size, seed, max_chars)
    return write_corpus(corpus, folder)


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
        "generator_version": GENERATOR_VERSION,
        "seed": corpus.seed,
        "target_chunks": corpus.target_chunks,
        "max_chars": corpus.max_chars,
        "articles": len(corpus.articles),
        "chunks": corpus.n_chunks,
        "topics": {t.name: sum(a.topic == t.name for a in corpus.articles) for t in TOPICS},
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    if folder.exists():
        shutil.rmtree(folder)
    os.replace(tmp, folder)
    return CorpusFiles(
        folder, corpus.seed, corpus.target_chunks, len(corpus.articles), corpus.n_chunks
    )


def load_questions(path: Path) -> list[BenchQuestion]:
    questions = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            row["answers"] = tuple(row["answers"])
            questions.append(BenchQuestion(**row))
    return questions


# --- Composition helpers ---------------------------------------------------------------------


def _id_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _en_number(n: int) -> str:
    return f"{n:,}"


def _slots(rng: random.Random, topic: Topic, person: str, n: int) -> dict[str, str]:
    day = date(2021, 1, 1) + timedelta(days=rng.randrange(4 * 365))
    published = day + timedelta(days=rng.randint(0, 2))
    regency, province = rng.choice(REGENCIES)
    country, country_en, city = rng.choice(COUNTRIES)
    commodity, commodity_en = rng.choice(COMMODITIES)
    other, other2 = (
        f"{f} {last}"
        for f, last in zip(rng.sample(OTHER_FIRST, 2), rng.sample(OTHER_LAST, 2), strict=True)
    )
    slots = {
        "person": person,
        "person_last": person.split()[-1],
        "n": _id_number(n),
        "n_en": _en_number(n),
        "kab": regency,
        "prov": province,
        "kec": rng.choice(KEC_HEAD) + rng.choice(KEC_TAIL),
        "country": country,
        "country_en": country_en,
        "city": city,
        "commodity": commodity,
        "Commodity": commodity.title(),
        "commodity_en": commodity_en,
        "other": other,
        "other2": other2,
        "price": str(rng.randint(11, 15)),
        "hari": HARI[day.weekday()],
        "tgl": f"{day.day}/{day.month}/{day.year}",
        "bulan": BULAN[day.month - 1],
        "shelter": rng.choice(
            ("balai desa", "masjid dan sekolah terdekat", "gedung olahraga", "rumah kerabat")
        ),
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
        "pub_month": BULAN[published.month - 1],
        "pub_year": str(published.year),
        "pub_hari": HARI[published.weekday()],
        "pub_time": f"{rng.randint(5, 22):02d}:{rng.randrange(60):02d}",
        "tanggal": f"{published.day} {BULAN[published.month - 1]} {published.year}",
    }
    if topic is DISASTER:
        event, event_en, event_title = rng.choice(DISASTERS)
        slots.update(event=event, event_en=event_en, Event=event_title)
    elif topic is SECURITY:
        event, event_en, short = rng.choice(SECURITY_EVENTS)
        slots.update(event=event, event_en=event_en, Short=short)
    elif topic is IMMUNISATION:
        event, event_en, short = rng.choice(VACCINES)
        slots.update(event=event, event_en=event_en, Short=short)
    elif topic is FERRY:
        port, port_province = rng.choice(PORTS)
        slots.update(port=port, prov=port_province)
    elif topic is VOTERS:
        election, election_en = rng.choice(ELECTIONS)
        year = slots["YEAR"]
        if election.startswith("Pemilihan"):
            slots.update(event=f"{election} {year}", event_en=f"{election_en} of {year}")
        else:
            slots.update(event=election, event_en=election_en)
    for key in ("country", "kab", "event", "prov", "port", "Short"):
        if key in slots:
            slots[key.upper()] = slots[key].upper()
    slots["Event"] = slots.get("Event", "")
    return slots


def _fill(template: str, slots: dict[str, str]) -> str:
    return template.format(**slots)


def _questions(
    topic: Topic, slots: dict[str, str], doc_id: str, fact: str
) -> tuple[BenchQuestion, ...]:
    number = (slots["n"], slots["n_en"])
    person = (slots["person"],)
    short = doc_id.split("_")[0]
    return (
        BenchQuestion(
            f"{short}-id-count", _fill(topic.ask_count_id, slots), "id", "count", number,
            doc_id, fact,
        ),
        BenchQuestion(
            f"{short}-en-count", _fill(topic.ask_count_en, slots), "en", "count", number,
            doc_id, fact,
        ),
        BenchQuestion(
            f"{short}-id-who", _fill(topic.ask_who_id, slots), "id", "who", person, doc_id, fact
        ),
        BenchQuestion(
            f"{short}-en-who", _fill(topic.ask_who_en, slots), "en", "who", person, doc_id, fact
        ),
    )  # fmt: skip


def _layout(
    rng: random.Random, topic: Topic, title: str, paragraphs: Sequence[str], s: dict[str, str]
) -> str:
    """The article file in one of the seeds' four outlet styles."""
    caption = _fill(topic.caption, s)
    photographer = f"{rng.choice(OTHER_FIRST)} {rng.choice(OTHER_LAST)}"
    editor = f"{rng.choice(OTHER_FIRST)} {rng.choice(OTHER_LAST)}"
    wire = rng.choice(WIRES)
    body = list(paragraphs)
    rubric = "Internasional" if topic.abroad else rng.choice(RUBRICS)
    style = rng.randrange(4)
    capital = CAPITALS[s["prov"]] if not topic.abroad else "JAKARTA"
    if style == 0:  # "- 10 Januari 2022, 07:15 WIB", "MEDIA PAKUAN - ", Baca Juga, credits
        body[0] = f"{rng.choice(OUTLETS_CAPS)} - {body[0]}"
        _insert_related(rng, body, s)
        body[-1] += "***"
        head = (
            f"{title}\n\n- {s['pub_day']} {s['pub_month']} {s['pub_year']}, {s['pub_time']} WIB\n"
            f"{caption}\n{caption} /Pexels/{photographer}\n\n"
        )
        tail = f"\n\nEditor: {editor}\n\nSumber: {wire}" + FOOTERS[0]
    elif style == 1:  # kicker, "Rubrik | Sabtu, 08 Januari 2022 - 05:06 WIB", "KOTA, Outlet.com - "
        kicker = _fill(rng.choice(topic.kickers), s)
        body[0] = f"{capital}, {rng.choice(OUTLETS_DOMAIN)} - {body[0]}"
        head = (
            f"{kicker}\n\n{title}\n\n{rubric} | {s['pub_hari']}, {s['pub_dd']} "
            f"{s['pub_month']} {s['pub_year']} - {s['pub_time']} WIB\n\n{title}\n"
            f"{caption} ({rng.choice(PHOTO_AGENCIES)}/{photographer.upper()})\n\n"
        )
        tail = f"\n\nSumber: {wire}/Berbagai Sumber\nEditor: {editor}" + FOOTERS[1]
    elif style == 2:  # "Penulis | Outlet.com | Sabtu, 08/01/2022 06:38 WIB", "KOTA - ", "(AA)"
        body[0] = f"{capital} - {body[0]}"
        body[-1] += f"({wire})"
        head = (
            f"• {rubric}\n\n{title}\n\n{editor} | {rng.choice(OUTLETS_DOMAIN)} | "
            f"{s['pub_hari']}, {s['pub_dd']}/{s['pub_mm']}/{s['pub_year']} {s['pub_time']} WIB\n"
            f"{title} {caption.rstrip('.')} (foto: {photographer})\n\n"
        )
        tail = FOOTERS[2]
    else:  # "Rabu, 05 Januari 2022 | 21:10 WIB", "Outlet.com, "
        body[0] = f"{rng.choice(OUTLETS_DOMAIN)}, {body[0]}"
        _insert_related(rng, body, s)
        head = (
            f"{title}\n\n{title}\n\n{s['pub_hari']}, {s['pub_dd']} {s['pub_month']} "
            f"{s['pub_year']} | {s['pub_time']} WIB\n\n"
        )
        tail = f"\n\nPenulis: {photographer}\nEditor: {editor}" + FOOTERS[3]
    return head + "\n\n".join(body) + tail


def _insert_related(rng: random.Random, body: list[str], s: dict[str, str]) -> None:
    """1-3 "Baca Juga" links between paragraphs (cleaning drops them; chunks end there)."""
    for related in rng.sample(RELATED, rng.randint(1, 3)):
        body.insert(rng.randint(2, len(body) - 1), f"Baca Juga: {_fill(related, s)}")


# --- Command line ----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True, help="target number of chunks")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    args = parser.parse_args(argv)
    files = ensure_corpus(args.size, args.seed, args.root, progress=print)
    print(f"{files.root}: {files.n_articles} articles, {files.n_chunks} chunks")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
