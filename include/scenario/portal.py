"""DVC portal records: the online-service catalogue (with its history), payments, ratings."""

from __future__ import annotations

import datetime as dt
import random

from .catalogue import BY_CODE, PROCEDURES, Procedure
from .workdays import DAY, iso_date, iso_ts, ts14_instant
from .world import Offering, World


def designate(
    procs: list[Procedure], counts: dict[str, int], rng: random.Random, prefer: list[str] = ()
) -> dict[str, str]:
    """Pick which procedures are FULL / PARTIAL / NONE on the calibration day.

    FULL only among procedures eligible for full online service; popular procedures first
    (weight × a random factor). ``prefer`` codes are taken first for FULL when eligible.
    """
    order = sorted(
        procs, key=lambda p: -(p.weight * rng.uniform(0.3, 1.7)) - (100 if p.code in prefer else 0)
    )
    out: dict[str, str] = {}
    need = dict(counts)
    for p in order:
        if need.get("FULL", 0) and p.eligible_full:
            out[p.code] = "FULL"
            need["FULL"] -= 1
    for lvl in ("PARTIAL", "NONE"):
        for p in order:
            if need.get(lvl, 0) and p.code not in out:
                out[p.code] = lvl
                need[lvl] -= 1
    if any(need.values()):
        raise ValueError(f"catalogue too small for {counts}: short {need}")
    return out


def _avoid(o: int, cal: int) -> int:
    """Keep level changes away from the calibration day (±3 days), so that an inclusive or an
    exclusive reading of ``publishedTo`` counts the same offerings on that day."""
    if cal - 3 <= o <= cal + 3:
        return cal - 4
    return o


def build_offerings(
    world: World,
    rng: random.Random,
    cal_day: dt.date,
    designations: dict[str, dict[str, str]],
    specific: list[tuple[str, str, list[str], str]] = (),
    first_pub: dt.date = dt.date(2020, 1, 1),
) -> list[Offering]:
    """Offering history per (procedure, level) so that the level published on ``cal_day`` is the
    designated one (``designations[level][code]`` in FULL/PARTIAL/NONE; absent = not published).

    ``specific``: (procedure code, level, agency codes, online level) offerings of single agencies
    (``agencyCode`` set), published since before ``cal_day`` and still running.
    """
    cal = cal_day.toordinal()
    now_o = world.end.toordinal()
    f0 = first_pub.toordinal()
    out: list[Offering] = []

    def seg_list(p: Procedure, des: str | None) -> list[tuple[int, str]] | None:
        first = rng.randint(f0, max(f0, cal - 90))
        segs: list[tuple[int, str]] = []
        if des == "FULL":
            up = _avoid(rng.randint(max(first + 1, cal - 700), cal - 5), cal)
            if up > first + 30 and rng.random() < 0.75:
                segs = [(first, "PARTIAL" if rng.random() < 0.8 else "NONE"), (up, "FULL")]
            else:
                segs = [(first, "FULL")]
        elif des == "PARTIAL":
            if rng.random() < 0.3 and first + 60 < cal - 10:
                segs = [(first, "NONE"), (_avoid(rng.randint(first + 30, cal - 5), cal), "PARTIAL")]
            else:
                segs = [(first, "PARTIAL")]
            if p.eligible_full and rng.random() < 0.35 and cal + 5 <= now_o:
                segs.append((rng.randint(cal + 5, now_o), "FULL"))
        elif des == "NONE":
            segs = [(first, "NONE")]
            if rng.random() < 0.2 and cal + 5 <= now_o:
                segs.append((rng.randint(cal + 5, now_o), "PARTIAL"))
        else:
            u = rng.random()
            if u < 0.4 and cal + 5 <= now_o:
                segs = [(rng.randint(cal + 5, now_o), "NONE" if rng.random() < 0.5 else "PARTIAL")]
            elif u < 0.55 and first + 30 < cal - 5:
                return [
                    (first, "PARTIAL"),
                    (-_avoid(rng.randint(first + 30, cal - 5), cal), "SUSPENDED"),
                ]
            else:
                return None
        return segs

    for level, des_map in designations.items():
        for code in sorted(set(des_map) | {p.code for p in PROCEDURES if level in p.levels}):
            p = BY_CODE[code]
            if level not in p.levels:
                continue
            segs = seg_list(p, des_map.get(code))
            if not segs:
                continue
            suspended_at = None
            if segs[-1][1] == "SUSPENDED":
                suspended_at = -segs[-1][0]
                segs = segs[:-1]
            for i, (start, lvl) in enumerate(segs):
                stop = segs[i + 1][0] - 1 if i + 1 < len(segs) else None
                status = "PUBLISHED"
                if stop is None and suspended_at is not None:
                    stop = suspended_at
                    status = "SUSPENDED"
                changed = (stop + 1) if stop is not None else start
                out.append(
                    Offering(
                        proc=p,
                        level=level,
                        agency=None,
                        online=lvl,
                        start=start,
                        stop=stop,
                        status=status,
                        updated=min(changed, now_o) * DAY + rng.randrange(7 * 3600, 17 * 3600),
                    )
                )
    for code, level, agencies, lvl in specific:
        p = BY_CODE[code]
        for a in agencies:
            start = _avoid(rng.randint(cal - 400, cal - 5), cal)
            out.append(
                Offering(
                    proc=p,
                    level=level,
                    agency=a,
                    online=lvl,
                    start=start,
                    stop=None,
                    updated=start * DAY + rng.randrange(7 * 3600, 17 * 3600),
                )
            )
    out.sort(key=lambda o: (o.start, o.level, o.proc.code, o.agency or ""))
    for i, o in enumerate(out, start=1):
        o.service_id = 100000 + i
    return out


def service_records(offerings: list[Offering]) -> list[dict]:
    recs = []
    for o in offerings:
        p = o.proc
        recs.append(
            {
                "serviceId": o.service_id,
                "procedureCode": p.code,
                "procedureName": p.name,
                "fieldCode": p.field_code,
                "fieldName": p.field_name,
                "agencyLevel": o.level,
                "agencyCode": o.agency,
                "onlineLevel": o.online,
                "eligibleFullOnline": p.eligible_full,
                "hasFee": p.has_fee,
                "requiresPaperResult": p.paper_result,
                "status": o.status,
                "publishedFrom": iso_date(o.start),
                "publishedTo": iso_date(o.stop) if o.stop is not None else None,
                "updatedAt": iso_ts(o.updated, utc=False),
            }
        )
    recs.sort(key=lambda r: (r["updatedAt"], r["serviceId"]))
    return recs


# --- payments -------------------------------------------------------------------------------


def _instant(s: str) -> int:
    return ts14_instant(s)


class PaymentMaker:
    def __init__(self, world: World, rng: random.Random):
        self.w = world
        self.rng = rng
        self.n = 0
        self.out: list[dict] = []

    def make(
        self,
        dossier: dict,
        kind: str,
        amount: int,
        paid_at: int,
        status: str = "SUCCESS",
        gateway: str | None = None,
    ) -> dict:
        rng = self.rng
        self.n += 1
        paid_at = min(paid_at, self.w.now)
        if gateway is None:
            gateway = "DVCQG" if dossier["DuocThanhToanTrucTuyen"] != "2" else "LOCAL"
        utc = gateway == "DVCQG"
        created = paid_at - rng.randint(20, 600)
        now = self.w.now
        paid = None
        updated = created + rng.randint(5, 120)
        if status == "SUCCESS":
            paid = paid_at
            updated = paid_at + rng.randint(0, 30)
        elif status == "REFUNDED":
            paid = paid_at
            updated = min(now, paid_at + rng.randint(1, 10) * DAY + rng.randint(0, 3600))
        elif status == "PENDING":
            updated = created
        updated = min(updated, now)
        amt: int | str = amount
        if gateway == "LOCAL" and rng.random() < 0.5:
            amt = str(amount)  # the local gateway serialises money as a numeric string
        rec = {
            "transactionId": f"{'QG' if gateway == 'DVCQG' else 'LC'}"
            f"{dt.date.fromordinal(created // DAY):%y%m%d}{self.n:08d}",
            "dossierCode": dossier["MaHoSo"],
            "agencyCode": dossier["MaDonVi"],
            "procedureCode": dossier["MaTTHC"],
            "feeKind": kind,
            "amount": amt,
            "gateway": gateway,
            "status": status,
            "createdAt": iso_ts(created, utc),
            "paidAt": iso_ts(paid, utc) if paid is not None else None,
            "updatedAt": iso_ts(updated, utc),
        }
        self.out.append(rec)
        return rec

    def fee_payments(self, idx: int, paid_at: int, failed_first: bool = False) -> list[dict]:
        """One SUCCESS transaction per fee kind of the dossier (FEE for phí, CHARGE for lệ phí)."""
        d = self.w.dossiers[idx]
        sums: dict[str, int] = {}
        for f in d["DanhSachLePhi"]:
            if f["Gia"] > 0:
                k = "FEE" if f["LoaiPhiLePhi"] == "1" else "CHARGE"
                sums[k] = sums.get(k, 0) + f["Gia"]
        recs = []
        for k, v in sorted(sums.items()):
            if failed_first:
                self.make(d, k, v, paid_at - self.rng.randint(120, 900), status="FAILED")
            recs.append(self.make(d, k, v, paid_at))
        return recs


def fee_payment_instant(d: dict) -> int:
    """When an online payment of fees happens: right after an online submission, or at the desk."""
    if d["KenhThucHien"] == "2":
        return _instant(d["NgayNopHoSo"]) + 60
    return _instant(d["NgayTiepNhan"]) + 600


def natural_payments(world: World, rng: random.Random, p_land_online: float = 0.0) -> list[dict]:
    """Payments of the dossiers the generator marked as paid online, plus land tax paid online
    for a share of the financial obligations met (the dossier is then marked paid online too)."""
    pm = PaymentMaker(world, rng)
    for idx, at in sorted(world.fee_paid_at.items()):
        pm.fee_payments(idx, at, failed_first=rng.random() < 0.04)
        if rng.random() < 0.003:
            d = world.dossiers[idx]
            pm.make(d, "OTHER", 20000, at + 300, status="REFUNDED")
    # a payment started and not finished: dossiers waiting for a financial obligation, lately
    now = world.now
    for d in world.dossiers:
        if d["TrangThaiHoSo"] == "6" and rng.random() < p_land_online:
            at = ts14_instant(d["NgayCapNhat"]) + rng.randint(600, 3 * DAY)
            if at < now:
                pm.make(d, "LAND_TAX", land_tax_amount(rng), at, status="PENDING")
    for idx, at in sorted(world.nvtc.items()):
        if rng.random() < p_land_online:
            d = world.dossiers[idx]
            if d["DuocThanhToanTrucTuyen"] == "0":
                d["DuocThanhToanTrucTuyen"] = "1"
            pm.make(d, "LAND_TAX", land_tax_amount(rng), at - rng.randint(60, 3600))
    return pm.out


def land_tax_amount(rng: random.Random) -> int:
    return int(rng.lognormvariate(14.0, 0.9) // 1000) * 1000 + 1000


# --- ratings ------------------------------------------------------------------------------

LEVELS = (("RAT_HAI_LONG", 55), ("HAI_LONG", 37), ("BINH_THUONG", 6), ("KHONG_HAI_LONG", 2))


def make_ratings(world: World, rng: random.Random, share: float = 0.22) -> list[dict]:
    out = []
    n = 0
    now = world.now
    lv = [x for x, _ in LEVELS]
    wt = [y for _, y in LEVELS]
    for idx in world.resolved_idx:
        d = world.dossiers[idx]
        if d["TrangThaiHoSo"] != "10":
            continue
        online = d["KenhThucHien"] == "2"
        if rng.random() > (share * 1.6 if online else share * 0.8):
            continue
        base = _instant(d["NgayTra"])
        rated = base + int(rng.expovariate(1 / 7200)) + (rng.randint(0, 3) * DAY if online else 0)
        if rated > now:
            continue
        n += 1
        channel = (
            "PORTAL"
            if online
            else rng.choices(("KIOSK", "SMS", "ZALO", "PORTAL"), (60, 15, 20, 5))[0]
        )
        level = rng.choices(lv, wt)[0]
        rec = {
            "ratingId": n,
            "dossierCode": d["MaHoSo"],
            "agencyCode": d["MaDonVi"],
            "channel": channel,
            "level": level,
            "withdrawn": False,
            "ratedAt": iso_ts(rated, utc=True),
            "updatedAt": iso_ts(rated, utc=True),
        }
        if rng.random() < 0.01:
            upd = min(now, rated + rng.randint(600, 5 * DAY))
            rec["level"] = None
            rec["withdrawn"] = True
            rec["updatedAt"] = iso_ts(upd, utc=True)
        out.append(rec)
    return out
