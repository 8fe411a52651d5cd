"""The seed reports' sentences with the §7 figures, and how a draft's text is read back.

Shared by the draft tests on the hand-made marts (tests/reports) and on the marts dbt builds
from the calibrated scenarios (tests/warehouse/test_dbt_golden.py). The expected strings are the
seed reports' own sentences (``/work/shared/seeds``, 000 Mỹ Hào 2023-H1 and 003 Bình Sơn 2023)
in the Vietnamese number format, computed from the published figures — not from the code under
test.
"""

from __future__ import annotations

import datetime as dt
import re

import psycopg

from include.reports.content import build_report
from include.reports.figures import load_unit_period

MY_HAO_2023_H1 = [
    # 000: "Cấp huyện: tổng số hồ sơ TTHC đã tiếp nhận: 1079, trong đó: số hồ sơ tiếp nhận
    # trực tuyến là: 980; tiếp nhận trực tiếp: 76; tổng số hồ sơ giải quyết trước hạn: 1038,
    # đúng hạn: 53, không có hồ sơ bị quá hạn; tỷ lệ số hoá … đạt 59.9%; … 63.9%."
    "Cấp huyện: tổng số hồ sơ TTHC đã tiếp nhận: 1.079 hồ sơ, trong đó: số hồ sơ tiếp nhận "
    "trực tuyến là: 980; tiếp nhận trực tiếp: 76; tiếp nhận qua dịch vụ bưu chính công ích: 23",
    "số hồ sơ giải quyết trước hạn: 1.038, đúng hạn: 53, không có hồ sơ bị quá hạn",
    "số hóa hồ sơ TTHC khi tiếp nhận: 646 hồ sơ, đạt 59,87%",
    "số hóa kết quả giải quyết TTHC: 697 hồ sơ, đạt 63,89%",
    # 000: "Cấp xã: tổng số hồ sơ TTHC đã tiếp nhận: 23.479 hồ sơ, số hồ sơ tiếp nhận trực
    # tuyến: 16.696 hồ sơ; số hồ sơ giải quyết trước hạn: 21.893; … 68.1%; … 29.1%."
    "tổng số hồ sơ TTHC đã tiếp nhận: 23.479 hồ sơ, trong đó: số hồ sơ tiếp nhận trực tuyến "
    "là: 16.696",
    "số hồ sơ giải quyết trước hạn: 21.893",
    "số hóa hồ sơ TTHC khi tiếp nhận: 15.989 hồ sơ, đạt 68,1%",
    "đạt 29,1%",
    # 000: "Từ 01/01/2023- 30/6/2023 có 4796 văn bản đi, 4530 văn bản đến được cập nhật, xử lý
    # trên phần mềm Quản lý văn bản và điều hành"; "100% văn bản đi được ký số".
    "từ 01/01/2023 đến 30/06/2023 có 4.796 văn bản đi, 4.530 văn bản đến được cập nhật, xử lý "
    "trên phần mềm Quản lý văn bản và điều hành",
    "văn bản đi có ký số: 4.775 văn bản (đạt 100%)",
    # 000: "Tổng số thủ tục hành chính … là 238 thủ tục, trong đó tổng số dịch vụ công trực
    # tuyến một phần là 54 dịch vụ; tổng số dịch vụ công trực tuyến toàn trình là 173 dịch vụ"
    "là 238 thủ tục, trong đó tổng số dịch vụ công trực tuyến một phần là 54 dịch vụ; tổng số "
    "dịch vụ công trực tuyến toàn trình là 173 dịch vụ",
    "Kính gửi: Sở Thông tin và Truyền thông tỉnh Hưng Yên.",
    "trên địa bàn thị xã Mỹ Hào 06 tháng đầu năm 2023",
    "UBND THỊ XÃ MỸ HÀO",
    "Số:      /BC-UBND",
]

BINH_SON_2023 = [
    # 003: "Số hóa hồ sơ TTHC khi tiếp nhận: 21.777 hồ sơ, đạt 64.39%; Số hóa kết quả giải
    # quyết TTHC: 9.149 hồ sơ, đạt 28.42 %" (district), and 21.213 / 65.16%, 8.885 / 28.69%.
    "số hóa hồ sơ TTHC khi tiếp nhận: 21.777 hồ sơ, đạt 64,39%; số hóa kết quả giải quyết "
    "TTHC: 9.149 hồ sơ, đạt 28,42%",
    "số hóa hồ sơ TTHC khi tiếp nhận: 21.213 hồ sơ, đạt 65,16%; số hóa kết quả giải quyết "
    "TTHC: 8.885 hồ sơ, đạt 28,69%",
    # 003: "tiếp nhận 26.157 văn bản đến …, văn bản có ký số 23.546, không ký số 1.714; tổng
    # số văn bản đi 497, … văn bản có ký số: 487 văn bản, không ký số: 10 văn bản."
    "497 văn bản đi, 26.157 văn bản đến",
    "văn bản đến có ký số 23.546, không ký số 1.714",
    "văn bản đi có ký số: 487 văn bản (đạt 97,99%), không ký số: 10 văn bản",
    # 003: "thanh toán trực tuyến thu thuế đất được hơn 2,5 tỷ đồng với 1.451 giao dịch …
    # thanh toán trực tuyến được 2.920 giao dịch với tổng số tiền hơn 46 triệu đồng"
    "thanh toán trực tuyến thu thuế đất được 1.451 giao dịch với tổng số tiền hơn 2,5 tỷ đồng",
    "thanh toán trực tuyến phí, lệ phí được 2.920 giao dịch với tổng số tiền hơn 46 triệu đồng",
    # 003: "Tổng số dịch vụ công trực tuyến một phần cấp huyện là 47 và toàn trình cấp huyện là
    # 23, một phần cấp xã là 47, toàn trình cấp xã là 7"
    "một phần cấp huyện là 47, toàn trình cấp huyện là 23; một phần cấp xã là 47, toàn trình "
    "cấp xã là 7",
    "Kính gửi: Sở Thông tin và Truyền thông tỉnh Quảng Ngãi.",
]


def report_text(dsn: str, unit: str, period_type: str, period_key: str) -> str:
    with psycopg.connect(dsn) as conn:
        period = load_unit_period(conn, unit, period_type, period_key)
    now = dt.datetime(2023, 7, 10, 9, 0)
    return build_report(period, issued_on=now.date(), generated_at=now).all_text()


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)
