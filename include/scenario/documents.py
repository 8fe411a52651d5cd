"""QLVB register rows (incoming ``den``, outgoing ``di``, work files ``hscv``) per agency.

Rows carry the spec's column names (except ``STT``), dates as ``datetime.date`` (or ``None``)
and ``_unit_id`` (the QLVB unit). A row shows the document's state at export time (the
scenario's ``now``). Values are the canonical ones of the spec; export quirks (letter case,
stray spaces, dates as text) belong to the simulator that writes the spreadsheet.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from dataclasses import dataclass, field

from . import records as R
from .generate import poisson
from .units import Agency
from .world import World

DEN_TYPES = [
    ("Công văn", 46),
    ("Kế hoạch", 9),
    ("Thông báo", 8),
    ("Báo cáo", 7),
    ("Quyết định", 12),
    ("Giấy mời", 9),
    ("Tờ trình", 2),
    ("Chỉ thị", 1),
    ("Công điện", 1),
    ("Nghị quyết", 2),
    ("Hướng dẫn", 3),
]
DI_TYPES = [
    ("Công văn", 44),
    ("Báo cáo", 12),
    ("Kế hoạch", 8),
    ("Quyết định", 16),
    ("Tờ trình", 8),
    ("Thông báo", 6),
    ("Giấy mời", 5),
    ("Chỉ thị", 1),
]
ABBR = {
    "Công văn": "",
    "Kế hoạch": "KH",
    "Thông báo": "TB",
    "Báo cáo": "BC",
    "Quyết định": "QĐ",
    "Giấy mời": "GM",
    "Tờ trình": "TTr",
    "Chỉ thị": "CT",
    "Công điện": "CĐ",
    "Nghị quyết": "NQ",
    "Hướng dẫn": "HD",
}
URGENCY = [("Thường", 88), ("Khẩn", 8), ("Thượng khẩn", 3), ("Hỏa tốc", 1)]
SUBJECTS = [
    "triển khai thực hiện chuyển đổi số năm {y}",
    "tăng cường công tác bảo đảm an toàn thông tin mạng",
    "đẩy mạnh thực hiện dịch vụ công trực tuyến toàn trình",
    "báo cáo kết quả cải cách hành chính quý {q} năm {y}",
    "tổ chức hội nghị sơ kết công tác {h} tháng đầu năm {y}",
    "phòng, chống thiên tai và tìm kiếm cứu nạn năm {y}",
    "thực hiện Đề án 06 của Chính phủ trên địa bàn",
    "kiểm tra công tác văn thư, lưu trữ năm {y}",
    "tổ chức các hoạt động kỷ niệm ngày Quốc khánh 2/9",
    "rà soát, cập nhật danh mục thủ tục hành chính",
    "tuyển sinh vào lớp 1 và lớp 6 năm học {y}-{y1}",
    "phòng, chống dịch bệnh trên gia súc, gia cầm",
    "thu ngân sách nhà nước {h} tháng đầu năm {y}",
    "quản lý trật tự xây dựng trên địa bàn",
    "giải phóng mặt bằng dự án đường giao thông liên xã",
    "bảo đảm trật tự an toàn giao thông dịp Tết Nguyên đán",
    "triển khai số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "thực hiện chính sách bảo trợ xã hội",
    "điều tra, rà soát hộ nghèo, hộ cận nghèo năm {y}",
    "sử dụng chữ ký số chuyên dùng Chính phủ",
    "quy hoạch sử dụng đất thời kỳ 2021-2030",
    "tổ chức Ngày hội Đại đoàn kết toàn dân tộc",
    "phê duyệt dự toán kinh phí năm {y}",
    "cử cán bộ tham dự lớp tập huấn nghiệp vụ",
    "xây dựng nông thôn mới nâng cao",
    "tiếp nhận và xử lý phản ánh, kiến nghị của người dân",
]
PII_SUBJECTS = [
    "giải quyết đơn đề nghị của {title} {name}, trú tại {place}",
    "trả lời đơn kiến nghị của {title} {name} về việc tranh chấp đất đai",
    "xác minh nội dung đơn của {title} {name}",
]
EXTERNAL = [
    "UBND tỉnh {p}",
    "Văn phòng UBND tỉnh {p}",
    "Sở Thông tin và Truyền thông tỉnh {p}",
    "Sở Nội vụ tỉnh {p}",
    "Sở Tài chính tỉnh {p}",
    "Sở Tài nguyên và Môi trường tỉnh {p}",
    "Sở Lao động - Thương binh và Xã hội tỉnh {p}",
    "Bảo hiểm xã hội tỉnh {p}",
    "Công an tỉnh {p}",
    "Cục Thuế tỉnh {p}",
    "Sở Giáo dục và Đào tạo tỉnh {p}",
    "Ban Chỉ đạo chuyển đổi số tỉnh {p}",
    "Sở Xây dựng tỉnh {p}",
    "Sở Kế hoạch và Đầu tư tỉnh {p}",
]

_DATE: dict[int, dt.date] = {}


def d_of(o: int) -> dt.date:
    d = _DATE.get(o)
    if d is None:
        d = dt.date.fromordinal(o)
        _DATE[o] = d
    return d


_CUM: dict[int, tuple] = {}


def _wchoice(rng: random.Random, pairs):
    hit = _CUM.get(id(pairs))
    if hit is None or hit[2] is not pairs:
        items = [a for a, _ in pairs]
        cum = list(itertools.accumulate(b for _, b in pairs))
        hit = (items, cum, pairs)
        _CUM[id(pairs)] = hit
    return hit[0][bisect.bisect_right(hit[1], rng.random() * hit[1][-1])]


@dataclass
class DocQuota:
    """Exact counts of rows dated in [s, e] for a group of QLVB units."""

    s: dt.date
    e: dt.date
    den: int
    di: int
    den_confidential: int = 0
    di_confidential: int = 0
    den_forms: dict[str, int] | None = None  # among non-confidential: form -> count
    di_forms: dict[str, int] | None = None
    den_signed: int | None = None  # among non-confidential electronic: Ký số = Có
    di_signed: int | None = None  # among non-confidential electronic: Ký số ≠ Không
    weights: dict[str, float] = field(default_factory=dict)


class DocGen:
    def __init__(self, world: World, rng: random.Random):
        self.w = world
        self.rng = rng
        self.rows: dict[str, list[dict]] = {"den": [], "di": [], "hscv": []}
        self.n = 0
        prov = world.prov.short
        self.external = [x.format(p=prov) for x in EXTERNAL]
        self.people = world.people
        self._recip: dict[tuple[int, int], str] = {}

    # --- one row ---------------------------------------------------------------------------
    def _subject(self, o: int, a: Agency) -> tuple[str, bool]:
        rng = self.rng
        d = d_of(o)
        if rng.random() < 0.02:
            name, male, _ = self.people.person(rng)
            place = rng.choice(self.w.ctx[a.code].residence)
            return "V/v " + rng.choice(PII_SUBJECTS).format(
                title="ông" if male else "bà", name=name, place=f"{place[0].lower()} {place[1]}"
            ), True
        s = rng.choice(SUBJECTS).format(
            y=d.year, y1=d.year + 1, q=(d.month - 1) // 3 + 1, h="06" if d.month <= 6 else "09"
        )
        return "V/v " + s, False

    def den(self, a: Agency, o: int, *, conf: bool, form: str, signed: bool | None) -> dict:
        rng = self.rng
        self.n += 1
        typ = _wchoice(rng, DEN_TYPES)
        issuer = (
            rng.choice(self.external)
            if a.level != "3" or rng.random() < 0.3
            else self.w.by_code[a.parent].name
        )
        subj, pii = self._subject(o, a)
        if conf:
            subj, pii = "(Văn bản mật)", False
        electronic = form in ("Điện tử", "Điện tử và giấy")
        if signed is None:
            signed = electronic and rng.random() < 0.92
        now_o = self.w.end.toordinal()
        has_due = rng.random() < 0.55
        due = o + rng.randint(3, 20) if has_due else None
        u = rng.random()
        done = None
        if u < 0.9:
            lag = (
                int(rng.expovariate(1 / 4))
                if due is None or rng.random() < 0.85
                else (due - o) + rng.randint(1, 10)
            )
            if o + lag <= now_o:
                done = o + lag
        status = (
            "Đã xử lý"
            if done is not None
            else ("Đang xử lý" if rng.random() < 0.7 else "Chưa xử lý")
        )
        abbr = ABBR[typ]
        num = f"{rng.randint(1, 4500)}/{abbr + '-' if abbr else ''}{_issuer_abbr(issuer)}"
        row = R.den_row(
            f"VBD.{a.qlvb_id}.{self.n:07d}",  # Mã văn bản
            0,  # Số đến: numbered in finish()
            d_of(o),  # Ngày đến
            num,  # Số, ký hiệu
            d_of(o - rng.choice((0, 0, 1, 1, 2, 3, 5))),  # Ngày văn bản
            issuer,  # Cơ quan ban hành
            typ,  # Loại văn bản
            subj,  # Trích yếu
            ("Mật" if rng.random() < 0.9 else "Tối mật") if conf else "Thường",  # Độ mật
            _wchoice(rng, URGENCY),  # Độ khẩn
            form,  # Hình thức
            "Có" if electronic and rng.random() < 0.72 else "Không",  # Qua trục liên thông
            "Có" if signed else "Không",  # Ký số
            self._handler_unit(a),  # Đơn vị xử lý chính
            d_of(due) if due is not None else None,  # Hạn xử lý
            d_of(done) if done is not None else None,  # Ngày hoàn thành
            status,  # Trạng thái xử lý
            a.qlvb_id,  # _unit_id
        )
        if pii:
            row["_pii"] = True
        self.rows["den"].append(row)
        return row

    def di(self, a: Agency, o: int, *, conf: bool, form: str, signed: bool | None) -> dict:
        rng = self.rng
        self.n += 1
        typ = _wchoice(rng, DI_TYPES)
        subj, pii = self._subject(o, a)
        if conf:
            subj, pii = "(Văn bản mật)", False
        electronic = form in ("Điện tử", "Điện tử và giấy")
        if signed is None:
            signed = electronic and rng.random() < 0.95
        sig = (
            rng.choices(("Cá nhân và cơ quan", "Cơ quan", "Cá nhân"), (70, 22, 8))[0]
            if signed
            else "Không"
        )
        leaders = self.w.ctx[a.code].staff["leader"]
        name, title, _ = leaders[rng.randrange(len(leaders))]
        abbr = ABBR[typ]
        short = "UBND" if a.kind.startswith("UBND") else _issuer_abbr(a.name)
        row = R.di_row(
            f"VBDI.{a.qlvb_id}.{self.n:07d}",  # Mã văn bản
            f"{rng.randint(1, 3000)}/{abbr + '-' if abbr else ''}{short}",  # Số, ký hiệu
            d_of(o),  # Ngày ban hành
            typ,  # Loại văn bản
            subj,  # Trích yếu
            name,  # Người ký
            title,  # Chức vụ
            self._recipients(),  # Nơi nhận
            ("Mật" if rng.random() < 0.9 else "Tối mật") if conf else "Thường",  # Độ mật
            _wchoice(rng, URGENCY),  # Độ khẩn
            form,  # Hình thức phát hành
            sig,  # Ký số
            "Có" if electronic and rng.random() < 0.6 else "Không",  # Gửi qua trục liên thông
            rng.randint(1, 12),  # Số lượng bản
            a.qlvb_id,  # _unit_id
        )
        if pii:
            row["_pii"] = True
        self.rows["di"].append(row)
        return row

    def hscv(self, a: Agency, o: int, online_share: float) -> dict:
        rng = self.rng
        self.n += 1
        now_o = self.w.end.toordinal()
        close = o + rng.randint(5, 120)
        closed = close <= now_o and rng.random() < 0.85
        conf = rng.random() < 0.01
        subj, _ = self._subject(o, a)
        row = R.hscv_row(
            f"HSCV.{a.qlvb_id}.{self.n:07d}",  # Mã hồ sơ
            "Hồ sơ " + subj[4:] if not conf else "Hồ sơ (mật)",  # Tiêu đề
            self._handler_unit(a),  # Đơn vị
            d_of(o),  # Ngày mở
            d_of(close) if closed else None,  # Ngày đóng
            "Đã đóng" if closed else "Đang xử lý",  # Trạng thái
            "Có" if rng.random() < online_share else "Không",  # Xử lý trên môi trường mạng
            "Mật" if conf else "Thường",  # Độ mật
            a.qlvb_id,  # _unit_id
        )
        self.rows["hscv"].append(row)
        return row

    def _recipients(self) -> str:
        i, j = self.rng.sample(range(6), 2)
        key = (i, j)
        s = self._recip.get(key)
        if s is None:
            s = self._recip[key] = f"{self.external[i]}; {self.external[j]}; Lưu: VT"
        return s

    def _handler_unit(self, a: Agency) -> str:
        if a.kind == "UBND_X":
            return self.rng.choice(
                (
                    "Văn phòng - Thống kê",
                    "Tư pháp - Hộ tịch",
                    "Địa chính - Xây dựng",
                    "Văn hóa - Xã hội",
                    "Tài chính - Kế toán",
                )
            )
        if a.kind == "UBND_H":
            return self.rng.choice(
                (
                    "Văn phòng HĐND và UBND",
                    "Phòng Nội vụ",
                    "Phòng Tài chính - Kế hoạch",
                    "Phòng Tài nguyên và Môi trường",
                    "Phòng Văn hóa và Thông tin",
                )
            )
        return (
            a.name.split(" thị xã ")[0]
            .split(" huyện ")[0]
            .split(" thành phố ")[0]
            .split(" tỉnh ")[0]
        )

    # --- populations ---------------------------------------------------------------------------
    def natural(
        self,
        agencies: list[Agency],
        rates: dict[str, tuple[float, float, float]],
        lo: dt.date,
        hi: dt.date,
        *,
        p_conf: float = 0.01,
        forms=(("Điện tử", 90), ("Điện tử và giấy", 7), ("Giấy", 3)),
        online_share: float = 0.6,
        skip: tuple[dt.date, dt.date] | None = None,
        skip_units: set[str] = frozenset(),
    ) -> None:
        """Rows at daily rates (den, di, hscv) per agency code for working days in [lo, hi].

        ``skip``: a period whose den/di rows of ``skip_units`` are produced by a quota instead.
        """
        rng = self.rng
        cal = self.w.cal
        for a in agencies:
            rd, rdi, rh = rates.get(a.code, (0.0, 0.0, 0.0))
            for i in range(cal.idx_ge(lo.toordinal()), cal.idx_le(hi.toordinal()) + 1):
                o = cal.days[i]
                in_skip = (
                    skip is not None
                    and a.code in skip_units
                    and skip[0].toordinal() <= o <= skip[1].toordinal()
                )
                if not in_skip:
                    for _ in range(_pois(rng, rd)):
                        conf = rng.random() < p_conf
                        self.den(
                            a,
                            o,
                            conf=conf,
                            form="Giấy" if conf else _wchoice(rng, forms),
                            signed=None,
                        )
                    for _ in range(_pois(rng, rdi)):
                        conf = rng.random() < p_conf * 0.5
                        self.di(
                            a,
                            o,
                            conf=conf,
                            form="Giấy" if conf else _wchoice(rng, forms),
                            signed=None,
                        )
                for _ in range(_pois(rng, rh)):
                    self.hscv(a, o, online_share)

    def quota(self, agencies: list[Agency], q: DocQuota) -> None:
        """Exactly ``q.den`` / ``q.di`` rows dated in [s, e] with the quota's attribute counts."""
        rng = self.rng
        cal = self.w.cal
        days = [
            cal.days[i] for i in range(cal.idx_ge(q.s.toordinal()), cal.idx_le(q.e.toordinal()) + 1)
        ]
        cumw = list(itertools.accumulate(q.weights.get(a.code, 1.0) for a in agencies))

        def deal(
            n_total: int,
            n_conf: int,
            forms: dict[str, int] | None,
            signed: int | None,
            default_forms,
        ):
            n_plain = n_total - n_conf
            if forms is None:
                fl = [_wchoice(rng, default_forms) for _ in range(n_plain)]
            else:
                fl = [f for f, n in forms.items() for _ in range(n)]
                assert len(fl) == n_plain, "form counts must add up to the non-confidential rows"
            rng.shuffle(fl)
            elec = [i for i, f in enumerate(fl) if f in ("Điện tử", "Điện tử và giấy")]
            sg: list[bool | None] = [None] * n_plain
            if signed is not None:
                flags = [True] * signed + [False] * (len(elec) - signed)
                rng.shuffle(flags)
                for i, fl_ in zip(elec, flags, strict=True):
                    sg[i] = fl_
                for i, f in enumerate(fl):
                    if f == "Giấy":
                        sg[i] = False
            items = [(False, f, s) for f, s in zip(fl, sg, strict=True)] + [
                (True, "Giấy", False)
            ] * n_conf
            rng.shuffle(items)
            return items

        for kind, n_total, n_conf, forms, signed in (
            ("den", q.den, q.den_confidential, q.den_forms, q.den_signed),
            ("di", q.di, q.di_confidential, q.di_forms, q.di_signed),
        ):
            items = deal(
                n_total,
                n_conf,
                forms,
                signed,
                (("Điện tử", 90), ("Điện tử và giấy", 7), ("Giấy", 3)),
            )
            make = self.den if kind == "den" else self.di
            for conf, form, sgn in items:
                a = agencies[bisect.bisect_right(cumw, rng.random() * cumw[-1])]
                make(a, rng.choice(days), conf=conf, form=form, signed=sgn)

    def finish(self) -> dict[str, list[dict]]:
        """Number incoming documents (Số đến) per unit and year in registration order; sort."""
        den = self.rows["den"]
        den.sort(key=lambda r: (r["_unit_id"], r["Ngày đến"], r["Mã văn bản"]))
        last = (None, None)
        k = 0
        for r in den:
            key = (r["_unit_id"], r["Ngày đến"].year)
            k = k + 1 if key == last else 1
            last = key
            r["Số đến"] = k
        den.sort(key=lambda r: (r["Ngày đến"], r["_unit_id"], r["Mã văn bản"]))
        self.rows["di"].sort(key=lambda r: (r["Ngày ban hành"], r["_unit_id"], r["Mã văn bản"]))
        self.rows["hscv"].sort(key=lambda r: (r["Ngày mở"], r["_unit_id"], r["Mã hồ sơ"]))
        return self.rows


def _issuer_abbr(name: str) -> str:
    if name.startswith("UBND") or name.startswith("Văn phòng UBND"):
        return "UBND" if name.startswith("UBND") else "VP"
    words = [w for w in name.replace("-", " ").split() if w[0].isupper()]
    return "".join(w[0] for w in words[:4]).replace("Đ", "Đ") or "VP"


def _pois(rng: random.Random, lam: float) -> int:
    return poisson(rng, lam)
