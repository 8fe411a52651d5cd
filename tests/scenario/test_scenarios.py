"""Determinism and realism checks on generated scenarios (checks that could fail)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter

import holidays
import pytest

from include.scenario import SCENARIOS, DataFaults, build_scenario
from include.sources.qlvb_columns import COLUMNS

from .reference_counts import dossier_fact

DOSSIER_FIELDS = {
    "MaHoSo",
    "MaTTHC",
    "TenTTHC",
    "MaLinhVuc",
    "TenLinhVuc",
    "MaDonVi",
    "KenhThucHien",
    "ChuHoSo",
    "SoGiayToChuHoSo",
    "LoaiDoiTuong",
    "SoDienThoai",
    "Email",
    "DiaChi",
    "TrichYeuHoSo",
    "NgayNopHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "TrangThaiHoSo",
    "NgayKetThucXuLy",
    "NgayTra",
    "NgayTuChoi",
    "HinhThuc",
    "HoSoCoThanhPhanSoHoa",
    "TaiKhoanDuocXacThucVoiVNeID",
    "DuocThanhToanTrucTuyen",
    "NgayCapNhat",
    "TaiLieuNop",
    "DanhSachLePhi",
    "DanhSachHoSoBoSung",
    "DanhSachGiayToKetQua",
}
ITEM_FIELDS = {
    "TepDinhKemId",
    "TenTepDinhKem",
    "MaThanhPhanHoSo",
    "DuocSoHoa",
    "DuocTaiSuDung",
    "DuocLayTuKhoDMQG",
    "IsDeleted",
}
FEE_FIELDS = {"MaPhiLePhi", "TenPhiLePhi", "LoaiPhiLePhi", "Gia"}
SUPP_FIELDS = {
    "HoSoBoSungId",
    "NgayYeuCauBoSung",
    "NgayTiepNhanBoSung",
    "TrangThaiBoSung",
    "NgayHenTraMoi",
}
RESULT_FIELDS = {"GiayToId", "TenGiayTo", "MaGiayToKetQua", "DuongDanTepTinKetQua"}
STEP_FIELDS = {
    "MaHoSo",
    "MaDonVi",
    "ThoiDiemXuLy",
    "TrangThai",
    "PhongBanXuLy",
    "NguoiXuLy",
    "ChucDanh",
    "NoiDungXuLy",
}
AGENCY_FIELDS = {"MaDonVi", "TenDonVi", "CapDonVi", "MaDonViCha", "MaDVHC"}
SERVICE_FIELDS = {
    "serviceId",
    "procedureCode",
    "procedureName",
    "fieldCode",
    "fieldName",
    "agencyLevel",
    "agencyCode",
    "onlineLevel",
    "eligibleFullOnline",
    "hasFee",
    "requiresPaperResult",
    "status",
    "publishedFrom",
    "publishedTo",
    "updatedAt",
}
PAYMENT_FIELDS = {
    "transactionId",
    "dossierCode",
    "agencyCode",
    "procedureCode",
    "feeKind",
    "amount",
    "gateway",
    "status",
    "createdAt",
    "paidAt",
    "updatedAt",
}
RATING_FIELDS = {
    "ratingId",
    "dossierCode",
    "agencyCode",
    "channel",
    "level",
    "ratedAt",
    "updatedAt",
}
#: The spec's columns of each register, without the export's row number.
DOC_COLUMNS = {register: list(columns[1:]) for register, columns in COLUMNS.items()}
PHONE = re.compile(r"^0(3[2-9]|5[2689]|7[06-9]|8[1-9]|9[0-9])\d{7}$")


@pytest.fixture(scope="module")
def small():
    return build_scenario("small", seed=0)


@pytest.fixture(scope="module")
def small_faulty():
    return build_scenario("small", seed=0, data_faults=DataFaults.all())


@pytest.fixture(scope="module")
def my_hao():
    return build_scenario("my_hao_2023h1", seed=3)


@pytest.fixture(scope="module")
def reform():
    return build_scenario("hung_yen_reform", seed=2)


def _ts(s):
    return dt.datetime(
        int(s[0:4]), int(s[4:6]), int(s[6:8]), int(s[8:10]), int(s[10:12]), int(s[12:14])
    )


def _good(rows):
    return [r for r in rows if "_malformed" not in r]


def test_registry():
    assert set(SCENARIOS) == {
        "small",
        "my_hao_2023h1",
        "duc_pho_r2021",
        "duc_pho_r2022h1",
        "binh_son_2023",
        "hung_yen_province",
        "hung_yen_reform",
    }
    assert all(isinstance(v, str) and v for v in SCENARIOS.values())
    with pytest.raises(KeyError):
        build_scenario("nowhere")


def test_deterministic(small, small_faulty):
    again = build_scenario("small", seed=0)
    for attr in (
        "agencies",
        "dossiers",
        "steps",
        "qlvb_units",
        "documents",
        "services",
        "payments",
        "ratings",
    ):
        assert getattr(again, attr) == getattr(small, attr), attr
    assert again.now == small.now
    again_faulty = build_scenario("small", seed=0, data_faults=DataFaults.all())
    assert again_faulty.dossiers == small_faulty.dossiers
    assert again_faulty.payments == small_faulty.payments
    other = build_scenario("small", seed=1)
    assert other.dossiers != small.dossiers


def test_small_is_small(small):
    assert 1500 < len(small.dossiers) < 6000
    assert small.start <= dt.date(2023, 4, 1) and small.end == dt.date(2023, 6, 30)


@pytest.mark.parametrize("which", ["small", "my_hao", "reform"])
def test_dossier_realism(which, request):
    sc = request.getfixturevalue(which)
    vn_hol = holidays.VN(years=range(2019, 2026))
    now = sc.now
    seen = set()
    steps_by = {}
    for s in sc.steps:
        steps_by.setdefault(s["MaHoSo"], []).append(s)
    for d in sc.dossiers:
        assert set(d) >= DOSSIER_FIELDS
        assert d["MaHoSo"] not in seen
        seen.add(d["MaHoSo"])
        st = d["TrangThaiHoSo"]
        sub = _ts(d["NgayNopHoSo"])
        assert sub <= now
        if st in ("1", "3"):
            assert d["NgayTiepNhan"] == "" and d["NgayKetThucXuLy"] == ""
            assert (d["NgayTuChoi"] != "") == (st == "3")
        else:
            intake = _ts(d["NgayTiepNhan"])
            assert intake >= sub
            assert intake.weekday() < 5 and intake.date() not in vn_hol, d["MaHoSo"]
            assert 7 <= intake.hour < 18
            assert d["NgayHenTra"] and _ts(d["NgayHenTra"]).date() >= intake.date()
        if st in ("2", "4", "5", "6"):
            assert d["NgayKetThucXuLy"] == "" and d["NgayTra"] == ""
        if st in ("7", "8", "9"):
            assert d["NgayKetThucXuLy"] != "" and d["NgayTra"] == ""
        if st == "10":
            assert _ts(d["NgayTra"]) >= _ts(d["NgayKetThucXuLy"]) >= _ts(d["NgayTiepNhan"])
        if st in ("9", "10"):
            assert len(d["DanhSachGiayToKetQua"]) >= 1
        else:
            assert d["DanhSachGiayToKetQua"] == []
        if st == "5":
            assert any(b["NgayTiepNhanBoSung"] == "" for b in d["DanhSachHoSoBoSung"])
        for b in d["DanhSachHoSoBoSung"]:
            assert set(b) >= SUPP_FIELDS
            if b["NgayTiepNhanBoSung"]:
                assert b["NgayTiepNhanBoSung"] > b["NgayYeuCauBoSung"]
        for i in d["TaiLieuNop"]:
            assert set(i) >= ITEM_FIELDS
        for f in d["DanhSachLePhi"]:
            assert (
                set(f) >= FEE_FIELDS
                and isinstance(f["Gia"], int)
                and f["LoaiPhiLePhi"] in ("1", "2")
            )
        for g in d["DanhSachGiayToKetQua"]:
            assert set(g) >= RESULT_FIELDS
        stamps = [
            d[k]
            for k in ("NgayNopHoSo", "NgayTiepNhan", "NgayKetThucXuLy", "NgayTra", "NgayTuChoi")
            if d[k]
        ]
        assert d["NgayCapNhat"] >= max(stamps)
        assert _ts(d["NgayCapNhat"]) <= now
        steps = steps_by.get(d["MaHoSo"], [])
        if st == "1":
            assert steps == []
        else:
            times = [s["ThoiDiemXuLy"] for s in steps]
            assert times == sorted(times) and times[-1] == d["NgayCapNhat"]
            assert steps[-1]["TrangThai"] == st
            if st != "3":
                assert (
                    steps[0]["TrangThai"] == "2" and steps[0]["ThoiDiemXuLy"] == d["NgayTiepNhan"]
                )
        # personal data looks real
        assert re.fullmatch(r"\d{12}", d["SoGiayToChuHoSo"])
        assert d["SoGiayToChuHoSo"][3] in "0123"
        assert PHONE.match(d["SoDienThoai"]), d["SoDienThoai"]
        if d["LoaiDoiTuong"] != "2":
            assert d["ChuHoSo"] in d["TrichYeuHoSo"]
        assert d["KenhThucHien"] in ("", "1", "2", "3")
        assert d["DuocThanhToanTrucTuyen"] in ("0", "1", "2")
        assert dossier_fact(d) is not None
    for s in sc.steps:
        assert set(s) >= STEP_FIELDS and s["MaHoSo"] in seen and _ts(s["ThoiDiemXuLy"]) <= now
    # listing order of the APIs
    keys = [(d["NgayCapNhat"], d["MaHoSo"]) for d in sc.dossiers]
    assert keys == sorted(keys)
    keys = [(s["ThoiDiemXuLy"], s["MaHoSo"]) for s in sc.steps]
    assert keys == sorted(keys)
    # a realistic mix
    status = Counter(d["TrangThaiHoSo"] for d in sc.dossiers)
    assert status["10"] > 0.7 * len(sc.dossiers)
    for code in ("1", "3", "4", "7", "9"):
        assert status[code] > 0, code
    weekend_online = sum(
        1 for d in sc.dossiers if d["KenhThucHien"] == "2" and _ts(d["NgayNopHoSo"]).weekday() >= 5
    )
    assert weekend_online > 0


def test_agencies(small, my_hao):
    for sc, n_communes in ((small, 13), (my_hao, 13)):
        codes = [a["MaDonVi"] for a in sc.agencies]
        assert len(codes) == len(set(codes))
        assert all(set(a) == AGENCY_FIELDS for a in sc.agencies)
        assert sum(a["CapDonVi"] == "3" for a in sc.agencies) == n_communes
        assert all(re.fullmatch(r"\d{5}", a["MaDVHC"]) for a in sc.agencies if a["CapDonVi"] == "3")
        assert all(a["MaDVHC"] == "328" for a in sc.agencies if a["CapDonVi"] == "2")
        by = {a["MaDonVi"]: a for a in sc.agencies}
        assert next(a for a in sc.agencies if a["CapDonVi"] == "1")["MaDonViCha"] == ""
        assert all(a["MaDonViCha"] in by for a in sc.agencies if a["CapDonVi"] != "1")
        ids = [u["id"] for u in sc.qlvb_units]
        assert len(ids) == len(set(ids)) and {u["ma_dinh_danh"] for u in sc.qlvb_units} == set(
            codes
        )
    assert "000.09.11.H33" in {
        a["MaDonVi"] for a in small.agencies
    }  # phường Minh Đức (spec example)
    assert "000.00.11.H33" in {a["MaDonVi"] for a in small.agencies}  # UBND thị xã Mỹ Hào


def test_portal_records(small):
    assert all(set(o) >= SERVICE_FIELDS for o in small.services)
    ids = [o["serviceId"] for o in small.services]
    assert len(ids) == len(set(ids))
    dossiers = {d["MaHoSo"]: d for d in small.dossiers}
    assert small.payments and small.ratings
    for p in small.payments:
        assert set(p) >= PAYMENT_FIELDS
        d = dossiers[p["dossierCode"]]
        if p["status"] == "SUCCESS":
            assert d["DuocThanhToanTrucTuyen"] in ("1", "2") and p["paidAt"]
            assert p["paidAt"].endswith(("Z", "+07:00"))
        int(p["amount"])
    assert any(isinstance(p["amount"], str) for p in small.payments)
    assert {p["createdAt"][-1] for p in small.payments} >= {"Z", "0"}

    def vn(s):
        t = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
        return (t.astimezone(dt.timezone(dt.timedelta(hours=7)))).replace(tzinfo=None)

    now = small.now
    for rows, cols in (
        (small.payments, ("createdAt", "paidAt", "updatedAt")),
        (small.ratings, ("ratedAt", "updatedAt")),
        (small.services, ("updatedAt",)),
    ):
        for r in rows:
            assert all(vn(r[c]) <= now for c in cols if r[c] is not None)
    assert {p["status"] for p in small.payments} >= {"SUCCESS", "FAILED"}
    for r in small.ratings:
        assert set(r) >= RATING_FIELDS
        d = dossiers[r["dossierCode"]]
        assert d["TrangThaiHoSo"] == "10"
        rated = dt.datetime.fromisoformat(r["ratedAt"].replace("Z", "+00:00")) + dt.timedelta(
            hours=7
        )
        assert rated.replace(tzinfo=None) >= _ts(d["NgayTra"])
        assert (r["level"] is None) == bool(r["withdrawn"])


def test_documents(small, my_hao, reform):
    for sc in (small, my_hao, reform):
        unit_ids = {u["id"] for u in sc.qlvb_units}
        for loai, cols in DOC_COLUMNS.items():
            rows = sc.documents[loai]
            assert rows
            for r in rows:
                assert list(k for k in r if not k.startswith("_")) == cols
                assert r["_unit_id"] in unit_ids
            for r in rows:
                if loai != "hscv" and r["Độ mật"] != "Thường":
                    assert r["Trích yếu"] == "(Văn bản mật)"
        for r in sc.documents["den"]:
            assert isinstance(r["Ngày đến"], dt.date) and r["Ngày văn bản"] <= r["Ngày đến"]
            assert (r["Ngày hoàn thành"] is not None) == (r["Trạng thái xử lý"] == "Đã xử lý")
            assert (
                r["Ngày hoàn thành"] is None
                or r["Ngày đến"] <= r["Ngày hoàn thành"] <= sc.now.date()
            )
        for r in sc.documents["hscv"]:
            assert (r["Ngày đóng"] is not None) == (r["Trạng thái"] == "Đã đóng")
        assert any(r.get("_pii") for r in sc.documents["den"] + sc.documents["di"])


def test_catalogue_marks_synthetic(my_hao):
    procs = my_hao.procedures
    assert procs
    for p in procs:
        assert p["synthetic"] == p["MaTTHC"].startswith("9.")
        assert re.fullmatch(r"\d\.\d{6}", p["MaTTHC"])
    real = {p["MaTTHC"] for p in procs if not p["synthetic"]}
    assert {"1.001193", "1.000894", "2.000815", "1.001612"} <= real
    used = {d["MaTTHC"] for d in my_hao.dossiers} | {o["procedureCode"] for o in my_hao.services}
    assert used <= {p["MaTTHC"] for p in procs}


def test_faults_only_when_switched_on(small, small_faulty):
    def annotated(sc):
        rows = sc.dossiers + sc.steps + sc.payments + sc.ratings + sc.services
        rows += [r for v in sc.documents.values() for r in v]
        return [
            r for r in rows if any(k.startswith("_") and k not in ("_unit_id", "_pii") for k in r)
        ]

    assert annotated(small) == []
    bad = annotated(small_faulty)
    assert bad
    for group in (
        small_faulty.dossiers,
        small_faulty.steps,
        small_faulty.payments,
        small_faulty.ratings,
        small_faulty.services,
        *small_faulty.documents.values(),
    ):
        mal = [r for r in group if "_malformed" in r]
        assert mal, "each entity has malformed records"
        assert all(isinstance(r["_malformed"], str) and r["_malformed"] for r in mal)
    # malformed dossiers are invalid under the spec; the good records are the clean build's
    assert all(dossier_fact(d) is None for d in small_faulty.dossiers if "_malformed" in d)
    good = {d["MaHoSo"] for d in _good(small_faulty.dossiers)}
    assert good == {d["MaHoSo"] for d in small.dossiers}
    nfd = [d for d in small_faulty.dossiers if d.get("_nfd")]
    assert nfd and all(unicodedata.is_normalized("NFD", d["TrichYeuHoSo"]) for d in nfd)
    assert any("DinhDanhCHS" in d for d in small_faulty.dossiers)


def test_province_scale_fraction():
    sc = build_scenario("hung_yen_province", scale=0.01)
    communes = [a for a in sc.agencies if a["CapDonVi"] == "3"]
    districts = {a["MaDVHC"] for a in sc.agencies if a["CapDonVi"] == "2"}
    assert len(districts) == 10 and len(communes) == 139
    assert 5_000 < len(sc.dossiers) < 20_000
    assert sc.start <= dt.date(2023, 1, 3) and sc.end == dt.date(2024, 12, 31)
    assert {d["MaDonVi"] for d in sc.dossiers} & {
        a["MaDonVi"] for a in sc.agencies if a["CapDonVi"] == "1"
    }
