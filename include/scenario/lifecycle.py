"""Dossier lifecycles: plans (which dates, which ending) and the records they become.

A *plan* fixes, in working-day indices of the scenario calendar: the receipt day ``r``, the due
day ``due`` (``r`` + the procedure's processing time), the ending (resolved / withdrawn /
stopped / still open) and the end day ``t``. The *builder* turns a plan into the one-stop
records exactly as the spec serves them: the dossier's current state (``/hoso``) and its
processing steps (``/tientrinh``), with times of day, submission before intake, supplement
requests, financial obligations, results and hand-over. The fixed odds it draws with live in
``data/lifecycle.yaml`` (:data:`ODDS`); the per-group ones are a :class:`Profile`.

Kinds used by calibration (relative to a period [s, e]):

``early`` / ``ontime`` / ``late``  resolved with end day in a window, relative to the due day
``withdrawn`` / ``stopped``         ended that way with end day in a window
``pend_overdue`` / ``pend_notdue``  received by e, not ended by e, due day < e / ≥ e
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from . import records as R
from .catalogue import Procedure
from .datafiles import yaml_doc
from .workdays import AFTERNOON, DAY, MORNING, date8, ts14
from .world import AgencyCtx, World

RESOLVED_KINDS = ("early", "ontime", "late")
LATE_MAX = 15  # at most this many working days late when calibrating


@dataclass(slots=True)
class Plan:
    r: int
    due: int
    outcome: str  # resolved / withdrawn / stopped / open
    t: int  # end day index (or -1 when open)
    open_status: str = ""  # for open dossiers: "2", "4", "5", "6"


@dataclass
class Profile:
    """Natural behaviour of one agency group (probabilities are per dossier)."""

    p_online: float = 0.4  # of dossiers whose procedure is offered online (FULL); PARTIAL × 0.6
    p_postal: float = 0.01
    p_digitised: float = 0.6
    p_result_digitised: float = 0.3
    p_reuse: float = 0.2  # among digitised
    p_early: float = 0.9  # among resolved (natural)
    p_late: float = 0.02
    p_withdraw: float = 0.004
    p_stop: float = 0.0015
    p_supplement: float = 0.05
    p_nvtc: float = 0.6  # land-tax procedures: a financial obligation is assessed
    p_pay_online: float = 0.0  # fee-carrying dossiers paid online (natural scenarios)
    p_never_closed: float = 0.002  # left open in the software long after the work was done
    p_vneid: float = 0.0  # online accounts verified with VNeID


@dataclass(frozen=True, slots=True)
class Odds:
    """The lifecycle's fixed odds, from data/lifecycle.yaml (which documents each one)."""

    morning: float
    online_lag_days: tuple[int, ...]
    online_lag_cum: tuple[int, ...]
    open_just_received: float
    open_awaiting_tax: float
    open_awaiting_supplement: float
    never_handed_over: float
    handed_over_same_day: float
    other_person_kind: float
    email_online: float
    email_any: float
    extra_docs: tuple[int, ...]
    extra_docs_cum: tuple[int, ...]
    component_digitised: float
    component_from_store: float
    flag_lags: float
    replaced_upload: float
    fee_pages: tuple[int, ...]
    fee_waived: float
    pay_online_factor: float
    pay_other_factor: float
    pay_other_dvcqg: float
    channel_blank: float
    postal_result_postal: float
    postal_result_any: float

    @classmethod
    def load(cls) -> Odds:
        raw = yaml_doc("lifecycle.yaml")
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})


ODDS = Odds.load()

_ASK_SUPPLEMENT = "Yêu cầu bổ sung, hoàn thiện thành phần hồ sơ"
_TAX_NOTICE = "Thông báo nghĩa vụ tài chính, chuyển cơ quan thuế"
_TAX_MET = "Người sử dụng đất đã hoàn thành nghĩa vụ tài chính"


@dataclass(slots=True)
class _Events:
    """A dossier's one-stop events in day order, and where the notable ones sit in the list."""

    ev: list[tuple[int, str, str, str]]  # (day index, status, role, text)
    status: str = "4"  # the dossier's status after the last event
    supp: tuple[int, int] | None = None  # supplement (request day, answer day or -1)
    i_sq: int = -1  # index of the supplement request
    i_sr: int = -1  # index of its answer
    i9: int = -1  # index of the resolution
    nvtc_paid: int = -1  # index of the financial obligation met


def _office_sod(rng: random.Random) -> int:
    if rng.random() < ODDS.morning:
        return rng.randrange(MORNING[0], MORNING[1])
    return rng.randrange(AFTERNOON[0], AFTERNOON[1])


def _head(ma: str, ac: AgencyCtx, proc: Procedure, kenh: str) -> dict[str, str]:
    """The record's first fields (MaHoSo ... KenhThucHien), in spec order."""
    return {
        "MaHoSo": ma,
        "MaTTHC": proc.code,
        "TenTTHC": proc.name,
        "MaLinhVuc": proc.field_code,
        "TenLinhVuc": proc.field_name,
        "MaDonVi": ac.a.code,
        "KenhThucHien": kenh,
    }


def _supplements(ma: str, e: _Events, tstr: list[str], due_s: str) -> list[dict[str, str]]:
    """DanhSachHoSoBoSung: the supplement request, answered or still awaited."""
    if not e.supp:
        return []
    answered = e.supp[1] >= 0
    return [
        {
            "HoSoBoSungId": f"{ma}-BS1",
            "NgayYeuCauBoSung": tstr[e.i_sq],
            "NgayTiepNhanBoSung": tstr[e.i_sr] if answered else "",
            "TrangThaiBoSung": "1" if answered else "0",
            "NgayHenTraMoi": due_s if answered else "",
        }
    ]


class Builder:
    """Turns plans into records; appends to ``world.dossiers`` / ``world.steps``."""

    def __init__(self, world: World, rng: random.Random):
        self.w = world
        self.rng = rng
        self.cal = world.cal
        self.days = world.cal.days
        self.E_idx = world.E_idx
        self.host = world.portal_host
        self._texts: dict[str, dict[str, str]] = {}
        self._addr: dict[tuple, str] = {}

    # --- plans --------------------------------------------------------------------------
    def solve(
        self,
        kind: str,
        d: int,
        r_lo: int,
        r_hi: int,
        t_lo: int,
        t_hi: int,
        eo: int = 0,
        en: int = 0,
        e_idx: int = 0,
    ) -> tuple[int, int] | None:
        """Feasible receipt-day interval for a calibration kind, or None."""
        if kind == "early":
            if d < 1:
                return None
            lo, hi = t_lo - d + 1, t_hi
        elif kind == "ontime":
            lo, hi = t_lo - d, t_hi - d
        elif kind == "late":
            lo, hi = t_lo - d - LATE_MAX, t_hi - d - 1
        elif kind in ("withdrawn", "stopped"):
            lo, hi = t_lo - d - 10, t_hi
        elif kind == "pend_overdue":
            lo, hi = -(10**9), min(eo - d, e_idx)
        elif kind == "pend_notdue":
            lo, hi = en - d, e_idx
        else:
            raise ValueError(kind)
        lo = max(lo, r_lo)
        hi = min(hi, r_hi)
        return (lo, hi) if lo <= hi else None

    def plan_kind(self, kind: str, d: int, r: int, t_lo: int, t_hi: int, e_idx: int = 0) -> Plan:
        """A plan for receipt day ``r`` (already feasible for ``kind``)."""
        rng = self.rng
        due = r + d
        if kind == "early":
            lo, hi = max(r, t_lo), min(due - 1, t_hi)
            t = lo + int((hi - lo + 1) * rng.random() ** 1.6)
            return Plan(r, due, "resolved", min(t, hi))
        if kind == "ontime":
            return Plan(r, due, "resolved", due)
        if kind == "late":
            lo, hi = max(due + 1, t_lo), min(due + LATE_MAX, t_hi)
            t = lo + int((hi - lo + 1) * rng.random() ** 1.8)
            return Plan(r, due, "resolved", min(t, hi))
        if kind in ("withdrawn", "stopped"):
            lo, hi = max(r, t_lo), min(due + 10, t_hi)
            return Plan(r, due, kind, rng.randint(lo, hi))
        if kind in ("pend_overdue", "pend_notdue"):
            # not ended by e: resolved later (before now) or still open now
            return self.natural_after(r, due, e_idx + 1)
        raise ValueError(kind)

    def natural_after(self, r: int, due: int, t_min: int) -> Plan:
        """Ending of a dossier that must not end before working day ``t_min``."""
        rng = self.rng
        E = self.E_idx
        if t_min > E:
            return self.open_plan(r, due)
        u = rng.random()
        if u < 0.12 and due + 25 < E:  # left open in the software for a long time
            return self.open_plan(r, due)
        if due >= t_min and u < 0.75:
            t = rng.randint(t_min, due)
        elif due >= t_min and u < 0.88:
            t = due
        else:
            t = max(t_min, due + 1) + int(rng.expovariate(1 / 6))
        if t > E:
            return self.open_plan(r, due)
        return Plan(r, due, "resolved", t)

    def natural(self, r: int, d: int, prof: Profile, t_hi: int | None = None) -> Plan:
        """Natural ending for receipt day ``r``. With ``t_hi``, the dossier must end by then."""
        rng = self.rng
        due = r + d
        E = self.E_idx
        limit = E if t_hi is None else t_hi
        u = rng.random()
        if u < prof.p_withdraw:
            t = r + rng.randint(0, d + 5)
            kind = "withdrawn"
        elif u < prof.p_withdraw + prof.p_stop:
            t = r + rng.randint(1, d + 10)
            kind = "stopped"
        elif t_hi is None and u < prof.p_withdraw + prof.p_stop + prof.p_never_closed:
            return self.open_plan(r, due)
        else:
            v = rng.random()
            if v < prof.p_late:
                t = due + 1 + int(rng.expovariate(1 / 5))
            elif v < prof.p_late + prof.p_early and d >= 1:
                t = r + int(d * rng.random() ** 1.7)
            else:
                t = due
            kind = "resolved"
        if t > limit:
            if t_hi is None:
                return self.open_plan(r, due)
            t = rng.randint(r, limit)
            kind = "resolved"
        return Plan(r, due, kind, t)

    def open_plan(self, r: int, due: int) -> Plan:
        return Plan(r, due, "open", -1)

    # --- records ------------------------------------------------------------------------
    def texts(self, ac: AgencyCtx) -> dict[str, str]:
        t = self._texts.get(ac.a.code)
        if t is None:
            target = "công chức chuyên môn" if ac.a.level == "3" else ac.dept_label
            t = {
                "transfer": f"Chuyển hồ sơ đến {target} xử lý",
                "done": "Hoàn thành xử lý, chuyển kết quả về Bộ phận Tiếp nhận và Trả kết quả",
            }
            self._texts[ac.a.code] = t
        return t

    def build(
        self,
        ac: AgencyCtx,
        proc: Procedure,
        channel: str,
        plan: Plan,
        prof: Profile,
        *,
        digitised: bool | None = None,
        result_digitised: bool | None = None,
        supplement: bool | None = None,
    ) -> int:
        """Materialise one received dossier. Returns its index in ``world.dossiers``.

        The steps draw from the one rng in a fixed order: reordering them changes every dossier.
        """
        intake_sod = _office_sod(self.rng)
        T_sub, sub_day = self._submission(channel, self.days[plan.r], intake_sod)
        e = self._events(ac, proc, channel, plan, prof, supplement)
        times = self._times(e.ev, intake_sod)
        tstr = [ts14(T) for T in times]  # shared by the record and its steps
        ma = self._number(ac, sub_day)
        applicant = self._applicant(ac, proc, channel)
        items, flag = self._components(proc, prof, digitised)
        fees = self._fees(proc)
        due_s = ts14(self.days[plan.due] * DAY + (intake_sod if proc.days else 17 * 3600))
        results, T_end, T_ret = self._results(proc, prof, ma, e, times, tstr, result_digitised)
        paid = self._paid(prof, channel, fees)
        idx = len(self.w.dossiers)
        self._ground_truth(idx, channel, paid, T_sub, times, e)
        kenh, hinh, vneid = self._channel_flags(channel, prof)
        rec = _head(ma, ac, proc, kenh) | applicant
        rec |= {
            "NgayNopHoSo": ts14(T_sub),
            "NgayTiepNhan": tstr[0],
            "NgayHenTra": due_s,
            "TrangThaiHoSo": e.status,
            "NgayKetThucXuLy": T_end,
            "NgayTra": T_ret,
            "NgayTuChoi": "",
            "HinhThuc": hinh,
            "HoSoCoThanhPhanSoHoa": flag,
            "TaiKhoanDuocXacThucVoiVNeID": vneid,
            "DuocThanhToanTrucTuyen": paid,
            "NgayCapNhat": tstr[-1],
            "TaiLieuNop": items,
            "DanhSachLePhi": fees,
            "DanhSachHoSoBoSung": _supplements(ma, e, tstr, due_s),
            "DanhSachGiayToKetQua": results,
        }
        self.w.dossiers.append(rec)
        self._steps(ac, proc, ma, e.ev, tstr)
        return idx

    def _submission(self, channel: str, r_day: int, intake_sod: int) -> tuple[int, int]:
        """(instant, day) the dossier was submitted: online ahead of intake, by post days ahead."""
        rng = self.rng
        if channel == "2":
            lag = rng.wpick(ODDS.online_lag_days, ODDS.online_lag_cum)
            sub_day = r_day - lag
            if lag == 0:
                sub_sod = rng.randrange(max(0, intake_sod - 4 * 3600), max(1, intake_sod - 120))
            else:
                sub_sod = rng.randrange(6 * 3600, 86399)
        elif channel == "3":
            sub_day = r_day - rng.randint(1, 3)
            sub_sod = rng.randrange(MORNING[0], AFTERNOON[1])
        else:
            sub_day = r_day
            sub_sod = max(MORNING[0] - 1800, intake_sod - rng.randint(60, 1500))
        return sub_day * DAY + sub_sod, sub_day

    # --- events (day indices; times of day come later) ----------------------------------------
    def _events(
        self,
        ac: AgencyCtx,
        proc: Procedure,
        channel: str,
        plan: Plan,
        prof: Profile,
        supplement: bool | None,
    ) -> _Events:
        rng = self.rng
        tx = self.texts(ac)
        intake = "Tiếp nhận hồ sơ trực tuyến" if channel == "2" else "Tiếp nhận hồ sơ"
        e = _Events([(plan.r, "2", "desk", intake)])
        if supplement is None:
            supplement = rng.random() < prof.p_supplement
        open_status = self._open_status(plan, proc) if plan.outcome == "open" else ""
        if open_status != "2":
            e.ev.append((plan.r, "4", "desk", tx["transfer"]))
        self._supplement(e, plan, supplement, open_status)
        self._obligation(e, plan, proc, prof, open_status)
        self._ending(e, plan, tx["done"], open_status)
        return e

    def _open_status(self, plan: Plan, proc: Procedure) -> str:
        """Where an open dossier waits: 2 (just received), 6 (tax), 5 (supplement) or 4."""
        rng = self.rng
        if plan.r == self.E_idx and rng.random() < ODDS.open_just_received:
            return "2"
        if proc.land_tax and rng.random() < ODDS.open_awaiting_tax:
            return "6"
        if rng.random() < ODDS.open_awaiting_supplement:
            return "5"
        return "4"

    def _supplement(self, e: _Events, plan: Plan, supplement: bool, open_status: str) -> None:
        """A supplement request: answered (needs 2 days of room before the end) or awaited."""
        rng = self.rng
        r, t = plan.r, plan.t
        if plan.outcome != "open" and supplement and t - r >= 2:
            q = rng.randint(r, t - 2)
            room = t - q if plan.outcome == "resolved" else t - q - 1
            q2 = q + rng.randint(1, min(5, room))
            e.supp = (q, q2)
            e.i_sq = len(e.ev)
            e.ev.append((q, "5", "handler", _ASK_SUPPLEMENT))
            e.i_sr = len(e.ev)
            e.ev.append((q2, "4", "desk", "Tiếp nhận hồ sơ bổ sung"))
        elif plan.outcome == "open" and open_status == "5":
            q = rng.randint(r, self.E_idx)
            e.supp = (q, -1)
            e.i_sq = len(e.ev)
            e.ev.append((q, "5", "handler", _ASK_SUPPLEMENT))

    def _obligation(
        self, e: _Events, plan: Plan, proc: Procedure, prof: Profile, open_status: str
    ) -> None:
        """The financial obligation of a land procedure: assessed, then met (when resolved).

        An open dossier in status 6 always has one (it is only drawn for land procedures).
        """
        rng = self.rng
        if not (
            proc.land_tax
            and plan.outcome in ("resolved", "open")
            and open_status not in ("2", "5")
            and (open_status == "6" or rng.random() < prof.p_nvtc)
        ):
            return
        t = plan.t
        start = e.supp[1] if e.supp and e.supp[1] >= 0 else plan.r
        if plan.outcome == "resolved":
            if t - start >= 1:
                n1 = rng.randint(start, t - 1)
                n2 = rng.randint(n1, t)
                e.ev.append((n1, "6", "handler", _TAX_NOTICE))
                e.nvtc_paid = len(e.ev)
                e.ev.append((n2, "4", "handler", _TAX_MET))
        elif open_status == "6":
            e.ev.append((rng.randint(start, self.E_idx), "6", "handler", _TAX_NOTICE))

    def _ending(self, e: _Events, plan: Plan, done: str, open_status: str) -> None:
        """The last events and the dossier's status."""
        rng = self.rng
        t = plan.t
        if plan.outcome == "resolved":
            e.i9 = len(e.ev)
            e.ev.append((t, "9", "leader", done))
            handed_over = False
            if rng.random() > ODDS.never_handed_over:
                ret = t if rng.random() < ODDS.handed_over_same_day else t + rng.randint(1, 5)
                if ret <= self.E_idx:
                    e.ev.append((ret, "10", "desk", "Trả kết quả cho tổ chức, cá nhân"))
                    handed_over = True
            e.status = "10" if handed_over else "9"
        elif plan.outcome == "withdrawn":
            e.ev.append((t, "7", "desk", "Tổ chức, cá nhân có đơn xin rút hồ sơ; kết thúc xử lý"))
            e.status = "7"
        elif plan.outcome == "stopped":
            e.ev.append(
                (t, "8", "leader", "Dừng xử lý hồ sơ do hồ sơ không đủ điều kiện giải quyết")
            )
            e.status = "8"
        else:
            e.status = open_status

    def _times(self, ev: list[tuple[int, str, str, str]], intake_sod: int) -> list[int]:
        """Instants of the events: monotone (the events are already in day order)."""
        rng = self.rng
        days = self.days
        times: list[int] = []
        prev_day = -1
        prev_sod = 0
        for di, _st, _role, _txt in ev:
            o = days[di]
            if not times:
                sod = intake_sod
            elif o == prev_day:
                sod = min(prev_sod + rng.randint(60, 2400), 86390)
                if sod <= prev_sod:
                    sod = prev_sod + 1
            else:
                sod = _office_sod(rng)
            times.append(o * DAY + sod)
            prev_day, prev_sod = o, sod
        return times

    # --- the record --------------------------------------------------------------------------
    def _number(self, ac: AgencyCtx, sub_day: int) -> str:
        """MaHoSo: agency code, submission date and a per-agency, per-day sequence number."""
        w = self.w
        key = ac.index * 1_000_000 + sub_day
        n = w.seq.get(key, 0) + 1
        w.seq[key] = n
        return f"{ac.a.code}-{date8(sub_day)[2:]}-{n:04d}"

    def _applicant(self, ac: AgencyCtx, proc: Procedure, channel: str) -> dict[str, str]:
        """The holder's fields of the record (ChuHoSo ... TrichYeuHoSo), in spec order."""
        rng = self.rng
        people = self.w.people
        ent = proc.enterprise and rng.random() < proc.enterprise
        pname, male, year = people.person(rng)
        kind, short = ac.residence[rng.randrange(len(ac.residence))]
        if ent:
            holder = people.enterprise(rng)
            ltype = "2"
            summary = f"{proc.name} - {holder}"
        else:
            holder = pname
            ltype = "1" if rng.random() > ODDS.other_person_kind else rng.choice(("3", "4"))
            summary = _summary(rng, proc, holder, male)
        cccd = people.cccd(rng, male, year)
        phone = people.phone(rng)
        email = (
            people.email(rng, pname, year)
            if (channel == "2" and rng.random() < ODDS.email_online)
            or rng.random() < ODDS.email_any
            else ""
        )
        return {
            "ChuHoSo": holder,
            "SoGiayToChuHoSo": cccd,
            "LoaiDoiTuong": ltype,
            "SoDienThoai": phone,
            "Email": email,
            "DiaChi": people.address(rng, kind, short, ac.district_lower, self._addr),
            "TrichYeuHoSo": summary,
        }

    def _components(
        self, proc: Procedure, prof: Profile, digitised: bool | None
    ) -> tuple[list, str]:
        """TaiLieuNop (the form and 0-2 documents) and the HoSoCoThanhPhanSoHoa flag."""
        w = self.w
        rng = self.rng
        if digitised is None:
            digitised = rng.random() < prof.p_digitised
        reuse = digitised and rng.random() < prof.p_reuse
        ndoc = rng.wpick(ODDS.extra_docs, ODDS.extra_docs_cum)
        names = [_FORM_HT if proc.field == "HOTICH" else _FORM]
        if ndoc:
            names += rng.sample(proc.docs, ndoc)
        quirk = rng.random()
        items = []
        for i, nm in enumerate(names):
            w.file_id += 1
            so = "1" if digitised and (i == 0 or rng.random() < ODDS.component_digitised) else "0"
            store = reuse and i != 1 and rng.random() < ODDS.component_from_store
            code = _component(proc.code, i + 1)
            reused = "1" if reuse and i == 1 else "0"
            items.append(
                R.component(w.file_id, _pdf(nm), code, so, reused, "1" if store else "0", "0")
            )
        flag = "1" if digitised else "0"
        if digitised and quirk < ODDS.flag_lags:
            flag = "0"  # the flag lags; a component is digitised all the same
        elif not digitised and quirk < ODDS.replaced_upload:
            w.file_id += 1
            # a digitised upload that was deleted and replaced: does not count
            old = _pdf(names[0] + " (bản cũ)")
            items.append(R.component(w.file_id, old, _component(proc.code, 1), "1", "0", "0", "1"))
        return items, flag

    def _fees(self, proc: Procedure) -> list:
        rng = self.rng
        fees = []
        for f in proc.fees:
            amount = f.amount * rng.choice(ODDS.fee_pages) if f.per_page else f.amount
            if f.amount and rng.random() < ODDS.fee_waived:
                amount = 0  # exempted (e.g. poor household)
            fees.append(R.fee(f.code, f.name, f.kind, amount))
        return fees

    def _results(
        self,
        proc: Procedure,
        prof: Profile,
        ma: str,
        e: _Events,
        times: list[int],
        tstr: list[str],
        result_digitised: bool | None,
    ) -> tuple[list, str, str]:
        """DanhSachGiayToKetQua, NgayKetThucXuLy and NgayTra."""
        if e.status in ("7", "8"):
            return [], tstr[-1], ""
        if e.status not in ("9", "10"):
            return [], "", ""
        if result_digitised is None:
            result_digitised = self.rng.random() < prof.p_result_digitised
        o9 = times[e.i9] // DAY
        url = (
            f"https://{self.host}/files/ketqua/{date8(o9)[:4]}/{date8(o9)[4:6]}/{ma}.pdf"
            if result_digitised
            else ""
        )
        self.w.file_id += 1
        results = [R.result(self.w.file_id, proc.result, _result_code(proc.code), url)]
        return results, tstr[e.i9], tstr[-1] if e.status == "10" else ""

    def _paid(self, prof: Profile, channel: str, fees: list) -> str:
        """DuocThanhToanTrucTuyen: 0 not paid online, 1 through DVCQG, 2 the local gateway."""
        rng = self.rng
        factor = ODDS.pay_online_factor if channel == "2" else ODDS.pay_other_factor
        if (
            prof.p_pay_online
            and any(f["Gia"] > 0 for f in fees)
            and rng.random() < prof.p_pay_online * factor
        ):
            return "1" if channel == "2" or rng.random() < ODDS.pay_other_dvcqg else "2"
        return "0"

    def _ground_truth(
        self, idx: int, channel: str, paid: str, T_sub: int, times: list[int], e: _Events
    ) -> None:
        """What the DVC portal records derive from (payments, obligations, resolutions)."""
        w = self.w
        if paid != "0":
            # online payers pay on submission, the others at intake (times[0])
            w.fee_paid_at[idx] = T_sub + 60 if channel == "2" else times[0] + 600
        if e.nvtc_paid >= 0:
            w.nvtc[idx] = times[e.nvtc_paid]
        if e.status in ("9", "10"):
            w.resolved_idx.append(idx)

    def _channel_flags(self, channel: str, prof: Profile) -> tuple[str, str, str]:
        """KenhThucHien (sometimes left blank), HinhThuc and the VNeID flag."""
        rng = self.rng
        kenh = channel if not (channel == "1" and rng.random() < ODDS.channel_blank) else ""
        postal = channel == "3" and rng.random() < ODDS.postal_result_postal
        hinh = "1" if postal or rng.random() < ODDS.postal_result_any else "0"
        vneid = "1" if channel == "2" and rng.random() < prof.p_vneid else "0"
        return kenh, hinh, vneid

    def _steps(self, ac: AgencyCtx, proc: Procedure, ma: str, ev, tstr) -> None:
        staff = ac.staff
        code = ac.a.code
        out = self.w.steps
        rng = self.rng
        commune = ac.a.level == "3"
        make = R.step
        for (_d, st, role, txt), T in zip(ev, tstr, strict=True):
            people = staff[role]
            if commune and role == "handler":
                name, title, dept = people[_COMMUNE_HANDLER.get(proc.field, 2)]
            else:
                name, title, dept = people[rng.randrange(len(people))]
            out.append(
                make(
                    ma,
                    code,
                    T,
                    st,
                    dept if role != "handler" or commune else ac.dept_label,
                    name,
                    title,
                    txt,
                )
            )

    # --- not received ------------------------------------------------------------------------
    def build_unreceived(self, ac: AgencyCtx, proc: Procedure, day_idx: int, refused: bool) -> int:
        """Status 3 (refused at intake) or 1 (online, not yet accepted)."""
        w = self.w
        rng = self.rng
        days = self.days
        o = days[day_idx]
        if refused:
            channel = "2" if rng.random() < 0.7 else "1"
            sub_day = o - (rng.randint(0, 2) if channel == "2" else 0)
            sub_sod = rng.randrange(6 * 3600, 86399) if channel == "2" else _office_sod(rng)
            T_sub = sub_day * DAY + sub_sod
            T_ref = max(T_sub + 600, o * DAY + _office_sod(rng))
            if T_ref // DAY != o:
                T_ref = o * DAY + min(86390, (T_sub % DAY) + 900)
        else:
            channel = "2"
            T_sub = o * DAY + rng.randrange(6 * 3600, 86399)
            T_ref = 0
        if T_sub > w.now:
            T_sub = w.now - rng.randint(60, 7200)
        ma = self._number(ac, T_sub // DAY)
        pname, male, year = w.people.person(rng)
        kind, short = ac.residence[rng.randrange(len(ac.residence))]
        w.file_id += 1
        rec = {
            "MaHoSo": ma,
            "MaTTHC": proc.code,
            "TenTTHC": proc.name,
            "MaLinhVuc": proc.field_code,
            "TenLinhVuc": proc.field_name,
            "MaDonVi": ac.a.code,
            "KenhThucHien": channel,
            "ChuHoSo": pname,
            "SoGiayToChuHoSo": w.people.cccd(rng, male, year),
            "LoaiDoiTuong": "1",
            "SoDienThoai": w.people.phone(rng),
            "Email": w.people.email(rng, pname, year) if rng.random() < 0.5 else "",
            "DiaChi": w.people.address(rng, kind, short, ac.district_lower, self._addr),
            "TrichYeuHoSo": _summary(rng, proc, pname, male),
            "NgayNopHoSo": ts14(T_sub),
            "NgayTiepNhan": "",
            "NgayHenTra": "",
            "TrangThaiHoSo": "3" if refused else "1",
            "NgayKetThucXuLy": "",
            "NgayTra": "",
            "NgayTuChoi": ts14(T_ref) if refused else "",
            "HinhThuc": "0",
            "HoSoCoThanhPhanSoHoa": "0",
            "TaiKhoanDuocXacThucVoiVNeID": "1" if rng.random() < 0.5 else "0",
            "DuocThanhToanTrucTuyen": "0",
            "NgayCapNhat": ts14(T_ref if refused else T_sub),
            "TaiLieuNop": [
                R.component(w.file_id, _pdf(_FORM), _component(proc.code, 1), "0", "0", "0", "0")
            ],
            "DanhSachLePhi": [],
            "DanhSachHoSoBoSung": [],
            "DanhSachGiayToKetQua": [],
        }
        idx = len(w.dossiers)
        w.dossiers.append(rec)
        if refused:
            name, title, dept = ac.staff["desk"][0]
            w.steps.append(
                R.step(
                    ma,
                    ac.a.code,
                    rec["NgayTuChoi"],
                    "3",
                    dept,
                    name,
                    title,
                    "Từ chối tiếp nhận: hồ sơ chưa đủ thành phần theo quy định",
                )
            )
        return idx


_FORM = "Đơn đề nghị theo mẫu"
_FORM_HT = "Tờ khai theo mẫu"
_PDF: dict[str, str] = {}
_COMP: dict[tuple[str, int], str] = {}
_RES: dict[str, str] = {}


def _pdf(name: str) -> str:
    s = _PDF.get(name)
    if s is None:
        s = _PDF[name] = name + ".pdf"
    return s


def _component(code: str, i: int) -> str:
    s = _COMP.get((code, i))
    if s is None:
        s = _COMP[(code, i)] = f"{code}.TP{i}"
    return s


def _result_code(code: str) -> str:
    s = _RES.get(code)
    if s is None:
        s = _RES[code] = f"KQ.{code}"
    return s


_COMMUNE_HANDLER = {
    "HOTICH": 0,
    "CHUNGTHUC": 0,
    "NUOICON": 0,
    "HOAGIAI": 0,
    "PBGDPL": 0,
    "DATDAI": 1,
    "XAYDUNG": 1,
    "MOITRUONG": 1,
    "TNNUOC": 1,
    "DUONGBO": 1,
}


_TEMPLATES = (
    "{proc} cho {title} {name}",
    "Hồ sơ {proc_l} của {title} {name}",
    "{name} - {proc}",
    "{title_c} {name} đề nghị {proc_l}",
)


def _summary(rng: random.Random, proc: Procedure, name: str, male: bool) -> str:
    tpl = _TEMPLATES[rng.randrange(len(_TEMPLATES))]
    title = "ông" if male else "bà"
    return tpl.format(
        proc=proc.name,
        proc_l=proc.name[0].lower() + proc.name[1:],
        title=title,
        title_c=title.capitalize(),
        name=name,
    )
