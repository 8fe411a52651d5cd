"""The shared state of one scenario build: calendar, agencies, catalogue offerings, counters."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from dataclasses import dataclass, field

from .catalogue import FIELDS, PROCEDURES, Procedure
from .people import People, staff_for
from .units import Agency, Province, lower_kind
from .workdays import DAY, WorkCalendar

LEVEL_RANK = {"NONE": 0, "PARTIAL": 1, "FULL": 2}


class FastRandom(random.Random):
    """``random.Random`` with cheaper integer draws (scaled ``random()``; seeded and deterministic).

    The stdlib draws integers bit by bit through several Python-level calls; at a million
    dossiers that dominates the build time. ``int(random() * n)`` is unbiased enough here.
    """

    def _randbelow(self, n: int) -> int:  # used by choice, shuffle, sample
        return int(self.random() * n)

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            return int(self.random() * start)
        return start + int(self.random() * (stop - start))

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def wpick(self, items, cum):
        """One of ``items`` by cumulative weights ``cum``."""
        return items[bisect.bisect_right(cum, self.random() * cum[-1])]


@dataclass
class Offering:
    proc: Procedure
    level: str  # agencyLevel: PROVINCE / DISTRICT / COMMUNE
    agency: str | None  # agencyCode
    online: str  # NONE / PARTIAL / FULL
    start: int  # ordinal, publishedFrom
    stop: int | None  # ordinal, publishedTo (inclusive) or None
    status: str = "PUBLISHED"
    updated: int = 0  # instant
    service_id: int = 0


@dataclass
class AgencyCtx:
    """An agency plus what the generator needs to draw its dossiers quickly."""

    a: Agency
    index: int
    level: str  # PROVINCE / DISTRICT / COMMUNE
    procs: list[Procedure]
    cum: list[float]  # cumulative weights over procs
    staff: dict
    dept_label: str  # "Phòng Tư pháp" etc. (who processes)
    residence: list[tuple[str, str]]  # (commune kind, commune short) where applicants live
    district_lower: str
    online_cache: dict = field(default_factory=dict)


class World:
    def __init__(
        self,
        *,
        name: str,
        seed: int,
        province: Province,
        agencies: list[Agency],
        start: dt.date,
        end: dt.date,
        portal_host: str,
    ):
        self.name = name
        self.seed = seed
        self.prov = province
        self.agencies = agencies
        self.start = start
        self.end = end
        self.portal_host = portal_host
        self.cal = WorkCalendar(start - dt.timedelta(days=400), end + dt.timedelta(days=400))
        self.now = end.toordinal() * DAY + 23 * 3600 + 59 * 60 + 59
        self.S_idx = self.cal.idx_ge(start.toordinal())
        self.E_idx = self.cal.idx_le(end.toordinal())
        self.people = People(province.code)
        self.offerings: list[Offering] = []
        self._off_by_proc: dict[tuple[str, str], list[Offering]] = {}
        self.by_code = {a.code: a for a in agencies}
        self.ctx: dict[str, AgencyCtx] = {}
        self.dossiers: list[dict] = []
        self.steps: list[dict] = []
        self.seq: dict[int, int] = {}
        self.file_id = 0
        # side information for the portal module: index in dossiers -> facts
        self.nvtc: dict[int, int] = {}  # dossier index -> instant the financial obligation was met
        self.fee_paid_at: dict[
            int, int
        ] = {}  # dossier index -> instant fees were due (submission/intake)
        self.resolved_idx: list[int] = []

    def rng(self, *parts) -> FastRandom:
        return FastRandom(":".join(str(p) for p in (self.name, self.seed, *parts)))

    # --- offerings ----------------------------------------------------------------------
    def set_offerings(self, offerings: list[Offering]) -> None:
        self.offerings = offerings
        self._off_by_proc = {}
        for o in offerings:
            self._off_by_proc.setdefault((o.proc.code, o.level), []).append(o)

    def online_level(self, proc: Procedure, level: str, agency: str, ordinal: int) -> int:
        """Highest online level (0 NONE, 1 PARTIAL, 2 FULL; -1 unpublished) on a day."""
        best = -1
        for o in self._off_by_proc.get((proc.code, level), ()):
            if (
                o.status != "PUBLISHED"
                or o.start > ordinal
                or (o.stop is not None and o.stop < ordinal)
            ):
                continue
            if o.agency is not None and o.agency != agency:
                continue
            r = LEVEL_RANK[o.online]
            if r > best:
                best = r
        return best

    def online_procs(
        self, ac: AgencyCtx, ordinal: int
    ) -> tuple[list[Procedure], list[float], list[int], dict]:
        """Procedures the agency offers online (PARTIAL/FULL) during all of ``ordinal``'s month."""
        d = dt.date.fromordinal(ordinal)
        key = d.year * 12 + d.month
        hit = ac.online_cache.get(key)
        if hit is None:
            first = dt.date(d.year, d.month, 1).toordinal()
            nxt = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1).toordinal()
            procs, cum, lv = [], [], []
            tot = 0.0
            for p in ac.procs:
                a = self.online_level(p, ac.level, ac.a.code, first)
                b = self.online_level(p, ac.level, ac.a.code, nxt - 1)
                m = min(a, b)
                if m >= 1:
                    tot += p.weight * (1.0 if m == 2 else 0.6)
                    procs.append(p)
                    cum.append(tot)
                    lv.append(m)
            hit = (procs, cum, lv, {p.code: x for p, x in zip(procs, lv, strict=True)})
            ac.online_cache[key] = hit
        return hit

    # --- agencies -----------------------------------------------------------------------
    def build_contexts(
        self, dept_weights: dict[str, float] | None = None, ubnd_share: float = 0.12
    ) -> None:
        """Procedure lists per agency (by level and field -> department)."""
        dept_weights = dept_weights or {}
        dist_by_code = {d.code: d for d in self.prov.districts}
        prov_lower = f"tỉnh {self.prov.short}"
        for i, a in enumerate(self.agencies):
            if a.level == "1":
                level = "PROVINCE"
                procs = [
                    p for p in PROCEDURES if "PROVINCE" in p.levels and FIELDS[p.field][3] == a.dept
                ]
                label = a.name.split(" tỉnh ")[0]
            elif a.level == "2":
                level = "DISTRICT"
                if a.kind == "UBND_H":
                    procs = [p for p in PROCEDURES if "DISTRICT" in p.levels]
                    label = "Văn phòng HĐND và UBND"
                else:
                    procs = [
                        p
                        for p in PROCEDURES
                        if "DISTRICT" in p.levels and FIELDS[p.field][2] == a.dept
                    ]
                    label = a.name.split(" thị xã ")[0].split(" huyện ")[0].split(" thành phố ")[0]
            else:
                level = "COMMUNE"
                procs = [p for p in PROCEDURES if "COMMUNE" in p.levels]
                label = "UBND " + a.name[5:]
            cum, tot = [], 0.0
            for p in procs:
                tot += p.weight
                cum.append(tot)
            if a.district:
                dist = dist_by_code[a.district]
                if a.level == "3":
                    com = next(c for c in dist.communes if c.code == a.unit)
                    residence = [(com.kind, com.short)]
                else:
                    residence = [(c.kind, c.short) for c in dist.communes]
                dl = f"{lower_kind(dist.name)}, {prov_lower}"
            else:
                residence = [(c.kind, c.short) for d in self.prov.districts for c in d.communes]
                dl = prov_lower
            self.ctx[a.code] = AgencyCtx(
                a=a,
                index=i,
                level=level,
                procs=procs,
                cum=cum,
                staff=staff_for(a.code, a.kind, a.dept, self.seed),
                dept_label=label,
                residence=residence,
                district_lower=dl,
            )
        # dossier weights inside a district: departments by share, UBND by ubnd_share
        for a in self.agencies:
            if a.kind == "PHONG":
                a.weight = dept_weights.get(a.dept, 0.0) if self.ctx[a.code].procs else 0.0
            elif a.kind == "UBND_H":
                a.weight = ubnd_share

    def pick_proc(self, rng: random.Random, ac: AgencyCtx) -> Procedure:
        return ac.procs[bisect.bisect_left(ac.cum, rng.random() * ac.cum[-1])]
