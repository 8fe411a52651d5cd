"""Populations of dossiers: natural (a daily rate per agency) and calibrated (exact quotas).

Calibration (see docs/scenarios.md): for a group of agencies (e.g. the district-level agencies of
Mỹ Hào) and a period P = [s, e], a quota fixes how many dossiers fall in each *cell*:

* origin ``R`` (received in P) or ``C`` (carried over: received before s, not ended before s);
* kind: resolved ``early`` / ``ontime`` / ``late`` in P, ``withdrawn`` / ``stopped`` in P,
  ``pend_overdue`` / ``pend_notdue`` (not ended by e).

Orthogonal exact counts (channel of the received dossiers, digitised at intake, result
digitised among the resolved) are dealt out over the cells with a seeded shuffle. Each dossier
then gets a procedure whose processing time makes its cell feasible and dates drawn inside the
feasible window. Outside P the group gets natural background: received before s and ended
before s, or received after e — neither can touch a figure of P.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from dataclasses import dataclass, field

from .lifecycle import RESOLVED_KINDS, Builder, Profile
from .world import AgencyCtx, World

#: Month-of-year factors for intake volume (Tết in Jan/Feb, year-end rush).
SEASON = {
    1: 1.05,
    2: 0.8,
    3: 1.05,
    4: 1.0,
    5: 1.0,
    6: 1.05,
    7: 1.0,
    8: 0.95,
    9: 0.95,
    10: 1.0,
    11: 1.05,
    12: 1.1,
}


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(rng.gauss(lam, math.sqrt(lam)) + 0.5))
    L = math.exp(-lam)
    k, p = 0, 1.0
    while True:
        p *= rng.random()
        if p <= L:
            return k
        k += 1


class Generator:
    def __init__(self, world: World, rng: random.Random):
        self.w = world
        self.rng = rng
        self.b = Builder(world, rng)
        self._month_cache: dict[int, int] = {}

    def month_bounds(self, r: int) -> tuple[int, int]:
        """Working-day indices of the first and last working day of r's calendar month."""
        d = dt.date.fromordinal(self.w.cal.days[r])
        first = dt.date(d.year, d.month, 1).toordinal()
        nxt = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1).toordinal()
        return self.w.cal.idx_ge(first), self.w.cal.idx_ge(nxt) - 1

    def month(self, o: int) -> int:
        m = self._month_cache.get(o)
        if m is None:
            m = dt.date.fromordinal(o).month
            self._month_cache[o] = m
        return m

    # --- channel and procedure -----------------------------------------------------------
    def natural_pick(self, ac: AgencyCtx, o: int, prof: Profile) -> tuple:
        rng = self.rng
        w = self.w
        proc = w.pick_proc(rng, ac)
        lvl = w.online_procs(ac, o)[3].get(proc.code, 0)
        u = rng.random()
        if (lvl == 2 and u < prof.p_online) or (lvl == 1 and u < prof.p_online * 0.6):
            return proc, "2"
        if u > 1 - prof.p_postal:
            return proc, "3"
        return proc, "1"

    def pick_for_channel(self, ac: AgencyCtx, o: int, channel: str):
        rng = self.rng
        if channel == "2":
            procs, cum, _lv, _m = self.w.online_procs(ac, o)
            if not procs:
                return None
            return procs[bisect.bisect_left(cum, rng.random() * cum[-1])]
        return self.w.pick_proc(rng, ac)

    # --- natural ---------------------------------------------------------------------------
    def natural(
        self,
        group: list[AgencyCtx],
        rate: dict[str, float],
        prof: Profile,
        r_lo: int,
        r_hi: int,
        *,
        t_hi: int | None = None,
        unreceived: bool = True,
        p_online_end: float | None = None,
    ) -> int:
        """Dossiers at a daily rate per agency (``rate[code]`` received per working day)."""
        rng = self.rng
        w = self.w
        days = w.cal.days
        b = self.b
        count = 0
        E = w.E_idx
        r_lo = max(r_lo, 0)
        r_hi = min(r_hi, E)
        span = max(1, r_hi - r_lo)
        base_online = prof.p_online
        for ac in group:
            lam0 = rate.get(ac.a.code, 0.0)
            if lam0 <= 0 or not ac.procs:
                continue
            for r in range(r_lo, r_hi + 1):
                o = days[r]
                if p_online_end is not None:
                    prof.p_online = base_online + (p_online_end - base_online) * (r - r_lo) / span
                n = poisson(rng, lam0 * SEASON[self.month(o)])
                for _ in range(n):
                    proc, ch = self.natural_pick(ac, o, prof)
                    plan = b.natural(r, proc.days, prof, t_hi)
                    b.build(ac, proc, ch, plan, prof)
                    count += 1
                if unreceived:
                    if rng.random() < lam0 * 0.007:
                        b.build_unreceived(ac, w.pick_proc(rng, ac), r, refused=True)
                    if (
                        r > E - 2 and rng.random() < lam0 * 0.25 * prof.p_online
                    ) or rng.random() < lam0 * 0.0004:
                        procs, cum, _, _ = w.online_procs(ac, o)
                        if procs:
                            p = procs[bisect.bisect_left(cum, rng.random() * cum[-1])]
                            b.build_unreceived(ac, p, r, refused=False)
        prof.p_online = base_online
        return count

    # --- calibrated --------------------------------------------------------------------------
    def calibrated(self, group: list[AgencyCtx], q: Quota, prof: Profile) -> dict:
        """Exactly the quota's dossiers for period P (plus nothing else in P)."""
        rng = self.rng
        w = self.w
        cal = w.cal
        b = self.b
        s_idx = cal.idx_ge(q.s.toordinal())
        e_idx = cal.idx_le(q.e.toordinal())
        en = cal.idx_ge(q.e.toordinal())  # first working day on/after e
        eo = en - 1  # last working day before e
        S = w.S_idx
        cells = [("R", k) for k, n in q.received.items() for _ in range(n)]
        cells += [("C", k) for k, n in q.carried.items() for _ in range(n)]
        rng.shuffle(cells)
        n_recv = sum(q.received.values())
        # orthogonal exact counts
        chan: list[str | None] = [None] * n_recv
        if q.channels:
            chan = [c for c, n in sorted(q.channels.items()) for _ in range(n)]
            assert len(chan) == n_recv, "channel counts must add up to received"
            rng.shuffle(chan)
        digi: list[bool | None] = [None] * n_recv
        if q.digitised is not None:
            digi = [True] * q.digitised + [False] * (n_recv - q.digitised)
            rng.shuffle(digi)
        n_res = sum(
            n for k, n in list(q.received.items()) + list(q.carried.items()) if k in RESOLVED_KINDS
        )
        rdig: list[bool | None] = [None] * n_res
        if q.result_digitised is not None:
            rdig = [True] * q.result_digitised + [False] * (n_res - q.result_digitised)
            rng.shuffle(rdig)
        weights = [ac.a.weight for ac in group]
        cumw = []
        tot = 0.0
        for x in weights:
            tot += x
            cumw.append(tot)
        ri = 0
        si = 0
        for origin, kind in cells:
            if origin == "R":
                r_lo, r_hi = s_idx, e_idx
                channel = chan[ri]
                dg = digi[ri]
                ri += 1
            else:
                r_lo, r_hi = S, s_idx - 1
                channel = None
                dg = None
            rd = None
            if kind in RESOLVED_KINDS:
                rd = rdig[si]
                si += 1
            t_lo, t_hi = s_idx, e_idx
            for attempt in range(400):
                ac = group[bisect.bisect_left(cumw, rng.random() * tot)]
                r0 = rng.randint(r_lo, r_hi)
                o0 = cal.days[r0]
                if channel is None:
                    proc, ch = self.natural_pick(ac, o0, prof)
                else:
                    ch = channel
                    proc = self.pick_for_channel(ac, o0, ch)
                    if proc is None:
                        continue
                iv = b.solve(kind, proc.days, r_lo, r_hi, t_lo, t_hi, eo=eo, en=en, e_idx=e_idx)
                if iv is None:
                    continue
                lo, hi = iv
                # "not yet due" dossiers must have been received within the procedure's processing
                # time before e: prefer long procedures so that they do not pile up on the last days
                if kind == "pend_notdue" and hi - lo + 1 < (
                    12 if attempt < 200 else 6 if attempt < 320 else 1
                ):
                    continue
                if ch == "2":
                    # the procedure was picked among those offered online in r0's month: draw
                    # the receipt day in that month when the window allows it
                    mlo, mhi = self.month_bounds(r0)
                    if max(lo, mlo) <= min(hi, mhi):
                        lo, hi = max(lo, mlo), min(hi, mhi)
                r = rng.randint(lo, hi)
                break
            else:
                raise RuntimeError(f"no feasible dossier for cell {origin}/{kind} in {q.label}")
            plan = b.plan_kind(kind, proc.days, r, t_lo, t_hi, e_idx=e_idx)
            b.build(
                ac,
                proc,
                ch,
                plan,
                prof,
                digitised=dg,
                result_digitised=rd,
                supplement=None if kind not in ("withdrawn", "stopped") else False,
            )
        return {"cells": len(cells)}

    def background(
        self,
        group: list[AgencyCtx],
        q: Quota,
        prof: Profile,
        rate: dict[str, float],
        pre_rate_factor: float = 1.0,
    ) -> None:
        """Natural dossiers around the period: before s (all ended before s) and after e."""
        w = self.w
        cal = w.cal
        s_idx = cal.idx_ge(q.s.toordinal())
        e_idx = cal.idx_le(q.e.toordinal())
        n_pre_days = max(0, s_idx - w.S_idx)
        carried = sum(q.carried.values())
        if n_pre_days:
            total = sum(rate.values()) * n_pre_days
            f = max(0.0, (total - carried) / total) * pre_rate_factor if total else 0.0
            self.natural(
                group,
                {k: v * f for k, v in rate.items()},
                prof,
                w.S_idx,
                s_idx - 1,
                t_hi=s_idx - 1,
                unreceived=True,
            )
        if e_idx < w.E_idx:
            self.natural(group, rate, prof, e_idx + 1, w.E_idx)
        # refused / not-yet-accepted dossiers inside the period (never received: count nowhere)
        rng = self.rng
        for ac in group:
            lam = rate.get(ac.a.code, 0.0)
            for r in range(s_idx, e_idx + 1):
                if rng.random() < lam * 0.007:
                    self.b.build_unreceived(ac, w.pick_proc(rng, ac), r, refused=True)


@dataclass
class Quota:
    label: str
    s: dt.date
    e: dt.date
    received: dict[str, int]
    carried: dict[str, int]
    channels: dict[str, int] | None = None
    digitised: int | None = None
    result_digitised: int | None = None
    notes: dict = field(default_factory=dict)

    def totals(self) -> dict[str, int]:
        rec = sum(self.received.values())
        car = sum(self.carried.values())
        allk = {
            k: self.received.get(k, 0) + self.carried.get(k, 0)
            for k in (
                "early",
                "ontime",
                "late",
                "withdrawn",
                "stopped",
                "pend_overdue",
                "pend_notdue",
            )
        }
        return {
            "received": rec,
            "carried_over": car,
            "in_scope": rec + car,
            "resolved": allk["early"] + allk["ontime"] + allk["late"],
            "early": allk["early"],
            "on_time": allk["ontime"],
            "late": allk["late"],
            "withdrawn": allk["withdrawn"],
            "stopped": allk["stopped"],
            "pending": allk["pend_overdue"] + allk["pend_notdue"],
            "overdue": allk["pend_overdue"],
            "not_due": allk["pend_notdue"],
        }
