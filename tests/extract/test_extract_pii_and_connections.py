"""Personal-data redaction, connection resolution and the refusal to run without a hash key."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from include import connections
from include.connections import ConfigurationError, get_connection, get_pii_hmac_key
from include.pii import (
    APPLICANT_KEY_FIELD,
    applicant_key,
    is_pii_field,
    redact_onestop_record,
    redact_record,
)

DOSSIER = {
    "MaHoSo": "H33.000001",
    "ChuHoSo": "Nguyễn Thị Lan",
    "SoGiayToChuHoSo": "033 190 001 234",
    "SoDienThoai": "0912345678",
    "Email": "lan@example.vn",
    "DiaChi": "thôn Đông, xã Minh Đức",
    "TrichYeuHoSo": "Đăng ký khai sinh cho con Nguyễn Văn An",
    "DinhDanhCHS": "033190001234",
    "MaHoSoQuocGia": "G22.99-230601-0006",  # unknown field: kept
    "SoDienThoaiNguoiNhan": "0987654321",  # unknown field named like personal data: dropped
    "DanhSachGiayToKetQua": [{"GiayToId": "G1", "EmailNguoiNhan": "x@example.vn"}],
}


def test_dossier_keeps_only_a_keyed_hash_of_the_applicant(hmac_key):
    redacted = redact_onestop_record(DOSSIER, hmac_key)

    expected = hmac.new(hmac_key, b"033190001234", hashlib.sha256).hexdigest()
    assert redacted[APPLICANT_KEY_FIELD] == expected
    assert redacted["MaHoSoQuocGia"] == "G22.99-230601-0006"
    assert redacted["DanhSachGiayToKetQua"] == [{"GiayToId": "G1"}]
    text = json.dumps(redacted, ensure_ascii=False)
    for field in ("ChuHoSo", "SoDienThoai", "Email", "DiaChi", "TrichYeuHoSo", "DinhDanhCHS"):
        assert field not in redacted
    for value in ("Nguyễn Thị Lan", "0912345678", "0987654321", "lan@example.vn", "thôn Đông"):
        assert value not in text
    assert "033190001234" not in text
    assert DOSSIER["ChuHoSo"] == "Nguyễn Thị Lan"  # the input is not modified


def test_applicant_key_ignores_formatting_but_not_the_number(hmac_key):
    assert applicant_key(hmac_key, "033190001234") == applicant_key(hmac_key, " 033.190-001234 ")
    assert applicant_key(hmac_key, "033190001234") != applicant_key(hmac_key, "033190001235")
    assert applicant_key(hmac_key, "033190001234") != applicant_key(b"other", "033190001234")
    assert applicant_key(hmac_key, "") is None
    assert applicant_key(hmac_key, None) is None


def test_step_free_text_dropped_and_officials_kept(hmac_key):
    step = {
        "MaHoSo": "H1",
        "NguoiXuLy": "Trần Thị B",
        "ChucDanh": "Chuyên viên",
        "NoiDungXuLy": "x",
    }
    assert redact_onestop_record(step, hmac_key) == {
        "MaHoSo": "H1",
        "NguoiXuLy": "Trần Thị B",
        "ChucDanh": "Chuyên viên",
    }


@pytest.mark.parametrize(
    ("name", "personal"),
    [
        ("Trích yếu", True),
        ("TRÍCH YẾU NỘI DUNG", True),
        ("Tiêu đề", True),
        ("Nơi nhận", True),
        ("dia_chi", True),
        ("Người ký", False),
        ("Mã hồ sơ", False),
        ("MaHoSo", False),
        ("HoSoCoThanhPhanSoHoa", False),
        ("dossierCode", False),
    ],
)
def test_pii_field_names(name, personal):
    assert is_pii_field(name) is personal


def test_dvc_record_with_unexpected_personal_field(hmac_key):
    assert redact_record({"ratingId": "R1", "email": "a@b.vn", "extra": 1}) == {
        "ratingId": "R1",
        "extra": 1,
    }


def test_connection_from_uri_with_encoded_password(monkeypatch):
    monkeypatch.setenv(
        "AIRFLOW_CONN_ONESTOP_API", "https://demo%40tinh:p%2Fss%3Aw0rd@portal.hy.gov.vn:8443"
    )
    conn = get_connection("onestop_api")
    assert (conn.scheme, conn.host, conn.port) == ("https", "portal.hy.gov.vn", 8443)
    assert (conn.login, conn.password) == ("demo@tinh", "p/ss:w0rd")
    assert conn.base_url == "https://portal.hy.gov.vn:8443"
    assert "p/ss:w0rd" not in repr(conn)


def test_connection_from_airflow_json_form(monkeypatch):
    monkeypatch.setenv(
        "AIRFLOW_CONN_QLVB_API",
        json.dumps(
            {
                "conn_type": "http",
                "host": "qlvb.local",
                "port": 8080,
                "schema": "https",
                "password": "k",
            }
        ),
    )
    conn = get_connection("qlvb_api")
    assert conn.base_url == "https://qlvb.local:8080"
    assert conn.password == "k"


def test_missing_connection_names_the_id_and_how_to_set_it(monkeypatch):
    monkeypatch.delenv("AIRFLOW_CONN_DVC_PORTAL_API", raising=False)

    def not_in_airflow(conn_id):
        raise ConfigurationError(f"Airflow connection '{conn_id}' is not set")

    monkeypatch.setattr(connections, "_from_airflow", not_in_airflow)
    with pytest.raises(ConfigurationError, match="dvc_portal_api"):
        get_connection("dvc_portal_api")
    monkeypatch.setenv("AIRFLOW_CONN_DVC_PORTAL_API", "ftp://x:y@host:21")
    with pytest.raises(
        ConfigurationError, match=r"dvc_portal_api.*http or https.*AIRFLOW_CONN_DVC_PORTAL_API"
    ):
        get_connection("dvc_portal_api")


def test_no_hmac_key_refuses_with_instructions(monkeypatch, tmp_path):
    monkeypatch.delenv("AIRFLOW_VAR_DTI_PII_HMAC_KEY", raising=False)
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path))  # Airflow's own lookup finds nothing
    with pytest.raises(ConfigurationError) as raised:
        get_pii_hmac_key()
    message = str(raised.value)
    assert "dti_pii_hmac_key" in message
    assert "AIRFLOW_VAR_DTI_PII_HMAC_KEY" in message

    key = "s3cret-0123456789abcdef0123456789abcdef"
    monkeypatch.setenv("AIRFLOW_VAR_DTI_PII_HMAC_KEY", key)
    assert get_pii_hmac_key() == key.encode()
