"""An independent reference count of the indicators, written from indicators.md §1–§4 and the
source specs only. It does not import the generator: it reads records as a portal serves them
(plus the Scenario's agency list to map agencies to administrative units).

Records that break their source's spec are skipped ("count nowhere", indicators.md §4).
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import vietnam_provinces

VN = ZoneInfo("Asia/Ho_Chi_Minh")
LEVEL_OF_CAP = {"1": "province", "2": "district", "3": "commune"}
PORTAL_LEVEL = {"province": "PROVINCE", "district": "DISTRICT", "commune": "COMMUNE"}


# --- administrative units ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def unit_parents() -> dict[str, str]:
    """GSO code -> parent GSO code (pre-2025 list)."""
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as f:
        data = json.load(f)
    out: dict[str, str] = {}
    for p in data:
        pc = f"{int(p['code']):02d}"
        for d in p["districts"]:
            dc = f"{int(d['code']):03d}"
            out[dc] = pc
            for w in d.get("wards", []):
                out[f"{int(w['code']):05d}"] = dc
    return out


def inside(unit: str, container: str) -> bool:
    parents = unit_parents()
    u = unit
    while u:
        if u == container:
            return True
        u = parents.get(u, "")
    return False


def scope_agencies(agencies: list[dict], unit: str, level: str) -> set[str]:
    """MaDonVi of the agencies of handling level ``level`` whose unit is ``unit`` or inside it."""
    out = set()
    for a in agencies:
        if level != "all" and LEVEL_OF_CAP[a["CapDonVi"]] != level:
            continue
        if inside(a["MaDVHC"], unit):
            out.add(a["MaDonVi"])
    return out


# --- one-stop -----------------------------------------------------------------------------------


def ts_date(s) -> dt.date | None:
    """Date of a ``yyyyMMddHHmmss`` Vietnam-time timestamp; None if empty; raises if invalid."""
    if s is None or s == "":
        return None
    if not isinstance(s, str) or len(s) != 14 or not s.isdigit():
        raise ValueError(s)
    if int(s[8:10]) > 23 or int(s[10:12]) > 59 or int(s[12:14]) > 59:
        raise ValueError(s)
    return dt.date(int(s[0:4]), int(s[4:6]), int(s[6:8]))  # raises on an impossible date


TS_FIELDS = (
    "NgayNopHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "NgayTra",
    "NgayTuChoi",
    "NgayCapNhat",
)


@dataclass
class Fact:
    agency: str
    status: int
    receipt: dt.date | None
    end: dt.date | None
    due: dt.date | None
    channel: str
    digitised: bool
    result_digitised: bool
    reuse: bool
    has_fee: bool
    paid_online: bool
    procedure: str

    @property
    def received(self) -> bool:
        return self.receipt is not None and self.status not in (1, 3)

    @property
    def ended(self) -> bool:
        return self.status in (7, 8, 9, 10)


def dossier_fact(r: dict) -> Fact | None:
    """The facts of a dossier's latest record, or None when the record is invalid."""
    if not r.get("MaHoSo"):
        return None
    st = r.get("TrangThaiHoSo")
    if not isinstance(st, str) or not st.isdigit() or not 1 <= int(st) <= 10:
        return None
    status = int(st)
    try:
        dates = {k: ts_date(r.get(k)) for k in TS_FIELDS}
    except ValueError:
        return None
    end = dates["NgayKetThucXuLy"]
    if status in (9, 10) and end is None:
        end = dates["NgayTra"]
        if end is None:
            return None
    items = [i for i in (r.get("TaiLieuNop") or []) if i.get("IsDeleted") != "1"]
    return Fact(
        agency=r.get("MaDonVi", ""),
        status=status,
        receipt=dates["NgayTiepNhan"],
        end=end if status in (7, 8, 9, 10) else None,
        due=dates["NgayHenTra"],
        channel={"2": "online", "3": "postal"}.get(r.get("KenhThucHien") or "", "in_person"),
        digitised=r.get("HoSoCoThanhPhanSoHoa") == "1"
        or any(i.get("DuocSoHoa") == "1" for i in items),
        result_digitised=any(
            (g.get("DuongDanTepTinKetQua") or "") != "" for g in r.get("DanhSachGiayToKetQua") or []
        ),
        reuse=any(i.get("DuocTaiSuDung") == "1" or i.get("DuocLayTuKhoDMQG") == "1" for i in items),
        has_fee=any((f.get("Gia") or 0) > 0 for f in r.get("DanhSachLePhi") or []),
        paid_online=r.get("DuocThanhToanTrucTuyen") in ("1", "2"),
        procedure=r.get("MaTTHC", ""),
    )


def latest(records: Iterable[dict]) -> list[dict]:
    best: dict[str, dict] = {}
    for r in records:
        k = r.get("MaHoSo")
        if not k:
            continue
        if k not in best or (r.get("NgayCapNhat") or "") >= (best[k].get("NgayCapNhat") or ""):
            best[k] = r
    return list(best.values())


def tthc_counts(dossiers: list[dict], agencies: set[str], s: dt.date, e: dt.date) -> dict[str, int]:
    """indicators.md §3 counts for the dossiers of the given agencies and period [s, e]."""
    c = {
        k: 0
        for k in (
            "received",
            "received_online",
            "received_in_person",
            "received_postal",
            "carried_over",
            "in_scope",
            "resolved",
            "early",
            "on_time",
            "late",
            "withdrawn",
            "stopped",
            "pending",
            "overdue",
            "not_due",
            "digitised",
            "result_digitised",
            "reuse",
            "with_fee",
            "with_fee_paid_online",
        )
    }
    for r in latest(dossiers):
        f = dossier_fact(r)
        if f is None or f.agency not in agencies or not f.received:
            continue
        rd = f.receipt
        in_p = s <= rd <= e
        carried = rd < s and (not f.ended or f.end >= s)
        if not (in_p or carried):
            continue
        if in_p:
            c["received"] += 1
            c["received_" + f.channel] += 1
            c["digitised"] += f.digitised
            c["reuse"] += f.reuse
            if f.has_fee:
                c["with_fee"] += 1
                c["with_fee_paid_online"] += f.paid_online
        else:
            c["carried_over"] += 1
        c["in_scope"] += 1
        if f.ended and s <= f.end <= e:
            if f.status in (9, 10):
                c["resolved"] += 1
                c["result_digitised"] += f.result_digitised
                if f.due is None or f.end == f.due:
                    c["on_time"] += 1
                elif f.end < f.due:
                    c["early"] += 1
                else:
                    c["late"] += 1
            elif f.status == 7:
                c["withdrawn"] += 1
            else:
                c["stopped"] += 1
        elif not f.ended or f.end > e:
            c["pending"] += 1
            if f.due is not None and f.due < e:
                c["overdue"] += 1
            else:
                c["not_due"] += 1
    return c


# --- QLVB -------------------------------------------------------------------------------------

FORMS = {"điện tử": "Điện tử", "giấy": "Giấy", "điện tử và giấy": "Điện tử và giấy"}
SECRECY = {"thường", "mật", "tối mật", "tuyệt mật"}
SIGN_DEN = {"có", "không"}
SIGN_DI = {"cá nhân", "cơ quan", "cá nhân và cơ quan", "không"}


def _norm(v) -> str:
    return unicodedata.normalize("NFC", str(v)).strip().lower() if v is not None else ""


def row_date(v) -> dt.date | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.datetime.strptime(str(v).strip(), "%d/%m/%Y").date()  # raises when unreadable


def qlvb_counts(
    documents: dict[str, list[dict]], unit_ids: set[int], s: dt.date, e: dt.date
) -> dict[str, int]:
    c = {
        k: 0
        for k in (
            "incoming",
            "outgoing",
            "nc_rows",
            "nc_electronic",
            "nc_fully_electronic",
            "di_nc_elec",
            "di_nc_elec_signed",
            "di_nc_elec_interlinked",
            "den_nc_elec",
            "den_nc_elec_signed",
            "confidential_incoming",
            "files_closed_nc",
            "files_closed_nc_online",
        )
    }
    for loai, date_col, form_col, sign_set in (
        ("den", "Ngày đến", "Hình thức", SIGN_DEN),
        ("di", "Ngày ban hành", "Hình thức phát hành", SIGN_DI),
    ):
        key_col = "Mã văn bản"
        latest_rows: dict[str, dict] = {}
        for r in documents.get(loai, []):
            if r.get("_unit_id") not in unit_ids:
                continue
            try:
                d = row_date(r.get(date_col))
            except ValueError:
                continue
            form = FORMS.get(_norm(r.get(form_col)))
            secrecy = _norm(r.get("Độ mật"))
            sign = _norm(r.get("Ký số"))
            if (
                d is None
                or form is None
                or secrecy not in SECRECY
                or sign not in sign_set
                or not r.get(key_col)
            ):
                continue
            latest_rows[r[key_col]] = {
                "d": d,
                "form": form,
                "nc": secrecy == "thường",
                "sign": sign,
                "axis": _norm(r.get("Gửi qua trục liên thông")) == "có",
            }
        for x in latest_rows.values():
            if not s <= x["d"] <= e:
                continue
            c["incoming" if loai == "den" else "outgoing"] += 1
            if not x["nc"]:
                if loai == "den":
                    c["confidential_incoming"] += 1
                continue
            c["nc_rows"] += 1
            elec = x["form"] in ("Điện tử", "Điện tử và giấy")
            c["nc_electronic"] += elec
            c["nc_fully_electronic"] += x["form"] == "Điện tử"
            if elec and loai == "di":
                c["di_nc_elec"] += 1
                c["di_nc_elec_signed"] += x["sign"] != "không"
                c["di_nc_elec_interlinked"] += x["axis"]
            if elec and loai == "den":
                c["den_nc_elec"] += 1
                c["den_nc_elec_signed"] += x["sign"] == "có"
    for r in documents.get("hscv", []):
        if r.get("_unit_id") not in unit_ids:
            continue
        try:
            closed = row_date(r.get("Ngày đóng"))
            row_date(r.get("Ngày mở"))
        except ValueError:
            continue
        if closed is None or not s <= closed <= e or _norm(r.get("Độ mật")) != "thường":
            continue
        c["files_closed_nc"] += 1
        c["files_closed_nc_online"] += _norm(r.get("Xử lý trên môi trường mạng")) == "có"
    return c


# --- DVC portal --------------------------------------------------------------------------------


def iso_vn_date(s) -> dt.date:
    t = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    if t.tzinfo is None:
        raise ValueError(s)
    return t.astimezone(VN).date()


def money(v) -> int:
    if isinstance(v, bool):
        raise ValueError(v)
    if isinstance(v, int):
        return v
    if isinstance(v, str) and v.strip().isdigit():
        return int(v)
    raise ValueError(v)


def payment_counts(
    payments: list[dict], agencies: set[str], s: dt.date, e: dt.date
) -> dict[str, int]:
    best: dict[str, dict] = {}
    for p in payments:
        tid = p.get("transactionId")
        if not tid or p.get("status") not in ("PENDING", "SUCCESS", "FAILED", "REFUNDED"):
            continue
        if p.get("feeKind") not in ("FEE", "CHARGE", "LAND_TAX", "OTHER"):
            continue
        try:
            money(p.get("amount"))
            upd = dt.datetime.fromisoformat(p["updatedAt"].replace("Z", "+00:00"))
            if p.get("paidAt") is not None:
                iso_vn_date(p["paidAt"])
        except (ValueError, KeyError, AttributeError):
            continue
        if tid not in best or upd >= dt.datetime.fromisoformat(
            best[tid]["updatedAt"].replace("Z", "+00:00")
        ):
            best[tid] = p
    c: dict[str, int] = {"payments": 0, "payment_amount": 0}
    for k in ("FEE", "CHARGE", "LAND_TAX", "OTHER"):
        c[f"payments.{k}"] = 0
        c[f"payment_amount.{k}"] = 0
    for p in best.values():
        if (
            p["status"] != "SUCCESS"
            or p.get("agencyCode") not in agencies
            or p.get("paidAt") is None
        ):
            continue
        if not s <= iso_vn_date(p["paidAt"]) <= e:
            continue
        a = money(p["amount"])
        c["payments"] += 1
        c["payment_amount"] += a
        c[f"payments.{p['feeKind']}"] += 1
        c[f"payment_amount.{p['feeKind']}"] += a
    return c


def catalogue_counts(
    services: list[dict], agencies: list[dict], unit: str, level: str, day: dt.date
) -> dict[str, int]:
    """dvc.procedures / full / partial / eligible on ``day`` (publishedTo inclusive)."""
    scope = scope_agencies(agencies, unit, level)
    levels = {PORTAL_LEVEL[LEVEL_OF_CAP[a["CapDonVi"]]] for a in agencies if a["MaDonVi"] in scope}
    rank = {"NONE": 0, "PARTIAL": 1, "FULL": 2}
    best: dict[str, int] = {}
    eligible: dict[str, bool] = {}
    for o in services:
        if o.get("onlineLevel") not in rank or o.get("status") != "PUBLISHED":
            continue
        try:
            start = dt.date.fromisoformat(o["publishedFrom"])
            stop = dt.date.fromisoformat(o["publishedTo"]) if o.get("publishedTo") else None
        except (ValueError, KeyError, TypeError):
            continue
        if not (start <= day and (stop is None or day <= stop)):
            continue
        if o.get("agencyLevel") not in levels:
            continue
        if o.get("agencyCode") is not None and o["agencyCode"] not in scope:
            continue
        code = o["procedureCode"]
        best[code] = max(best.get(code, -1), rank[o["onlineLevel"]])
        eligible[code] = eligible.get(code, False) or bool(o.get("eligibleFullOnline"))
    return {
        "procedures": len(best),
        "full": sum(1 for v in best.values() if v == 2),
        "partial": sum(1 for v in best.values() if v == 1),
        "eligible": sum(1 for c in best if eligible[c]),
    }


def rating_counts(
    ratings: list[dict], agencies: set[str], s: dt.date, e: dt.date
) -> dict[str, int]:
    best: dict[int, dict] = {}
    for r in ratings:
        rid = r.get("ratingId")
        if rid is None:
            continue
        best[rid] = r if rid not in best or r["updatedAt"] >= best[rid]["updatedAt"] else best[rid]
    c = {"ratings": 0, "satisfied": 0}
    for r in best.values():
        if r.get("withdrawn") or r.get("level") is None or r.get("agencyCode") not in agencies:
            continue
        if r["level"] not in ("RAT_HAI_LONG", "HAI_LONG", "BINH_THUONG", "KHONG_HAI_LONG"):
            continue
        try:
            d = iso_vn_date(r["ratedAt"])
        except ValueError:
            continue
        if s <= d <= e:
            c["ratings"] += 1
            c["satisfied"] += r["level"] != "KHONG_HAI_LONG"
    return c
