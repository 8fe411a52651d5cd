"""Believable (fictitious) Vietnamese personal data: names, CCCD numbers, phones, e-mails,
addresses, enterprises, and the officials who act on dossiers.

Everything here is generated; any resemblance to a real person is chance. The personal-data
fields exist so that the pipeline can prove it drops them.
"""

from __future__ import annotations

import bisect
import itertools
import random
import unicodedata
from functools import cache

from .datafiles import csv_rows, text_list

# The name lists live in data/people/ (one value a line; surnames.csv with weights). Their order
# and repeats are part of the draw: changing either changes every generated name.
SURNAMES: list[tuple[str, int]] = [
    (r["surname"], int(r["weight"])) for r in csv_rows("people/surnames.csv")
]
MIDDLE_M = text_list("people/middle_m.txt")
MIDDLE_F = text_list("people/middle_f.txt")
GIVEN_M = text_list("people/given_m.txt")
GIVEN_F = text_list("people/given_f.txt")
HAMLETS = text_list("people/hamlets.txt")
STREETS = text_list("people/streets.txt")
BRANDS = text_list("people/brands.txt")
TRADES = text_list("people/trades.txt")
FORMS = text_list("people/forms.txt")
PHONE_PREFIXES = text_list("people/phone_prefixes.txt")
MAIL_DOMAINS = text_list("people/mail_domains.txt")
#: GSO province codes, for the place-of-birth part of a CCCD number.
PROVINCE_CODES = [int(c) for c in text_list("people/province_codes.txt")]

_SUR_W = [w for _, w in SURNAMES]
_SUR = [s for s, _ in SURNAMES]
_SUR_CUM = list(itertools.accumulate(_SUR_W))


def ascii_fold(s: str) -> str:
    s = s.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


class People:
    """Draws applicants. One instance per scenario; all draws from the rng passed in."""

    def __init__(self, province_code: str):
        self.home = int(province_code)
        self._name_cache: dict[tuple[int, int, int, int], str] = {}

    def person(self, rng: random.Random) -> tuple[str, bool, int]:
        """(full name, male, birth year)."""
        rnd = rng.random
        male = rnd() < 0.52
        s = bisect.bisect_right(_SUR_CUM, rnd() * _SUR_CUM[-1])
        if male:
            m = int(rnd() * len(MIDDLE_M))
            g = int(rnd() * len(GIVEN_M))
        else:
            m = int(rnd() * len(MIDDLE_F))
            g = int(rnd() * len(GIVEN_F))
        key = (s, m, g, male)
        name = self._name_cache.get(key)
        if name is None:
            if male:
                name = f"{_SUR[s]} {MIDDLE_M[m]} {GIVEN_M[g]}"
            else:
                name = f"{_SUR[s]} {MIDDLE_F[m]} {GIVEN_F[g]}"
            self._name_cache[key] = name
        u = rnd()  # triangular(1945, 2005, mode 1985)
        c = 40 / 60
        year = int(1945 + (60 * 40 * u) ** 0.5) if u < c else int(2005 - (60 * 20 * (1 - u)) ** 0.5)
        return name, male, year

    def cccd(self, rng: random.Random, male: bool, year: int) -> str:
        """12 digits: birth province (3) + gender/century (1) + birth year (2) + 6 random digits."""
        rnd = rng.random
        prov = self.home if rnd() < 0.82 else PROVINCE_CODES[int(rnd() * len(PROVINCE_CODES))]
        century = 0 if year < 2000 else 2
        g = century + (0 if male else 1)
        return f"{prov:03d}{g}{year % 100:02d}{int(rnd() * 1_000_000):06d}"

    @staticmethod
    def phone(rng: random.Random) -> str:
        rnd = rng.random
        return PHONE_PREFIXES[int(rnd() * len(PHONE_PREFIXES))] + f"{int(rnd() * 10_000_000):07d}"

    @staticmethod
    def email(rng: random.Random, name: str, year: int) -> str:
        parts = ascii_fold(name).lower().split()
        style = rng.randrange(4)
        if style == 0:
            local = "".join(parts) + str(year)
        elif style == 1:
            local = parts[-1] + "".join(p[0] for p in parts[:-1]) + f"{year % 100:02d}"
        elif style == 2:
            local = ".".join(parts[-1:] + parts[:1]) + str(rng.randrange(10, 999))
        else:
            local = parts[-1] + parts[0] + str(rng.randrange(100, 9999))
        return f"{local}@{rng.choice(MAIL_DOMAINS)}"

    @staticmethod
    def enterprise(rng: random.Random) -> str:
        form = rng.choice(FORMS)
        if form == "Hợp tác xã":
            kind = rng.choice(["Nông nghiệp", "Dịch vụ nông nghiệp", "Môi trường"])
            return f"Hợp tác xã {kind} {rng.choice(BRANDS)}"
        return f"{form} {rng.choice(TRADES)} {rng.choice(BRANDS)}"

    @staticmethod
    def address(
        rng: random.Random,
        commune_kind: str,
        commune_short: str,
        tail: str,
        cache: dict | None = None,
    ) -> str:
        """``<hamlet or street>, <xã/phường> <name>, <tail>`` (tail: district and province)."""
        if commune_kind in ("Phường", "Thị trấn"):
            if rng.random() < 0.6:
                key = (0, rng.randint(1, 15), commune_short, tail)
            else:
                key = (1, rng.randint(1, 320), rng.choice(STREETS), commune_short, tail)
        else:
            key = (2, rng.choice(HAMLETS), commune_short, tail)
        if cache is not None:
            hit = cache.get(key)
            if hit is not None:
                return hit
        if key[0] == 0:
            first = f"Tổ dân phố số {key[1]}"
        elif key[0] == 1:
            first = f"Số {key[1]}, đường {key[2]}"
        else:
            first = key[1]
        s = f"{first}, {commune_kind.lower()} {commune_short}, {tail}"
        if cache is not None:
            cache[key] = s
        return s


# --- officials ---------------------------------------------------------------------------


@cache
def _staff_names(seed_key: str, n: int) -> tuple[str, ...]:
    rng = random.Random(seed_key)
    p = People("0")
    return tuple(p.person(rng)[0] for _ in range(n))


def staff_for(
    agency_code: str, kind: str, dept: str, seed: int
) -> dict[str, list[tuple[str, str, str]]]:
    """Officials of an agency by role: ``desk`` (one-stop), ``handler``, ``leader``.

    Each entry is (name, title, department that acts).
    """
    names = list(_staff_names(f"staff:{agency_code}:{seed}", 8))
    if kind == "UBND_X":
        desk = [
            (names[0], "Công chức Văn phòng - Thống kê", "Bộ phận Tiếp nhận và Trả kết quả"),
            (names[1], "Công chức Tư pháp - Hộ tịch", "Bộ phận Tiếp nhận và Trả kết quả"),
        ]
        handler = [
            (names[1], "Công chức Tư pháp - Hộ tịch", "Tư pháp - Hộ tịch"),
            (names[2], "Công chức Địa chính - Xây dựng", "Địa chính - Xây dựng"),
            (names[3], "Công chức Văn hóa - Xã hội", "Văn hóa - Xã hội"),
        ]
        leader = [
            (names[4], "Chủ tịch UBND", "Lãnh đạo UBND"),
            (names[5], "Phó Chủ tịch UBND", "Lãnh đạo UBND"),
        ]
    elif kind in ("UBND_H", "PHONG"):
        desk = [
            (names[0], "Công chức Bộ phận Một cửa", "Bộ phận Tiếp nhận và Trả kết quả"),
            (names[1], "Công chức Bộ phận Một cửa", "Bộ phận Tiếp nhận và Trả kết quả"),
        ]
        handler = [
            (names[2], "Chuyên viên", "Bộ phận chuyên môn"),
            (names[3], "Chuyên viên", "Bộ phận chuyên môn"),
            (names[6], "Chuyên viên", "Bộ phận chuyên môn"),
        ]
        if kind == "UBND_H":
            leader = [
                (names[4], "Phó Chủ tịch UBND", "Lãnh đạo UBND"),
                (names[5], "Chánh Văn phòng HĐND và UBND", "Văn phòng HĐND và UBND"),
            ]
        else:
            leader = [
                (names[4], "Trưởng phòng", "Lãnh đạo phòng"),
                (names[5], "Phó Trưởng phòng", "Lãnh đạo phòng"),
            ]
    else:  # province
        desk = [
            (
                names[0],
                "Công chức Trung tâm Phục vụ hành chính công",
                "Trung tâm Phục vụ hành chính công",
            ),
            (
                names[1],
                "Công chức Trung tâm Phục vụ hành chính công",
                "Trung tâm Phục vụ hành chính công",
            ),
        ]
        handler = [
            (names[2], "Chuyên viên", "Phòng chuyên môn"),
            (names[3], "Chuyên viên", "Phòng chuyên môn"),
        ]
        leader = [
            (names[4], "Phó Giám đốc", "Ban Giám đốc"),
            (names[5], "Trưởng phòng", "Phòng chuyên môn"),
        ]
    return {
        "desk": desk,
        "handler": handler,
        "leader": leader,
        "signer": [(names[7], "Văn thư", "Văn phòng")],
    }
