"""The procedure (TTHC) catalogue the generator draws from.

Two kinds of entries:

* **real** (``synthetic=False``): national procedure codes (``MaTTHC``) and names of the national
  procedure database that we know with confidence — civil status (hộ tịch), certification
  (chứng thực), household businesses, disability, social protection, mediation.
* **synthetic** (``synthetic=True``): every other entry. Names are modelled on real procedure
  names of the field, but the code is made up in the national format with the prefix ``9.``
  (no national code starts with 9), e.g. ``9.100001``. The calibrated scenarios need more
  procedures (238 published in Mỹ Hào) than anyone can recall code by code; these fill the
  count. Nothing may treat a ``9.`` code as a real national procedure.

Processing times are in working days (0 = same day), fee amounts in VND. Field codes
(``MaLinhVuc``) are this catalogue's own short codes (provinces use their own); field names
are the usual national field names.

The entries live in ``data/procedures.csv`` (their fees in ``data/procedure_fees.csv``, the
fields in ``data/fields.csv``); this module only reads them. Row order is the catalogue order,
which the generator's draws depend on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .datafiles import csv_rows

#: field key -> (MaLinhVuc, TenLinhVuc, district department key, province department key)
FIELDS: dict[str, tuple[str, str, str, str]] = {
    r["key"]: (r["code"], r["name"], r["district_dept"], r["province_dept"])
    for r in csv_rows("fields.csv")
}

#: Components a dossier of the field typically carries (TaiLieuNop names), after the form.
FIELD_DOCS: dict[str, list[str]] = {
    "HOTICH": [
        "Giấy tờ tùy thân của người yêu cầu",
        "Giấy chứng sinh",
        "Giấy tờ chứng minh nơi cư trú",
        "Văn bản ủy quyền",
        "Giấy tờ hộ tịch đã cấp",
    ],
    "CHUNGTHUC": [
        "Bản chính giấy tờ, văn bản",
        "Giấy tờ tùy thân của người yêu cầu",
        "Dự thảo hợp đồng, giao dịch",
    ],
    "DATDAI": [
        "Giấy chứng nhận quyền sử dụng đất đã cấp",
        "Hợp đồng chuyển nhượng quyền sử dụng đất",
        "Tờ khai lệ phí trước bạ",
        "Tờ khai thuế thu nhập cá nhân",
        "Trích đo địa chính thửa đất",
        "Giấy tờ về quyền sử dụng đất",
    ],
    "XAYDUNG": [
        "Bản vẽ thiết kế xây dựng",
        "Giấy tờ chứng minh quyền sử dụng đất",
        "Bản cam kết bảo đảm an toàn",
    ],
    "HKD": [
        "Giấy tờ pháp lý của chủ hộ kinh doanh",
        "Biên bản họp thành viên hộ gia đình",
        "Hợp đồng thuê địa điểm kinh doanh",
    ],
    "BTXH": [
        "Tờ khai thông tin của đối tượng",
        "Giấy xác nhận khuyết tật",
        "Sổ hộ nghèo",
        "Giấy tờ tùy thân",
    ],
    "NCC": ["Giấy tờ chứng minh người có công", "Bản khai thân nhân", "Giấy báo tử"],
}
DEFAULT_DOCS = [
    "Giấy tờ tùy thân của người yêu cầu",
    "Văn bản chứng minh",
    "Tài liệu kèm theo",
    "Văn bản ủy quyền",
]

#: Result document by field (TenGiayTo) when an entry does not name its own.
FIELD_RESULT: dict[str, str] = {
    "HOTICH": "Trích lục hộ tịch",
    "CHUNGTHUC": "Bản sao có chứng thực",
    "DATDAI": (
        "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất"
    ),
    "XAYDUNG": "Giấy phép xây dựng",
    "HKD": "Giấy chứng nhận đăng ký hộ kinh doanh",
    "HTX": "Giấy chứng nhận đăng ký hợp tác xã",
    "DOANHNGHIEP": "Giấy chứng nhận đăng ký doanh nghiệp",
    "TDKT": "Quyết định khen thưởng",
    "KNTC": "Quyết định giải quyết",
}


@dataclass(frozen=True)
class Fee:
    code: str  # MaPhiLePhi
    name: str  # TenPhiLePhi
    kind: str  # LoaiPhiLePhi: "1" phí, "2" lệ phí
    amount: int  # VND; with per_page, the price of one page
    per_page: bool = False


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    field: str  # FIELDS key
    levels: tuple[str, ...]  # "PROVINCE" / "DISTRICT" / "COMMUNE"
    days: int  # processing time in working days (0 = same day)
    fees: tuple[Fee, ...] = ()
    weight: float = 1.0  # relative popularity at its level
    land_tax: bool = False  # financial obligation (tiền sử dụng đất, thuế) is assessed
    paper_result: bool = False  # the result is a paper document by law
    eligible_full: bool = True  # may legally be offered fully online
    enterprise: float = 0.0  # share of applicants that are enterprises (LoaiDoiTuong 2)
    result: str = ""  # TenGiayTo of the result
    synthetic: bool = False
    docs: tuple[str, ...] = field(default=())

    @property
    def has_fee(self) -> bool:
        return any(f.amount > 0 for f in self.fees)

    @property
    def field_code(self) -> str:
        return FIELDS[self.field][0]

    @property
    def field_name(self) -> str:
        return FIELDS[self.field][1]

    def record(self) -> dict:
        return {
            "MaTTHC": self.code,
            "TenTTHC": self.name,
            "MaLinhVuc": self.field_code,
            "TenLinhVuc": self.field_name,
            "levels": list(self.levels),
            "processingDays": self.days,
            "fees": [
                {
                    "MaPhiLePhi": f.code,
                    "TenPhiLePhi": f.name,
                    "LoaiPhiLePhi": f.kind,
                    "Gia": f.amount,
                    "perPage": f.per_page,
                }
                for f in self.fees
            ],
            "hasFee": self.has_fee,
            "eligibleFullOnline": self.eligible_full,
            "requiresPaperResult": self.paper_result,
            "landTax": self.land_tax,
            "synthetic": self.synthetic,
        }


def _fees(code: str, rows: list[dict[str, str]]) -> tuple[Fee, ...]:
    # Fee codes are the procedure's code plus P (phí) / LP (lệ phí) and the fee's position.
    return tuple(
        Fee(
            code=f"{code}.{'P' if r['kind'] == '1' else 'LP'}{i + 1}",
            name=r["name"],
            kind=r["kind"],
            amount=int(r["amount"]),
            per_page=r["per_page"] == "1",
        )
        for i, r in enumerate(rows)
    )


def _procedure(r: dict[str, str], fees: list[dict[str, str]]) -> Procedure:
    code, fld = r["code"], r["field"]
    return Procedure(
        code=code,
        name=r["name"],
        field=fld,
        levels=tuple(r["levels"].split()),
        days=int(r["days"]),
        fees=_fees(code, fees),
        weight=float(r["weight"]),
        land_tax=r["land_tax"] == "1",
        paper_result=r["paper_result"] == "1",
        eligible_full=r["eligible_full"] == "1",
        enterprise=float(r["enterprise"] or 0.0),
        result=r["result"] or FIELD_RESULT.get(fld) or "Văn bản trả lời kết quả giải quyết",
        synthetic=code.startswith("9."),
        docs=tuple(FIELD_DOCS.get(fld, DEFAULT_DOCS)),
    )


def _load() -> list[Procedure]:
    """The catalogue from data/procedures.csv and data/procedure_fees.csv, in file order."""
    fees: dict[str, list[dict[str, str]]] = {}
    for f in csv_rows("procedure_fees.csv"):
        fees.setdefault(f["code"], []).append(f)
    out = [_procedure(r, fees.pop(r["code"], [])) for r in csv_rows("procedures.csv")]
    assert not fees, f"fees of unknown procedures: {sorted(fees)}"
    codes = [p.code for p in out]
    assert len(codes) == len(set(codes)), "duplicate procedure code"
    names = [(p.name, p.levels) for p in out]
    assert len(names) == len(set(names)), "duplicate procedure name"
    assert all(p.field in FIELDS for p in out), "procedure of an unknown field"
    return out


PROCEDURES: list[Procedure] = _load()
BY_CODE: dict[str, Procedure] = {p.code: p for p in PROCEDURES}
