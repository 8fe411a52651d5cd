"""Conformance of the one-stop simulator with specs/sources/onestop.md."""

from __future__ import annotations

import unicodedata

import requests

from include.simulators import OnestopSimulator

JUNE = {"tu_ngay": "20230601000000", "den_ngay": "20230701000000"}


def _get(sim: OnestopSimulator, token: str, path: str, **params: object) -> requests.Response:
    return requests.get(
        f"{sim.url}/api/v1/{path}", params=params, headers={"X-Session": token}, timeout=5
    )


def _in_june(record: dict) -> bool:
    return JUNE["tu_ngay"] <= record["NgayCapNhat"] < JUNE["den_ngay"]


def test_login_good_and_bad_credentials(onestop: OnestopSimulator) -> None:
    url = f"{onestop.url}/api/v1/auth/session"
    good = requests.post(
        url, json={"username": "dti_reader", "password": "demo-onestop-password"}, timeout=5
    ).json()
    assert good["error_code"] == "0"
    assert good["expires_in"] == 1800
    assert isinstance(good["session"], str) and good["session"]

    bad = requests.post(url, json={"username": "dti_reader", "password": "x"}, timeout=5)
    assert bad.status_code == 200
    assert bad.json() == {"error_code": "401", "message": "Sai tên đăng nhập hoặc mật khẩu"}


def test_unknown_session_is_http_401(onestop: OnestopSimulator) -> None:
    answer = _get(onestop, "not-a-session", "donvi")
    assert answer.status_code == 401
    assert answer.json() == {
        "error_code": "401",
        "message": "Phiên làm việc không hợp lệ hoặc đã hết hạn",
    }


def test_donvi_is_unpaged_and_hides_annotations(onestop: OnestopSimulator, onestop_login) -> None:
    body = _get(onestop, onestop_login(onestop.url), "donvi").json()
    assert body["error_code"] == "0"
    assert "tong_so_ban_ghi" not in body
    assert [a["MaDonVi"] for a in body["data"]] == [
        "000.00.00.H33",
        "000.00.11.H33",
        "000.09.11.H33",
    ]
    assert set(body["data"][0]) == {"MaDonVi", "TenDonVi", "CapDonVi", "MaDonViCha", "MaDVHC"}


def test_hoso_pages_cover_the_window_in_order(onestop: OnestopSimulator, onestop_login) -> None:
    token = onestop_login(onestop.url)
    expected = [r for r in onestop.current_records("hoso") if _in_june(r)]
    seen: list[dict] = []
    trang = 1
    while True:
        body = _get(onestop, token, "hoso", trang=trang, so_ban_ghi=100, **JUNE).json()
        assert body["error_code"] == "0"
        assert (body["trang"], body["so_ban_ghi"]) == (trang, 100)
        assert body["tong_so_ban_ghi"] == len(expected) == 442
        if not body["data"]:
            break
        seen.extend(body["data"])
        trang += 1
    assert trang == 6  # 5 pages of data, page 6 past the end is empty
    keys = [(r["NgayCapNhat"], r.get("MaHoSo", "")) for r in seen]
    assert keys == sorted(keys)
    assert len(seen) == len(expected)
    assert all(not k.startswith("_") for r in seen for k in r)
    assert [r.get("MaHoSo") for r in seen] == [r.get("MaHoSo") for r in expected]


def test_hoso_default_page_size_and_records_served_as_stored(
    onestop: OnestopSimulator, onestop_login
) -> None:
    body = _get(onestop, onestop_login(onestop.url), "hoso", **JUNE).json()
    assert body["trang"] == 1 and body["so_ban_ghi"] == 100 and len(body["data"]) == 100
    by_index = body["data"]  # records 0..99 of the scenario, in order
    assert by_index[5]["TenTTHC"] == unicodedata.normalize("NFD", "Đăng ký khai sinh")
    assert by_index[6]["MaHoSoQuocGia"] == "G22.99-230601-0006"
    assert by_index[7]["NgayTiepNhan"] == "20230231080000"
    assert "MaHoSo" not in by_index[8]
    assert by_index[0]["DanhSachLePhi"][0]["Gia"] == 0
    assert by_index[0]["NgayTra"] is None


def test_madonvi_filters_and_unknown_agency_is_empty(
    onestop: OnestopSimulator, onestop_login
) -> None:
    token = onestop_login(onestop.url)
    body = _get(onestop, token, "hoso", madonvi="000.09.11.H33", so_ban_ghi=1000, **JUNE).json()
    assert body["data"] and {r["MaDonVi"] for r in body["data"]} == {"000.09.11.H33"}
    expected = [
        r
        for r in onestop.current_records("hoso")
        if _in_june(r) and r["MaDonVi"] == "000.09.11.H33"
    ]
    assert body["tong_so_ban_ghi"] == len(expected)
    empty = _get(onestop, token, "hoso", madonvi="999.99.99.H99", **JUNE).json()
    assert (empty["error_code"], empty["tong_so_ban_ghi"], empty["data"]) == ("0", 0, [])


def test_tientrinh_ordered_by_processing_time(onestop: OnestopSimulator, onestop_login) -> None:
    body = _get(onestop, onestop_login(onestop.url), "tientrinh", so_ban_ghi=1000, **JUNE).json()
    keys = [(r["ThoiDiemXuLy"], r["MaHoSo"]) for r in body["data"]]
    assert keys == sorted(keys) and len(keys) == body["tong_so_ban_ghi"] > 0
    assert "_note" not in body["data"][0]


def test_window_limits_and_parameter_errors(onestop: OnestopSimulator, onestop_login) -> None:
    token = onestop_login(onestop.url)
    cases = [
        ({"tu_ngay": "20230601000000", "den_ngay": "20230702000001"}, "31 ngày"),
        ({**JUNE, "so_ban_ghi": 1001}, "so_ban_ghi"),
        ({**JUNE, "trang": 0}, "trang"),
        ({"tu_ngay": "2023-06-01", "den_ngay": "20230701000000"}, "yyyyMMddHHmmss"),
        ({"den_ngay": "20230701000000"}, "tu_ngay"),
        ({"tu_ngay": "20230701000000", "den_ngay": "20230601000000"}, "tu_ngay"),
    ]
    for params, fragment in cases:
        answer = _get(onestop, token, "hoso", **params)
        assert answer.status_code == 400, params
        assert answer.json()["error_code"] == "400"
        assert fragment in answer.json()["message"]
    ok = _get(onestop, token, "hoso", tu_ngay="20230601000000", den_ngay="20230702000000")
    assert ok.status_code == 200  # exactly 31 days is allowed


def test_exclusive_window_end(onestop: OnestopSimulator, onestop_login) -> None:
    first = onestop.current_records("hoso")[0]["NgayCapNhat"]
    token = onestop_login(onestop.url)
    before = _get(onestop, token, "hoso", tu_ngay="20230515000000", den_ngay=first).json()
    from_it = _get(onestop, token, "hoso", tu_ngay=first, den_ngay="20230602000000").json()
    assert before["tong_so_ban_ghi"] == 0
    assert from_it["data"][0]["NgayCapNhat"] == first


def test_unknown_path_and_method(onestop: OnestopSimulator, onestop_login) -> None:
    token = onestop_login(onestop.url)
    assert _get(onestop, token, "khong-co").status_code == 404
    wrong = requests.get(f"{onestop.url}/api/v1/auth/session", timeout=5)
    assert wrong.status_code == 405 and wrong.json()["error_code"] == "405"
