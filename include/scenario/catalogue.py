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
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --- fields ------------------------------------------------------------------------------
#: field key -> (MaLinhVuc, TenLinhVuc, district department key, province department key)
FIELDS: dict[str, tuple[str, str, str, str]] = {
    "HOTICH": ("TP.HT", "Hộ tịch", "TP", "STP"),
    "CHUNGTHUC": ("TP.CT", "Chứng thực", "TP", "STP"),
    "NUOICON": ("TP.NCN", "Nuôi con nuôi", "TP", "STP"),
    "HOAGIAI": ("TP.HGCS", "Hòa giải ở cơ sở", "TP", "STP"),
    "PBGDPL": ("TP.PBGDPL", "Phổ biến, giáo dục pháp luật", "TP", "STP"),
    "BTNN": ("TP.BTNN", "Bồi thường nhà nước", "TP", "STP"),
    "LLTP": ("TP.LLTP", "Lý lịch tư pháp", "TP", "STP"),
    "DATDAI": ("TNMT.DD", "Đất đai", "TNMT", "STNMT"),
    "MOITRUONG": ("TNMT.MT", "Môi trường", "TNMT", "STNMT"),
    "TNNUOC": ("TNMT.TNN", "Tài nguyên nước", "TNMT", "STNMT"),
    "XAYDUNG": ("XD.HDXD", "Hoạt động xây dựng", "KTHT", "SXD"),
    "QHXD": ("XD.QHKT", "Quy hoạch xây dựng, kiến trúc", "KTHT", "SXD"),
    "DUONGBO": ("GT.DB", "Đường bộ", "KTHT", "SGTVT"),
    "DUONGTHUY": ("GT.DTND", "Đường thủy nội địa", "KTHT", "SGTVT"),
    "LUUTHONG": ("CT.LTHH", "Lưu thông hàng hóa trong nước", "KT", "SCT"),
    "ATTP": ("YT.ATTP", "An toàn thực phẩm và dinh dưỡng", "YT", "SYT"),
    "KCB": ("YT.KCB", "Khám bệnh, chữa bệnh", "YT", "SYT"),
    "NONGNGHIEP": ("NN.TT", "Trồng trọt và bảo vệ thực vật", "KT", "SNNPTNT"),
    "THUYLOI": ("NN.TL", "Thủy lợi và phòng, chống thiên tai", "KT", "SNNPTNT"),
    "HKD": ("KH.HKD", "Thành lập và hoạt động của hộ kinh doanh", "TCKH", "SKHDT"),
    "HTX": ("KH.HTX", "Thành lập và hoạt động của hợp tác xã", "TCKH", "SKHDT"),
    "DOANHNGHIEP": ("KH.DN", "Thành lập và hoạt động của doanh nghiệp", "TCKH", "SKHDT"),
    "CONGSAN": ("TC.QLCS", "Quản lý công sản", "TCKH", "SKHDT"),
    "BTXH": ("LD.BTXH", "Bảo trợ xã hội", "LDTBXH", "SLDTBXH"),
    "NCC": ("LD.NCC", "Người có công", "LDTBXH", "SLDTBXH"),
    "TREEM": ("LD.TE", "Trẻ em", "LDTBXH", "SLDTBXH"),
    "VIECLAM": ("LD.VL", "Việc làm", "LDTBXH", "SLDTBXH"),
    "GIAODUC": ("GD.GDDT", "Giáo dục và Đào tạo", "GDDT", "SGDDT"),
    "VANBANG": ("GD.VBCC", "Văn bằng, chứng chỉ", "GDDT", "SGDDT"),
    "VANHOA": ("VH.VHCS", "Văn hóa cơ sở", "VHTT", "SVHTTDL"),
    "THUVIEN": ("VH.TV", "Thư viện", "VHTT", "SVHTTDL"),
    "THETHAO": ("VH.TDTT", "Thể dục thể thao", "VHTT", "SVHTTDL"),
    "DULICH": ("VH.DL", "Du lịch", "VHTT", "SVHTTDL"),
    "XUATBAN": ("TT.XB", "Xuất bản, in và phát hành", "VHTT", "STTTT"),
    "TDKT": ("NV.TDKT", "Thi đua - khen thưởng", "NV", "SNV"),
    "TONGIAO": ("NV.TNTG", "Tín ngưỡng, tôn giáo", "NV", "SNV"),
    "CQDP": ("NV.CQDP", "Chính quyền địa phương", "NV", "SNV"),
    "KNTC": ("TTR.KNTC", "Giải quyết khiếu nại, tố cáo", "TTRA", "TTRA"),
}

#: Components a dossier of the field typically carries (TaiLieuNop names), after the form.
FIELD_DOCS: dict[str, list[str]] = {
    "HOTICH": ["Giấy tờ tùy thân của người yêu cầu", "Giấy chứng sinh", "Giấy tờ chứng minh nơi cư trú",
               "Văn bản ủy quyền", "Giấy tờ hộ tịch đã cấp"],
    "CHUNGTHUC": ["Bản chính giấy tờ, văn bản", "Giấy tờ tùy thân của người yêu cầu", "Dự thảo hợp đồng, giao dịch"],
    "DATDAI": ["Giấy chứng nhận quyền sử dụng đất đã cấp", "Hợp đồng chuyển nhượng quyền sử dụng đất",
               "Tờ khai lệ phí trước bạ", "Tờ khai thuế thu nhập cá nhân", "Trích đo địa chính thửa đất",
               "Giấy tờ về quyền sử dụng đất"],
    "XAYDUNG": ["Bản vẽ thiết kế xây dựng", "Giấy tờ chứng minh quyền sử dụng đất", "Bản cam kết bảo đảm an toàn"],
    "HKD": ["Giấy tờ pháp lý của chủ hộ kinh doanh", "Biên bản họp thành viên hộ gia đình", "Hợp đồng thuê địa điểm kinh doanh"],
    "BTXH": ["Tờ khai thông tin của đối tượng", "Giấy xác nhận khuyết tật", "Sổ hộ nghèo", "Giấy tờ tùy thân"],
    "NCC": ["Giấy tờ chứng minh người có công", "Bản khai thân nhân", "Giấy báo tử"],
}
DEFAULT_DOCS = ["Giấy tờ tùy thân của người yêu cầu", "Văn bản chứng minh", "Tài liệu kèm theo", "Văn bản ủy quyền"]

#: Result document by field (TenGiayTo) when an entry does not name its own.
FIELD_RESULT: dict[str, str] = {
    "HOTICH": "Trích lục hộ tịch",
    "CHUNGTHUC": "Bản sao có chứng thực",
    "DATDAI": "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
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
                {"MaPhiLePhi": f.code, "TenPhiLePhi": f.name, "LoaiPhiLePhi": f.kind,
                 "Gia": f.amount, "perPage": f.per_page}
                for f in self.fees
            ],
            "hasFee": self.has_fee,
            "eligibleFullOnline": self.eligible_full,
            "requiresPaperResult": self.paper_result,
            "landTax": self.land_tax,
            "synthetic": self.synthetic,
        }


C, D, P = "COMMUNE", "DISTRICT", "PROVINCE"


def _fee(kind: str, amount: int, name: str | None = None, per_page: bool = False) -> Fee:
    n = name or ("Phí" if kind == "1" else "Lệ phí")
    return Fee(code="", name=n, kind=kind, amount=amount, per_page=per_page)


# --- real national procedures ------------------------------------------------------------
# (code, name, field, levels, days, fees, weight, extra)
_REAL: list[tuple] = [
    ("1.001193", "Đăng ký khai sinh", "HOTICH", (C,), 1, (_fee("2", 0, "Lệ phí đăng ký khai sinh (miễn)"),), 40,
     {"result": "Giấy khai sinh (bản chính)"}),
    ("1.000894", "Đăng ký kết hôn", "HOTICH", (C,), 1, (_fee("2", 0, "Lệ phí đăng ký kết hôn (miễn)"),), 9,
     {"result": "Giấy chứng nhận kết hôn", "paper_result": True}),
    ("1.000656", "Đăng ký khai tử", "HOTICH", (C,), 1, (_fee("2", 0, "Lệ phí đăng ký khai tử (miễn)"),), 11,
     {"result": "Trích lục khai tử"}),
    ("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", "HOTICH", (C,), 3,
     (_fee("2", 5000, "Lệ phí cấp Giấy xác nhận tình trạng hôn nhân"),), 14,
     {"result": "Giấy xác nhận tình trạng hôn nhân"}),
    ("1.004884", "Đăng ký lại khai sinh", "HOTICH", (C,), 5, (_fee("2", 5000, "Lệ phí đăng ký lại khai sinh"),), 2,
     {"result": "Giấy khai sinh (bản chính)"}),
    ("1.005461", "Đăng ký lại khai tử", "HOTICH", (C,), 5, (_fee("2", 5000, "Lệ phí đăng ký lại khai tử"),), 0.4,
     {"result": "Trích lục khai tử"}),
    ("1.004746", "Đăng ký lại kết hôn", "HOTICH", (C,), 5, (), 0.3,
     {"result": "Giấy chứng nhận kết hôn", "paper_result": True}),
    ("1.000689", "Đăng ký khai sinh kết hợp nhận cha, mẹ, con", "HOTICH", (C,), 3, (), 1.2,
     {"result": "Giấy khai sinh (bản chính)"}),
    ("1.004859", "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", "HOTICH", (C,), 3,
     (_fee("2", 5000, "Lệ phí thay đổi, cải chính hộ tịch"),), 3, {"result": "Trích lục thay đổi, cải chính hộ tịch"}),
    ("1.004772", "Đăng ký khai sinh cho người đã có hồ sơ, giấy tờ cá nhân", "HOTICH", (C,), 3,
     (_fee("2", 5000, "Lệ phí đăng ký khai sinh"),), 0.8, {"result": "Giấy khai sinh (bản chính)"}),
    ("1.000593", "Đăng ký kết hôn lưu động", "HOTICH", (C,), 5, (), 0.05,
     {"result": "Giấy chứng nhận kết hôn", "paper_result": True, "eligible_full": False}),
    ("1.000419", "Đăng ký khai tử lưu động", "HOTICH", (C,), 5, (), 0.05,
     {"result": "Trích lục khai tử", "eligible_full": False}),
    ("1.004845", "Đăng ký chấm dứt giám hộ", "HOTICH", (C,), 2, (), 0.1, {"result": "Trích lục chấm dứt giám hộ"}),
    ("3.000323", "Đăng ký giám sát việc giám hộ", "HOTICH", (C,), 3, (), 0.1, {"result": "Trích lục hộ tịch"}),
    ("2.001263", "Đăng ký việc nuôi con nuôi trong nước", "NUOICON", (C,), 30,
     (_fee("2", 400000, "Lệ phí đăng ký nuôi con nuôi trong nước"),), 0.05,
     {"result": "Giấy chứng nhận nuôi con nuôi", "paper_result": True, "eligible_full": False}),
    ("2.000635", "Cấp bản sao Trích lục hộ tịch", "HOTICH", (C, D), 1,
     (_fee("1", 8000, "Phí cấp bản sao trích lục hộ tịch"),), 9, {"result": "Bản sao trích lục hộ tịch"}),
    ("2.000528", "Đăng ký khai sinh có yếu tố nước ngoài", "HOTICH", (D,), 3,
     (_fee("2", 75000, "Lệ phí đăng ký khai sinh có yếu tố nước ngoài"),), 0.4,
     {"result": "Giấy khai sinh (bản chính)"}),
    ("2.000806", "Đăng ký kết hôn có yếu tố nước ngoài", "HOTICH", (D,), 10,
     (_fee("2", 1000000, "Lệ phí đăng ký kết hôn có yếu tố nước ngoài"),), 0.6,
     {"result": "Giấy chứng nhận kết hôn", "paper_result": True, "eligible_full": False}),
    ("2.000815", "Cấp bản sao có chứng thực từ bản chính giấy tờ, văn bản do cơ quan tổ chức có thẩm quyền của "
     "Việt Nam cấp hoặc chứng nhận", "CHUNGTHUC", (C, D), 0,
     (_fee("1", 2000, "Phí chứng thực bản sao từ bản chính (theo trang)", per_page=True),), 60,
     {"result": "Bản sao có chứng thực"}),
    ("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm chỉ và "
     "trường hợp người yêu cầu chứng thực không thể ký, không thể điểm chỉ được)", "CHUNGTHUC", (C, D), 0,
     (_fee("1", 10000, "Phí chứng thực chữ ký"),), 11, {"result": "Giấy tờ, văn bản đã chứng thực chữ ký"}),
    ("2.000942", "Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực", "CHUNGTHUC",
     (C, D), 2, (_fee("1", 2000, "Phí cấp bản sao hợp đồng, giao dịch (theo trang)", per_page=True),), 0.6,
     {"result": "Bản sao hợp đồng, giao dịch có chứng thực"}),
    ("2.000908", "Cấp bản sao từ sổ gốc", "CHUNGTHUC", (C, D), 0, (), 1.2, {"result": "Bản sao từ sổ gốc"}),
    ("2.001019", "Chứng thực di chúc", "CHUNGTHUC", (C,), 2, (_fee("1", 50000, "Phí chứng thực di chúc"),), 0.5,
     {"result": "Di chúc đã được chứng thực", "eligible_full": False}),
    ("2.001008", "Chứng thực chữ ký người dịch mà người dịch không phải là cộng tác viên dịch thuật", "CHUNGTHUC",
     (D,), 0, (_fee("1", 10000, "Phí chứng thực chữ ký người dịch"),), 0.6,
     {"result": "Bản dịch đã chứng thực chữ ký người dịch"}),
    ("2.000992", "Chứng thực chữ ký người dịch mà người dịch là cộng tác viên dịch thuật", "CHUNGTHUC", (D,), 0,
     (_fee("1", 10000, "Phí chứng thực chữ ký người dịch"),), 0.4,
     {"result": "Bản dịch đã chứng thực chữ ký người dịch"}),
    ("1.001612", "Đăng ký thành lập hộ kinh doanh", "HKD", (D,), 3,
     (_fee("2", 100000, "Lệ phí đăng ký hộ kinh doanh"),), 7, {"enterprise": 0.0}),
    ("2.000720", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "HKD", (D,), 3,
     (_fee("2", 50000, "Lệ phí đăng ký thay đổi hộ kinh doanh"),), 3, {}),
    ("2.000575", "Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh", "HKD", (D,), 3,
     (_fee("2", 50000, "Lệ phí cấp lại Giấy chứng nhận đăng ký hộ kinh doanh"),), 0.6, {}),
    ("1.001570", "Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ kinh doanh", "HKD",
     (D,), 3, (), 1.2, {"result": "Giấy xác nhận về việc hộ kinh doanh đăng ký tạm ngừng kinh doanh"}),
    ("1.001266", "Chấm dứt hoạt động hộ kinh doanh", "HKD", (D,), 3, (), 1.0,
     {"result": "Thông báo về việc chấm dứt hoạt động hộ kinh doanh"}),
    ("1.001776", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng "
     "hàng tháng", "BTXH", (D,), 22, (), 3.0,
     {"result": "Quyết định hưởng trợ cấp xã hội hàng tháng", "eligible_full": True}),
    ("1.001699", "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật", "BTXH", (C,), 25, (),
     1.0, {"result": "Giấy xác nhận khuyết tật", "paper_result": True, "eligible_full": False}),
    ("1.001653", "Đổi, cấp lại Giấy xác nhận khuyết tật", "BTXH", (C,), 5, (), 0.3,
     {"result": "Giấy xác nhận khuyết tật", "paper_result": True}),
    ("2.000930", "Thôi làm hòa giải viên", "HOAGIAI", (C,), 5, (), 0.05, {"result": "Quyết định thôi làm hòa giải viên"}),
    ("2.000950", "Công nhận tổ trưởng tổ hòa giải", "HOAGIAI", (C,), 3, (), 0.05,
     {"result": "Quyết định công nhận tổ trưởng tổ hòa giải"}),
]

# --- synthetic entries -------------------------------------------------------------------
# (name, field, levels, days, fees, weight, extra)
_L = {"land_tax": True}
_SYN: list[tuple] = [
    # shared district + commune certification procedures
    ("Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", "CHUNGTHUC", (C, D), 2,
     (_fee("1", 50000, "Phí chứng thực hợp đồng, giao dịch"),), 1.5, {"result": "Hợp đồng, giao dịch đã được chứng thực"}),
    ("Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", "CHUNGTHUC", (C, D), 2,
     (_fee("1", 30000, "Phí chứng thực việc sửa đổi, bổ sung hợp đồng"),), 0.4, {}),
    ("Sửa lỗi sai sót trong hợp đồng, giao dịch", "CHUNGTHUC", (C, D), 2,
     (_fee("1", 25000, "Phí sửa lỗi sai sót trong hợp đồng"),), 0.2, {}),
    # ---- commune-only
    ("Chứng thực hợp đồng, giao dịch liên quan đến quyền của người sử dụng đất theo quy định của Luật Đất đai",
     "CHUNGTHUC", (C,), 2, (_fee("1", 50000, "Phí chứng thực hợp đồng, giao dịch"),), 4, {}),
    ("Chứng thực hợp đồng, giao dịch liên quan đến nhà ở", "CHUNGTHUC", (C,), 2,
     (_fee("1", 50000, "Phí chứng thực hợp đồng, giao dịch"),), 1.2, {}),
    ("Chứng thực văn bản thỏa thuận phân chia di sản mà di sản là động sản, quyền sử dụng đất, nhà ở", "CHUNGTHUC",
     (C,), 2, (_fee("1", 50000, "Phí chứng thực văn bản thỏa thuận phân chia di sản"),), 1.0, {}),
    ("Chứng thực văn bản khai nhận di sản mà di sản là động sản, quyền sử dụng đất, nhà ở", "CHUNGTHUC", (C,), 2,
     (_fee("1", 50000, "Phí chứng thực văn bản khai nhận di sản"),), 0.8, {}),
    ("Chứng thực văn bản từ chối nhận di sản", "CHUNGTHUC", (C,), 1, (_fee("1", 50000),), 0.4, {}),
    ("Đăng ký giám hộ", "HOTICH", (C,), 3, (), 0.2, {}),
    ("Đăng ký thay đổi giám hộ", "HOTICH", (C,), 3, (), 0.05, {}),
    ("Đăng ký nhận cha, mẹ, con", "HOTICH", (C,), 3, (), 0.8, {}),
    ("Đăng ký khai sinh lưu động", "HOTICH", (C,), 5, (), 0.05, {"eligible_full": False}),
    ("Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em "
     "dưới 6 tuổi", "HOTICH", (C,), 5, (), 6, {"result": "Giấy khai sinh (bản chính)"}),
    ("Liên thông thủ tục hành chính về đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất, hỗ trợ chi "
     "phí mai táng", "HOTICH", (C,), 5, (), 2, {"result": "Trích lục khai tử"}),
    ("Ghi vào Sổ hộ tịch việc hộ tịch của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước "
     "ngoài (cấp xã)", "HOTICH", (C,), 5, (), 0.05, {}),
    ("Hòa giải tranh chấp đất đai", "DATDAI", (C,), 45, (), 0.8, {"eligible_full": False, "result": "Biên bản hòa giải"}),
    ("Tiếp nhận hồ sơ đăng ký đất đai lần đầu tại Ủy ban nhân dân cấp xã", "DATDAI", (C,), 10, (), 2.0,
     {"result": "Phiếu chuyển hồ sơ"}),
    ("Xác nhận hợp đồng thuê đất, mượn đất nông nghiệp", "DATDAI", (C,), 3, (), 0.6, {}),
    ("Đăng ký kê khai đất nông nghiệp tăng thêm do dồn điền đổi thửa", "DATDAI", (C,), 10, (), 0.3, {}),
    ("Trợ giúp xã hội khẩn cấp về hỗ trợ chi phí mai táng", "BTXH", (C,), 2, (), 0.6, {}),
    ("Tiếp nhận đối tượng cần bảo vệ khẩn cấp vào cơ sở trợ giúp xã hội", "BTXH", (C,), 1, (), 0.05, {}),
    ("Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm", "BTXH", (C,), 10, (), 0.6, {"eligible_full": False}),
    ("Công nhận hộ thoát nghèo, hộ thoát cận nghèo trong năm", "BTXH", (C,), 10, (), 0.3, {"eligible_full": False}),
    ("Xác định, công nhận hộ gia đình làm nông nghiệp, lâm nghiệp, ngư nghiệp có mức sống trung bình", "BTXH", (C,),
     10, (), 0.3, {}),
    ("Đăng ký hoạt động đối với cơ sở trợ giúp xã hội dưới 10 đối tượng có hoàn cảnh khó khăn", "BTXH", (C,), 10, (),
     0.02, {}),
    ("Hỗ trợ người có hoàn cảnh khó khăn về nhà ở", "BTXH", (C,), 15, (), 0.2, {}),
    ("Xác nhận vào đơn đề nghị di chuyển hài cốt liệt sĩ; đơn đề nghị thăm viếng mộ liệt sĩ", "NCC", (C,), 3, (), 0.2, {}),
    ("Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", "NCC", (C,), 12, (), 0.3, {}),
    ("Ủy quyền hưởng trợ cấp, phụ cấp ưu đãi", "NCC", (C,), 5, (), 0.3, {}),
    ("Giải quyết chế độ mai táng phí đối với cựu chiến binh", "NCC", (C,), 10, (), 0.2, {}),
    ("Xác nhận thân nhân của người có công với cách mạng", "NCC", (C,), 5, (), 0.4, {}),
    ("Đăng ký nhận chăm sóc thay thế cho trẻ em đối với cá nhân, người đại diện gia đình nhận chăm sóc thay thế không "
     "phải là người thân thích của trẻ em", "TREEM", (C,), 15, (), 0.03, {}),
    ("Phê duyệt kế hoạch hỗ trợ, can thiệp đối với trẻ em bị xâm hại hoặc có nguy cơ bị bạo lực, bóc lột, bỏ rơi",
     "TREEM", (C,), 10, (), 0.02, {"eligible_full": False}),
    ("Công nhận hòa giải viên", "HOAGIAI", (C,), 3, (), 0.05, {}),
    ("Thôi làm tổ trưởng tổ hòa giải", "HOAGIAI", (C,), 3, (), 0.02, {}),
    ("Thanh toán thù lao cho hòa giải viên", "HOAGIAI", (C,), 5, (), 0.05, {}),
    ("Công nhận tuyên truyền viên pháp luật", "PBGDPL", (C,), 3, (), 0.03, {}),
    ("Cho thôi làm tuyên truyền viên pháp luật", "PBGDPL", (C,), 3, (), 0.01, {}),
    ("Xét tặng danh hiệu Gia đình văn hóa hằng năm", "VANHOA", (C,), 5, (), 0.3, {"eligible_full": False}),
    ("Xét tặng Giấy khen Gia đình văn hóa", "VANHOA", (C,), 5, (), 0.1, {}),
    ("Thông báo tổ chức lễ hội cấp xã", "VANHOA", (C,), 5, (), 0.1, {}),
    ("Đăng ký tổ chức lễ hội cấp xã", "VANHOA", (C,), 5, (), 0.05, {}),
    ("Công nhận câu lạc bộ thể thao cơ sở", "THETHAO", (C,), 7, (), 0.03, {}),
    ("Đăng ký hoạt động thư viện cộng đồng", "THUVIEN", (C,), 5, (), 0.02, {}),
    ("Đăng ký hoạt động tín ngưỡng", "TONGIAO", (C,), 15, (), 0.05, {}),
    ("Đăng ký sinh hoạt tôn giáo tập trung", "TONGIAO", (C,), 20, (), 0.03, {}),
    ("Thông báo danh mục hoạt động tôn giáo đối với tổ chức có địa bàn hoạt động tôn giáo ở một xã", "TONGIAO", (C,),
     10, (), 0.03, {}),
    ("Đề nghị tổ chức cuộc lễ ngoài cơ sở tôn giáo, địa điểm hợp pháp đã đăng ký có quy mô tổ chức ở một xã",
     "TONGIAO", (C,), 10, (), 0.02, {}),
    ("Thông báo về việc thay đổi địa điểm sinh hoạt tôn giáo tập trung đến địa bàn xã khác", "TONGIAO", (C,), 10, (),
     0.01, {}),
    ("Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã về thực hiện nhiệm vụ chính trị", "TDKT", (C,), 10,
     (), 0.1, {}),
    ("Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã về thành tích thi đua theo đợt hoặc chuyên đề",
     "TDKT", (C,), 10, (), 0.05, {}),
    ("Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã về thành tích đột xuất", "TDKT", (C,), 5, (), 0.02, {}),
    ("Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã cho gia đình", "TDKT", (C,), 10, (), 0.02, {}),
    ("Thủ tục xét tặng danh hiệu Lao động tiên tiến (cấp xã)", "TDKT", (C,), 10, (), 0.03, {}),
    ("Cho phép nhóm trẻ, lớp mẫu giáo độc lập hoạt động giáo dục", "GIAODUC", (C,), 20, (), 0.02,
     {"eligible_full": False}),
    ("Sáp nhập, chia, tách nhóm trẻ, lớp mẫu giáo độc lập", "GIAODUC", (C,), 20, (), 0.01, {}),
    ("Giải thể nhóm trẻ, lớp mẫu giáo độc lập", "GIAODUC", (C,), 15, (), 0.01, {}),
    ("Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do dịch bệnh cây trồng (cấp xã)", "NONGNGHIEP", (C,), 10, (), 0.05, {}),
    ("Xác nhận bảng kê lâm sản khai thác", "NONGNGHIEP", (C,), 3, (), 0.05, {}),
    ("Đăng ký kê khai hoạt động chăn nuôi quy mô nhỏ", "NONGNGHIEP", (C,), 5, (), 0.05, {}),
    ("Hỗ trợ dự án liên kết sản xuất nông nghiệp (cấp xã)", "NONGNGHIEP", (C,), 20, (), 0.01, {}),
    ("Phê duyệt, điều chỉnh, thẩm định quy trình vận hành công trình thủy lợi nhỏ (cấp xã)", "THUYLOI", (C,), 15, (),
     0.01, {}),
    ("Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai (cấp xã)", "THUYLOI", (C,), 10, (), 0.05, {}),
    ("Giải quyết khiếu nại lần đầu tại cấp xã", "KNTC", (C,), 30, (), 0.05, {"eligible_full": False}),
    ("Giải quyết tố cáo tại cấp xã", "KNTC", (C,), 30, (), 0.03, {"eligible_full": False}),
    ("Tiếp công dân tại cấp xã", "KNTC", (C,), 5, (), 0.05, {"eligible_full": False}),
    ("Xử lý đơn tại cấp xã", "KNTC", (C,), 10, (), 0.05, {}),
    ("Tham vấn ý kiến trong quá trình đánh giá tác động môi trường (cấp xã)", "MOITRUONG", (C,), 10, (), 0.02, {}),
    ("Đăng ký khai thác nước dưới đất quy mô hộ gia đình", "TNNUOC", (C,), 10, (), 0.02, {}),
    ("Xác nhận đơn đề nghị cấp giấy phép xây dựng nhà ở riêng lẻ tại nông thôn", "XAYDUNG", (C,), 3, (), 0.2, {}),
    ("Xác nhận thông tin cư trú phục vụ giải quyết chế độ chính sách", "CQDP", (C,), 2, (), 0.5, {}),
    ("Thông báo thành lập tổ hợp tác", "HTX", (C,), 3, (), 0.02, {}),
    ("Thông báo thay đổi tổ hợp tác", "HTX", (C,), 3, (), 0.01, {}),
    ("Thông báo chấm dứt hoạt động của tổ hợp tác", "HTX", (C,), 3, (), 0.01, {}),
    ("Hỗ trợ chi phí mai táng cho người có công với cách mạng từ trần", "NCC", (C,), 5, (), 0.1, {}),
    ("Xác nhận đối tượng được hỗ trợ đóng bảo hiểm y tế", "BTXH", (C,), 3, (), 0.3, {}),
    ("Thông báo tổ chức quyên góp trong địa bàn một xã của cơ sở tín ngưỡng, tổ chức tôn giáo", "TONGIAO", (C,), 10,
     (), 0.01, {}),
    ("Công nhận Ban vận động thành lập hội có phạm vi hoạt động trong xã", "CQDP", (C,), 20, (), 0.01, {}),
    ("Xác nhận hộ gia đình có người có công với cách mạng đang sinh sống tại địa phương", "NCC", (C,), 3, (), 0.1, {}),
    ("Xét duyệt hỗ trợ học sinh khuyết tật, học sinh có hoàn cảnh khó khăn (cấp xã)", "GIAODUC", (C,), 10, (), 0.05, {}),
    ("Xác nhận đơn xin cấp giấy chứng nhận an toàn thực phẩm cho cơ sở kinh doanh nhỏ lẻ", "ATTP", (C,), 3, (), 0.05, {}),
    ("Cấp giấy phép đào đường giao thông nông thôn", "DUONGBO", (C,), 5, (), 0.02, {}),
    # ---- district-only
    ("Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản "
     "khác gắn liền với đất lần đầu", "DATDAI", (D,), 30, (_fee("2", 100000, "Lệ phí cấp Giấy chứng nhận"),), 5,
     {**_L, "paper_result": True, "eligible_full": False}),
    ("Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất trong các trường hợp chuyển đổi, "
     "chuyển nhượng, cho thuê, cho thuê lại, thừa kế, tặng cho, góp vốn", "DATDAI", (D,), 10,
     (_fee("2", 25000, "Lệ phí cấp Giấy chứng nhận"),), 16, {**_L, "paper_result": True}),
    ("Tách thửa hoặc hợp thửa đất", "DATDAI", (D,), 15, (_fee("2", 25000, "Lệ phí cấp Giấy chứng nhận"),), 5,
     {**_L, "paper_result": True}),
    ("Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất", "DATDAI", (D,), 7,
     (_fee("2", 25000, "Lệ phí cấp đổi Giấy chứng nhận"),), 5, {"paper_result": True}),
    ("Cấp lại Giấy chứng nhận hoặc cấp lại Trang bổ sung của Giấy chứng nhận do bị mất", "DATDAI", (D,), 10,
     (_fee("2", 25000, "Lệ phí cấp lại Giấy chứng nhận"),), 0.8, {"paper_result": True}),
    ("Đính chính Giấy chứng nhận đã cấp", "DATDAI", (D,), 10, (), 0.8, {"paper_result": True}),
    ("Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền đối với hộ gia đình, cá nhân",
     "DATDAI", (D,), 15, (_fee("2", 25000, "Lệ phí cấp Giấy chứng nhận"),), 3,
     {**_L, "paper_result": True, "eligible_full": False}),
    ("Gia hạn sử dụng đất ngoài khu công nghệ cao, khu kinh tế", "DATDAI", (D,), 7, (), 0.3, {**_L}),
    ("Xác nhận tiếp tục sử dụng đất nông nghiệp của hộ gia đình, cá nhân khi hết hạn sử dụng đất", "DATDAI", (D,), 7,
     (), 0.6, {}),
    ("Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất", "DATDAI", (D,), 3,
     (_fee("1", 80000, "Phí đăng ký giao dịch bảo đảm"),), 5, {"enterprise": 0.05}),
    ("Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất", "DATDAI", (D,), 3,
     (_fee("1", 20000, "Phí xóa đăng ký giao dịch bảo đảm"),), 3.5, {}),
    ("Đăng ký thay đổi nội dung thế chấp quyền sử dụng đất, tài sản gắn liền với đất đã đăng ký", "DATDAI", (D,), 3,
     (_fee("1", 60000, "Phí đăng ký thay đổi giao dịch bảo đảm"),), 0.6, {}),
    ("Đăng ký biến động quyền sử dụng đất do đổi tên, giảm diện tích thửa đất do sạt lở tự nhiên, thay đổi về hạn chế "
     "quyền", "DATDAI", (D,), 10, (), 0.8, {"paper_result": True}),
    ("Đăng ký xác lập quyền sử dụng hạn chế thửa đất liền kề", "DATDAI", (D,), 10, (), 0.1, {}),
    ("Chuyển đổi quyền sử dụng đất nông nghiệp của hộ gia đình, cá nhân", "DATDAI", (D,), 10, (), 0.5, {**_L}),
    ("Giải quyết tranh chấp đất đai thuộc thẩm quyền của Chủ tịch Ủy ban nhân dân cấp huyện", "DATDAI", (D,), 45, (),
     0.3, {"eligible_full": False, "result": "Quyết định giải quyết tranh chấp đất đai"}),
    ("Giao đất, cho thuê đất cho hộ gia đình, cá nhân không thông qua hình thức đấu giá quyền sử dụng đất", "DATDAI",
     (D,), 20, (), 0.2, {**_L, "eligible_full": False, "result": "Quyết định giao đất, cho thuê đất"}),
    ("Thu hồi Giấy chứng nhận đã cấp không đúng quy định của pháp luật đất đai do người sử dụng đất phát hiện",
     "DATDAI", (D,), 30, (), 0.05, {"eligible_full": False}),
    ("Cung cấp thông tin, dữ liệu đất đai", "DATDAI", (D,), 3, (_fee("1", 30000, "Phí khai thác tài liệu đất đai"),),
     1.5, {"result": "Văn bản cung cấp thông tin đất đai"}),
    ("Đăng ký biến động đối với trường hợp chuyển từ hình thức thuê đất trả tiền hàng năm sang thuê đất trả tiền một lần",
     "DATDAI", (D,), 20, (), 0.05, {**_L}),
    ("Thẩm định nhu cầu sử dụng đất để xem xét giao đất, cho thuê đất không thông qua hình thức đấu giá", "DATDAI", (D,),
     20, (), 0.05, {"eligible_full": False}),
    ("Xác nhận đăng ký kế hoạch bảo vệ môi trường", "MOITRUONG", (D,), 10, (), 0.2, {"enterprise": 0.7}),
    ("Đăng ký môi trường (cấp huyện)", "MOITRUONG", (D,), 10, (), 0.3, {"enterprise": 0.7}),
    ("Cấp giấy phép môi trường (cấp huyện)", "MOITRUONG", (D,), 15, (_fee("1", 3000000, "Phí thẩm định cấp giấy phép môi trường"),),
     0.05, {"enterprise": 0.9, "eligible_full": False}),
    ("Cấp đổi, điều chỉnh, cấp lại giấy phép môi trường (cấp huyện)", "MOITRUONG", (D,), 10, (), 0.02, {"enterprise": 0.9}),
    ("Đăng ký khai thác nước dưới đất (cấp huyện)", "TNNUOC", (D,), 10, (), 0.05, {"enterprise": 0.5}),
    ("Lấy ý kiến Ủy ban nhân dân cấp huyện đối với các dự án đầu tư có chuyển nước từ nguồn nước nội tỉnh", "TNNUOC",
     (D,), 20, (), 0.01, {"enterprise": 0.9}),
    ("Cấp giấy phép xây dựng mới đối với công trình cấp IV, nhà ở riêng lẻ", "XAYDUNG", (D,), 15,
     (_fee("2", 75000, "Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ"),), 4, {"paper_result": True}),
    ("Cấp giấy phép xây dựng sửa chữa, cải tạo đối với công trình cấp IV, nhà ở riêng lẻ", "XAYDUNG", (D,), 15,
     (_fee("2", 75000, "Lệ phí cấp giấy phép xây dựng"),), 0.8, {"paper_result": True}),
    ("Cấp giấy phép di dời đối với công trình cấp IV, nhà ở riêng lẻ", "XAYDUNG", (D,), 15,
     (_fee("2", 75000, "Lệ phí cấp giấy phép xây dựng"),), 0.05, {"paper_result": True}),
    ("Điều chỉnh giấy phép xây dựng đối với công trình cấp IV, nhà ở riêng lẻ", "XAYDUNG", (D,), 10,
     (_fee("2", 15000, "Lệ phí điều chỉnh giấy phép xây dựng"),), 0.3, {"paper_result": True}),
    ("Gia hạn giấy phép xây dựng đối với công trình cấp IV, nhà ở riêng lẻ", "XAYDUNG", (D,), 5,
     (_fee("2", 15000, "Lệ phí gia hạn giấy phép xây dựng"),), 0.2, {}),
    ("Cấp lại giấy phép xây dựng đối với công trình cấp IV, nhà ở riêng lẻ", "XAYDUNG", (D,), 5,
     (_fee("2", 15000, "Lệ phí cấp lại giấy phép xây dựng"),), 0.1, {}),
    ("Cấp giấy phép xây dựng có thời hạn đối với công trình cấp IV, nhà ở riêng lẻ", "XAYDUNG", (D,), 15,
     (_fee("2", 75000, "Lệ phí cấp giấy phép xây dựng"),), 0.2, {"paper_result": True}),
    ("Cấp giấy phép xây dựng mới đối với công trình cấp III (cấp huyện)", "XAYDUNG", (D,), 20,
     (_fee("2", 150000, "Lệ phí cấp giấy phép xây dựng công trình"),), 0.3, {"enterprise": 0.8, "paper_result": True}),
    ("Thẩm định Báo cáo kinh tế - kỹ thuật đầu tư xây dựng (cấp huyện)", "XAYDUNG", (D,), 20,
     (_fee("1", 500000, "Phí thẩm định dự án đầu tư xây dựng"),), 0.2, {"enterprise": 0.9}),
    ("Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở (cấp huyện)", "XAYDUNG", (D,), 20,
     (_fee("1", 800000, "Phí thẩm định thiết kế xây dựng"),), 0.1, {"enterprise": 0.9}),
    ("Thông báo khởi công xây dựng công trình", "XAYDUNG", (D,), 3, (), 0.2, {"enterprise": 0.6}),
    ("Cung cấp thông tin về quy hoạch xây dựng thuộc thẩm quyền của Ủy ban nhân dân cấp huyện", "QHXD", (D,), 10, (), 0.6,
     {"result": "Văn bản cung cấp thông tin quy hoạch"}),
    ("Thẩm định nhiệm vụ, nhiệm vụ điều chỉnh quy hoạch chi tiết của dự án đầu tư xây dựng công trình theo hình thức "
     "kinh doanh (cấp huyện)", "QHXD", (D,), 20, (), 0.02, {"enterprise": 1.0, "eligible_full": False}),
    ("Thẩm định đồ án, đồ án điều chỉnh quy hoạch chi tiết của dự án đầu tư xây dựng công trình theo hình thức kinh "
     "doanh (cấp huyện)", "QHXD", (D,), 25, (), 0.02, {"enterprise": 1.0, "eligible_full": False}),
    ("Cấp giấy phép quy hoạch dự án đầu tư xây dựng (cấp huyện)", "QHXD", (D,), 30, (), 0.01, {"enterprise": 1.0}),
    ("Cấp giấy phép chặt hạ, dịch chuyển cây xanh đô thị", "QHXD", (D,), 10, (), 0.05, {}),
    ("Cấp phép sử dụng tạm thời một phần hè phố không vào mục đích giao thông", "DUONGBO", (D,), 5, (), 0.05, {}),
    ("Cấp giấy phép thi công công trình trên đường bộ đang khai thác thuộc phạm vi quản lý của Ủy ban nhân dân cấp "
     "huyện", "DUONGBO", (D,), 7, (), 0.1, {"enterprise": 0.8}),
    ("Chấp thuận xây dựng công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ (cấp huyện)",
     "DUONGBO", (D,), 7, (), 0.05, {"enterprise": 0.8}),
    ("Đăng ký lần đầu đối với phương tiện thủy nội địa (cấp huyện)", "DUONGTHUY", (D,), 3,
     (_fee("2", 70000, "Lệ phí đăng ký phương tiện thủy nội địa"),), 0.1, {}),
    ("Đăng ký lại phương tiện thủy nội địa (cấp huyện)", "DUONGTHUY", (D,), 3,
     (_fee("2", 70000, "Lệ phí đăng ký phương tiện thủy nội địa"),), 0.03, {}),
    ("Xóa Giấy chứng nhận đăng ký phương tiện thủy nội địa (cấp huyện)", "DUONGTHUY", (D,), 3, (), 0.02, {}),
    ("Cấp Giấy phép bán lẻ sản phẩm thuốc lá", "LUUTHONG", (D,), 15,
     (_fee("1", 1100000, "Phí thẩm định cấp giấy phép kinh doanh sản phẩm thuốc lá"),), 0.3, {"enterprise": 0.3}),
    ("Cấp lại Giấy phép bán lẻ sản phẩm thuốc lá", "LUUTHONG", (D,), 15, (), 0.05, {"enterprise": 0.3}),
    ("Cấp Giấy phép bán lẻ rượu", "LUUTHONG", (D,), 10,
     (_fee("1", 1100000, "Phí thẩm định cấp giấy phép kinh doanh rượu"),), 0.3, {"enterprise": 0.3}),
    ("Cấp sửa đổi, bổ sung Giấy phép bán lẻ rượu", "LUUTHONG", (D,), 10, (), 0.05, {"enterprise": 0.3}),
    ("Cấp Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh", "LUUTHONG", (D,), 15,
     (_fee("1", 1100000, "Phí thẩm định cấp giấy phép sản xuất rượu"),), 0.05, {}),
    ("Cấp Giấy phép bán lẻ rượu tiêu dùng tại chỗ", "LUUTHONG", (D,), 10, (), 0.05, {"enterprise": 0.3}),
    ("Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (cấp huyện)", "ATTP", (D,), 15,
     (_fee("1", 500000, "Phí thẩm định cơ sở đủ điều kiện an toàn thực phẩm"),), 0.5, {"enterprise": 0.4}),
    ("Cấp lại Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (cấp huyện)", "ATTP", (D,), 10, (), 0.1,
     {"enterprise": 0.4}),
    ("Thẩm định, phê duyệt phương án ứng phó thiên tai cho công trình, vùng hạ du đập (cấp huyện)", "THUYLOI", (D,), 20,
     (), 0.01, {"enterprise": 0.5}),
    ("Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai (cấp huyện)", "THUYLOI", (D,), 15, (), 0.1, {}),
    ("Phê duyệt kế hoạch khuyến nông địa phương", "NONGNGHIEP", (D,), 15, (), 0.02, {}),
    ("Hỗ trợ dự án liên kết sản xuất nông nghiệp (cấp huyện)", "NONGNGHIEP", (D,), 20, (), 0.03,
     {"enterprise": 0.8}),
    ("Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông, lâm, thủy sản (cấp huyện)", "NONGNGHIEP", (D,), 15,
     (_fee("1", 700000, "Phí thẩm định điều kiện an toàn thực phẩm"),), 0.1, {"enterprise": 0.5}),
    ("Đăng ký thành lập hợp tác xã", "HTX", (D,), 5, (_fee("2", 100000, "Lệ phí đăng ký hợp tác xã"),), 0.1,
     {"enterprise": 1.0, "result": "Giấy chứng nhận đăng ký hợp tác xã"}),
    ("Đăng ký thay đổi tên, địa chỉ trụ sở chính, ngành, nghề sản xuất, kinh doanh, vốn điều lệ, người đại diện theo "
     "pháp luật của hợp tác xã", "HTX", (D,), 5, (_fee("2", 100000, "Lệ phí đăng ký thay đổi hợp tác xã"),), 0.1,
     {"enterprise": 1.0}),
    ("Giải thể tự nguyện hợp tác xã", "HTX", (D,), 5, (), 0.02, {"enterprise": 1.0}),
    ("Tạm ngừng hoạt động của hợp tác xã", "HTX", (D,), 3, (), 0.02, {"enterprise": 1.0}),
    ("Cấp lại giấy chứng nhận đăng ký hợp tác xã", "HTX", (D,), 5, (_fee("2", 100000),), 0.01, {"enterprise": 1.0}),
    ("Đăng ký thành lập chi nhánh, văn phòng đại diện, địa điểm kinh doanh của hợp tác xã", "HTX", (D,), 5,
     (_fee("2", 100000),), 0.02, {"enterprise": 1.0}),
    ("Thẩm tra, phê duyệt quyết toán vốn đầu tư dự án hoàn thành sử dụng vốn ngân sách cấp huyện", "CONGSAN", (D,), 20,
     (_fee("1", 1500000, "Phí thẩm tra quyết toán"),), 0.1, {"enterprise": 0.9, "eligible_full": False}),
    ("Quyết định mua sắm tài sản công phục vụ hoạt động của cơ quan, tổ chức, đơn vị (cấp huyện)", "CONGSAN", (D,), 15,
     (), 0.02, {"enterprise": 1.0}),
    ("Quyết định thanh lý tài sản công (cấp huyện)", "CONGSAN", (D,), 15, (), 0.02, {"enterprise": 1.0}),
    ("Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "BTXH", (D,), 3, (), 0.5, {}),
    ("Tiếp nhận đối tượng bảo trợ xã hội có hoàn cảnh đặc biệt khó khăn vào cơ sở trợ giúp xã hội cấp huyện", "BTXH",
     (D,), 10, (), 0.05, {"eligible_full": False}),
    ("Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở", "BTXH", (D,), 10, (), 0.1, {}),
    ("Đăng ký thành lập cơ sở trợ giúp xã hội ngoài công lập thuộc thẩm quyền của Phòng Lao động - Thương binh và Xã hội",
     "BTXH", (D,), 15, (), 0.01, {"enterprise": 1.0}),
    ("Cấp thẻ bảo hiểm y tế cho đối tượng bảo trợ xã hội", "BTXH", (D,), 5, (), 0.6, {}),
    ("Giải quyết chế độ trợ cấp một lần đối với người được cử làm chuyên gia sang giúp Lào, Campuchia", "NCC", (D,), 20,
     (), 0.02, {}),
    ("Giải quyết chế độ ưu đãi đối với người hoạt động kháng chiến bị nhiễm chất độc hóa học", "NCC", (D,), 20, (),
     0.05, {"eligible_full": False}),
    ("Hưởng mai táng phí, trợ cấp một lần khi người có công với cách mạng từ trần", "NCC", (D,), 15, (), 0.4, {}),
    ("Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ và hỗ trợ thăm viếng mộ liệt sĩ", "NCC", (D,), 5, (), 0.2, {}),
    ("Di chuyển hồ sơ khi người hưởng trợ cấp ưu đãi thay đổi nơi thường trú", "NCC", (D,), 5, (), 0.1, {}),
    ("Giải quyết chế độ đối với thân nhân liệt sĩ", "NCC", (D,), 20, (), 0.1, {}),
    ("Công nhận và giải quyết chế độ ưu đãi người hoạt động cách mạng, kháng chiến bị địch bắt tù, đày", "NCC", (D,), 20,
     (), 0.02, {"eligible_full": False}),
    ("Chấm dứt việc chăm sóc thay thế cho trẻ em", "TREEM", (D,), 10, (), 0.01, {}),
    ("Áp dụng các biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly trẻ em khỏi môi trường hoặc người gây tổn hại cho "
     "trẻ em", "TREEM", (D,), 1, (), 0.01, {"eligible_full": False}),
    ("Hỗ trợ học văn hóa, học nghề, trợ cấp khó khăn ban đầu cho nạn nhân bị mua bán", "TREEM", (D,), 10, (), 0.01, {}),
    ("Đăng ký hợp đồng lao động cho người lao động đi làm việc ở nước ngoài theo hợp đồng cá nhân", "VIECLAM", (D,), 5,
     (), 0.05, {}),
    ("Hỗ trợ người lao động thuộc đối tượng là người có công với cách mạng đi làm việc ở nước ngoài", "VIECLAM", (D,),
     10, (), 0.02, {}),
    ("Thành lập trường mẫu giáo, trường mầm non, nhà trẻ công lập hoặc cho phép thành lập trường dân lập, tư thục",
     "GIAODUC", (D,), 20, (), 0.02, {"enterprise": 1.0, "eligible_full": False}),
    ("Cho phép trường mẫu giáo, trường mầm non, nhà trẻ hoạt động giáo dục", "GIAODUC", (D,), 20, (), 0.02,
     {"enterprise": 1.0}),
    ("Sáp nhập, chia, tách trường tiểu học", "GIAODUC", (D,), 20, (), 0.01, {"enterprise": 1.0}),
    ("Chuyển trường đối với học sinh trung học cơ sở", "GIAODUC", (D,), 3, (), 1.2, {}),
    ("Chuyển trường đối với học sinh tiểu học", "GIAODUC", (D,), 3, (), 0.8, {}),
    ("Tuyển sinh trung học cơ sở", "GIAODUC", (D,), 10, (), 0.5, {}),
    ("Xét, duyệt chính sách hỗ trợ đối với học sinh bán trú", "GIAODUC", (D,), 15, (), 0.1, {}),
    ("Hỗ trợ ăn trưa đối với trẻ em mẫu giáo", "GIAODUC", (D,), 15, (), 0.2, {}),
    ("Công nhận trường tiểu học đạt chuẩn quốc gia", "GIAODUC", (D,), 20, (), 0.01, {"enterprise": 1.0}),
    ("Thành lập trung tâm học tập cộng đồng", "GIAODUC", (D,), 20, (), 0.01, {"enterprise": 1.0}),
    ("Cho phép trường trung học cơ sở hoạt động giáo dục", "GIAODUC", (D,), 20, (), 0.01, {"enterprise": 1.0}),
    ("Cấp bản sao văn bằng, chứng chỉ từ sổ gốc cấp văn bằng, chứng chỉ", "VANBANG", (D,), 3,
     (_fee("1", 3000, "Phí cấp bản sao văn bằng"),), 0.8, {}),
    ("Chỉnh sửa nội dung văn bằng, chứng chỉ", "VANBANG", (D,), 5, (), 0.2, {}),
    ("Cấp giấy phép kinh doanh dịch vụ karaoke (cấp huyện)", "VANHOA", (D,), 5,
     (_fee("1", 4000000, "Phí thẩm định cấp giấy phép kinh doanh karaoke"),), 0.1, {"enterprise": 0.5}),
    ("Thông báo tổ chức lễ hội cấp huyện", "VANHOA", (D,), 10, (), 0.02, {"enterprise": 0.5}),
    ("Đăng ký tổ chức lễ hội cấp huyện", "VANHOA", (D,), 15, (), 0.02, {"enterprise": 0.5}),
    ("Xét tặng danh hiệu Khu dân cư văn hóa hằng năm", "VANHOA", (D,), 10, (), 0.05, {"enterprise": 1.0}),
    ("Công nhận lần đầu Cơ quan đạt chuẩn văn hóa, đơn vị đạt chuẩn văn hóa", "VANHOA", (D,), 15, (), 0.02,
     {"enterprise": 1.0}),
    ("Đăng ký hoạt động thư viện tư nhân có quy mô nhỏ", "THUVIEN", (D,), 10, (), 0.01, {}),
    ("Công nhận câu lạc bộ thể thao cấp huyện", "THETHAO", (D,), 10, (), 0.01, {"enterprise": 0.6}),
    ("Cấp giấy phép xuất bản bản tin (cấp huyện)", "XUATBAN", (D,), 15, (), 0.01, {"enterprise": 1.0}),
    ("Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện về thành tích thực hiện nhiệm vụ chính trị", "TDKT",
     (D,), 15, (), 0.3, {"enterprise": 0.6}),
    ("Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện về thành tích thi đua theo đợt, chuyên đề", "TDKT",
     (D,), 15, (), 0.2, {"enterprise": 0.6}),
    ("Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện về thành tích đột xuất", "TDKT", (D,), 10, (), 0.05,
     {"enterprise": 0.5}),
    ("Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện cho gia đình", "TDKT", (D,), 15, (), 0.03, {}),
    ("Thủ tục tặng danh hiệu Tập thể lao động tiên tiến", "TDKT", (D,), 15, (), 0.1, {"enterprise": 1.0}),
    ("Thủ tục tặng danh hiệu Chiến sĩ thi đua cơ sở", "TDKT", (D,), 15, (), 0.1, {}),
    ("Thủ tục tặng danh hiệu Lao động tiên tiến (cấp huyện)", "TDKT", (D,), 15, (), 0.1, {}),
    ("Thủ tục đăng ký hoạt động tín ngưỡng (cấp huyện)", "TONGIAO", (D,), 15, (), 0.02, {"enterprise": 0.5}),
    ("Thủ tục thông báo danh mục hoạt động tôn giáo đối với tổ chức có địa bàn hoạt động tôn giáo ở nhiều xã thuộc một "
     "huyện", "TONGIAO", (D,), 10, (), 0.02, {"enterprise": 1.0}),
    ("Thủ tục thông báo tổ chức hội nghị thường niên của tổ chức tôn giáo, tổ chức tôn giáo trực thuộc có địa bàn hoạt "
     "động ở một huyện", "TONGIAO", (D,), 10, (), 0.02, {"enterprise": 1.0}),
    ("Thủ tục đề nghị tổ chức cuộc lễ ngoài cơ sở tôn giáo có quy mô tổ chức ở nhiều xã thuộc một huyện", "TONGIAO",
     (D,), 15, (), 0.01, {"enterprise": 1.0}),
    ("Thủ tục đăng ký thuyên chuyển chức sắc, chức việc, nhà tu hành (cấp huyện)", "TONGIAO", (D,), 10, (), 0.01,
     {"enterprise": 1.0}),
    ("Thủ tục thông báo về người được bổ nhiệm, bầu cử, suy cử làm chức việc (cấp huyện)", "TONGIAO", (D,), 10, (),
     0.01, {"enterprise": 1.0}),
    ("Thủ tục thẩm định thành lập thôn mới, tổ dân phố mới", "CQDP", (D,), 20, (), 0.01, {"enterprise": 1.0}),
    ("Thủ tục công nhận ban vận động thành lập hội có phạm vi hoạt động trong huyện", "CQDP", (D,), 20, (), 0.01,
     {"enterprise": 1.0}),
    ("Thủ tục phê duyệt điều lệ hội có phạm vi hoạt động trong huyện", "CQDP", (D,), 20, (), 0.01, {"enterprise": 1.0}),
    ("Giải quyết khiếu nại lần đầu tại cấp huyện", "KNTC", (D,), 30, (), 0.1, {"eligible_full": False}),
    ("Giải quyết khiếu nại lần hai tại cấp huyện", "KNTC", (D,), 45, (), 0.03, {"eligible_full": False}),
    ("Giải quyết tố cáo tại cấp huyện", "KNTC", (D,), 30, (), 0.05, {"eligible_full": False}),
    ("Tiếp công dân tại cấp huyện", "KNTC", (D,), 5, (), 0.1, {"eligible_full": False}),
    ("Xử lý đơn tại cấp huyện", "KNTC", (D,), 10, (), 0.1, {}),
    ("Giải quyết yêu cầu bồi thường tại cơ quan trực tiếp quản lý người thi hành công vụ gây thiệt hại (cấp huyện)",
     "BTNN", (D,), 30, (), 0.01, {"eligible_full": False}),
    ("Công nhận báo cáo viên pháp luật (cấp huyện)", "PBGDPL", (D,), 5, (), 0.01, {}),
    ("Miễn nhiệm báo cáo viên pháp luật (cấp huyện)", "PBGDPL", (D,), 5, (), 0.005, {}),
    ("Đăng ký khai tử có yếu tố nước ngoài", "HOTICH", (D,), 3, (_fee("2", 75000),), 0.05, {}),
    ("Đăng ký nhận cha, mẹ, con có yếu tố nước ngoài", "HOTICH", (D,), 15, (_fee("2", 1500000),), 0.05,
     {"eligible_full": False}),
    ("Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc (cấp huyện)", "HOTICH", (D,), 3,
     (_fee("2", 28000, "Lệ phí thay đổi, cải chính hộ tịch"),), 1.2, {}),
    ("Ghi vào Sổ hộ tịch việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài",
     "HOTICH", (D,), 5, (_fee("2", 75000),), 0.2, {}),
    ("Ghi vào Sổ hộ tịch việc ly hôn, hủy việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm "
     "quyền của nước ngoài", "HOTICH", (D,), 12, (_fee("2", 75000),), 0.1, {}),
    ("Ghi vào Sổ hộ tịch việc khai sinh của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước "
     "ngoài", "HOTICH", (D,), 3, (_fee("2", 75000),), 0.05, {}),
    ("Đăng ký lại khai sinh có yếu tố nước ngoài", "HOTICH", (D,), 5, (_fee("2", 75000),), 0.03, {}),
    ("Đăng ký giám hộ có yếu tố nước ngoài", "HOTICH", (D,), 5, (_fee("2", 75000),), 0.01, {}),
    ("Chứng thực chữ ký trong các giấy tờ, văn bản bằng tiếng nước ngoài, song ngữ", "CHUNGTHUC", (D,), 0,
     (_fee("1", 10000, "Phí chứng thực chữ ký"),), 0.8, {}),
    ("Cấp bản sao có chứng thực từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của nước ngoài cấp",
     "CHUNGTHUC", (D,), 0, (_fee("1", 2000, "Phí chứng thực bản sao (theo trang)", per_page=True),), 1.5, {}),
    ("Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản có giá trị lớn", "CHUNGTHUC", (D,), 2,
     (_fee("1", 100000, "Phí chứng thực hợp đồng, giao dịch"),), 0.1, {}),
    ("Đăng ký hoạt động của cơ sở giáo dục nghề nghiệp tư thục (cấp huyện)", "VIECLAM", (D,), 15, (), 0.005,
     {"enterprise": 1.0}),
    ("Xác nhận đủ điều kiện hỗ trợ lãi suất vay vốn giải quyết việc làm", "VIECLAM", (D,), 7, (), 0.05, {}),
    ("Cấp giấy xác nhận đăng ký hoạt động của hộ kinh doanh vận tải hàng hóa bằng xe ô tô", "DUONGBO", (D,), 5, (),
     0.02, {}),
    ("Cấp phép khai thác cát sỏi lòng sông quy mô nhỏ (cấp huyện)", "TNNUOC", (D,), 20, (), 0.005, {"enterprise": 1.0,
     "eligible_full": False}),
    ("Phê duyệt phương án cải tạo, phục hồi môi trường (cấp huyện)", "MOITRUONG", (D,), 20, (), 0.005,
     {"enterprise": 1.0}),
    ("Xác nhận hoàn thành công trình bảo vệ môi trường (cấp huyện)", "MOITRUONG", (D,), 15, (), 0.01,
     {"enterprise": 1.0}),
    ("Cấp giấy chứng nhận đủ điều kiện buôn bán phân bón (cấp huyện)", "NONGNGHIEP", (D,), 15, (), 0.03,
     {"enterprise": 0.6}),
    ("Cấp giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật (cấp huyện)", "NONGNGHIEP", (D,), 15, (), 0.03,
     {"enterprise": 0.6}),
    ("Đăng ký tổ chức hoạt động văn hóa nghệ thuật quần chúng có bán vé (cấp huyện)", "VANHOA", (D,), 5, (), 0.01,
     {"enterprise": 0.8}),
    ("Đăng ký biển hiệu, bảng quảng cáo (cấp huyện)", "VANHOA", (D,), 5, (), 0.05, {"enterprise": 0.8}),
    ("Cấp phép hoạt động đối với cơ sở bán lẻ thuốc trong khu vực nông thôn (cấp huyện)", "KCB", (D,), 20, (), 0.005,
     {"enterprise": 0.8}),
    ("Xác nhận kiến thức an toàn thực phẩm cho người kinh doanh thực phẩm (cấp huyện)", "ATTP", (D,), 5, (), 0.1, {}),
    ("Cho phép cơ sở giáo dục khác thực hiện chương trình giáo dục tiểu học", "GIAODUC", (D,), 20, (), 0.005,
     {"enterprise": 1.0}),
    ("Giải thể trường trung học cơ sở (theo đề nghị của tổ chức, cá nhân đề nghị thành lập)", "GIAODUC", (D,), 20, (),
     0.002, {"enterprise": 1.0}),
    ("Đăng ký xe máy chuyên dùng (cấp huyện)", "DUONGBO", (D,), 3, (_fee("2", 50000),), 0.02, {"enterprise": 0.5}),
    ("Hỗ trợ kinh phí đào tạo nghề cho lao động nông thôn", "VIECLAM", (D,), 10, (), 0.05, {}),
    # ---- province (Sở) procedures, used by the province-scale scenario only
    ("Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam", "LLTP", (P,), 10,
     (_fee("1", 200000, "Phí cung cấp thông tin lý lịch tư pháp"),), 12, {}),
    ("Đăng ký thành lập doanh nghiệp tư nhân", "DOANHNGHIEP", (P,), 3, (_fee("2", 50000),), 2, {"enterprise": 1.0}),
    ("Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên", "DOANHNGHIEP", (P,), 3, (_fee("2", 50000),), 4,
     {"enterprise": 1.0}),
    ("Đăng ký thay đổi nội dung đăng ký doanh nghiệp", "DOANHNGHIEP", (P,), 3, (_fee("2", 50000),), 8,
     {"enterprise": 1.0}),
    ("Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của doanh nghiệp", "DOANHNGHIEP",
     (P,), 3, (), 3, {"enterprise": 1.0}),
    ("Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất của tổ chức", "DATDAI", (P,), 10,
     (_fee("2", 100000),), 4, {**_L, "enterprise": 1.0}),
    ("Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III", "XAYDUNG", (P,), 20,
     (_fee("2", 300000, "Lệ phí cấp chứng chỉ hành nghề"),), 1.5, {}),
    ("Cấp giấy phép xây dựng mới đối với công trình cấp II (cấp tỉnh)", "XAYDUNG", (P,), 20, (_fee("2", 150000),), 0.8,
     {"enterprise": 1.0, "paper_result": True}),
    ("Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", "DUONGBO", (P,), 5,
     (_fee("2", 135000, "Lệ phí cấp đổi giấy phép lái xe"),), 14, {}),
    ("Cấp lại giấy phép lái xe", "DUONGBO", (P,), 10, (_fee("2", 135000),), 2, {}),
    ("Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", "VIECLAM", (P,), 5,
     (_fee("1", 600000, "Phí cấp giấy phép lao động"),), 3, {"enterprise": 1.0}),
    ("Giải quyết hưởng trợ cấp thất nghiệp", "VIECLAM", (P,), 20, (), 8, {}),
    ("Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh", "KCB", (P,), 20, (_fee("1", 360000),), 1.5, {}),
    ("Cấp giấy phép hoạt động đối với phòng khám chuyên khoa", "KCB", (P,), 30, (_fee("1", 4300000),), 0.3,
     {"enterprise": 1.0}),
    ("Cấp Giấy phép kinh doanh bán buôn sản phẩm rượu", "LUUTHONG", (P,), 15, (_fee("1", 2200000),), 0.2,
     {"enterprise": 1.0}),
    ("Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa", "DULICH", (P,), 10, (_fee("1", 3000000),), 0.1,
     {"enterprise": 1.0}),
    ("Cấp bản sao văn bằng, chứng chỉ từ sổ gốc (cấp tỉnh)", "VANBANG", (P,), 3, (_fee("1", 3000),), 2, {}),
    ("Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm (cấp tỉnh)", "ATTP", (P,), 20, (_fee("1", 1000000),), 1,
     {"enterprise": 1.0}),
    ("Cấp giấy phép môi trường (cấp tỉnh)", "MOITRUONG", (P,), 30, (_fee("1", 10000000),), 0.3, {"enterprise": 1.0}),
    ("Cấp giấy phép xuất bản tài liệu không kinh doanh", "XUATBAN", (P,), 10, (), 0.3, {"enterprise": 1.0}),
    ("Chuyển trường đối với học sinh trung học phổ thông", "GIAODUC", (P,), 3, (), 2, {}),
    ("Cấp Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật (cấp tỉnh)", "NONGNGHIEP", (P,), 15, (), 0.5,
     {"enterprise": 0.8}),
    ("Thẩm định dự án đầu tư xây dựng (cấp tỉnh)", "XAYDUNG", (P,), 25, (_fee("1", 5000000),), 0.5, {"enterprise": 1.0}),
    ("Đăng ký thành lập công ty cổ phần", "DOANHNGHIEP", (P,), 3, (_fee("2", 50000),), 1.5, {"enterprise": 1.0}),
    ("Cấp phép hoạt động in (cấp tỉnh)", "XUATBAN", (P,), 10, (), 0.05, {"enterprise": 1.0}),
    ("Giải quyết chế độ trợ cấp ưu đãi đối với thân nhân liệt sĩ (cấp tỉnh)", "NCC", (P,), 20, (), 0.8, {}),
]


def _build() -> list[Procedure]:
    out: list[Procedure] = []
    for code, name, fld, levels, days, fees, weight, extra in _REAL:
        out.append(_mk(code, name, fld, levels, days, fees, weight, extra, synthetic=False))
    n = 0
    for name, fld, levels, days, fees, weight, extra in _SYN:
        n += 1
        out.append(_mk(f"9.{100000 + n:06d}", name, fld, levels, days, fees, weight, extra, synthetic=True))
    codes = [p.code for p in out]
    assert len(codes) == len(set(codes)), "duplicate procedure code"
    names = [(p.name, p.levels) for p in out]
    assert len(names) == len(set(names)), "duplicate procedure name"
    return out


def _mk(code, name, fld, levels, days, fees, weight, extra, synthetic) -> Procedure:
    fees = tuple(
        Fee(code=f"{code}.{'P' if f.kind == '1' else 'LP'}{i + 1}", name=f.name, kind=f.kind, amount=f.amount,
            per_page=f.per_page)
        for i, f in enumerate(fees)
    )
    docs = tuple(FIELD_DOCS.get(fld, DEFAULT_DOCS))
    result = extra.get("result") or FIELD_RESULT.get(fld) or "Văn bản trả lời kết quả giải quyết"
    return Procedure(
        code=code, name=name, field=fld, levels=tuple(levels), days=days, fees=fees, weight=float(weight),
        land_tax=extra.get("land_tax", False), paper_result=extra.get("paper_result", False),
        eligible_full=extra.get("eligible_full", True), enterprise=extra.get("enterprise", 0.0), result=result,
        synthetic=synthetic, docs=docs,
    )


PROCEDURES: list[Procedure] = _build()
BY_CODE: dict[str, Procedure] = {p.code: p for p in PROCEDURES}


def at_level(level: str) -> list[Procedure]:
    return [p for p in PROCEDURES if level in p.levels]
