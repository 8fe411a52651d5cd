"""The two administrative-unit schemes a figure can be in (reform2025.md §1, §4).

``pre2025`` is the three-level map (province, district, commune) valid until 30/06/2025;
``2025`` the two-level map (province, commune) from 01/07/2025. A unit is always the pair
(scheme, code): new codes reuse old ones, so a code alone names two different units.
"""

from __future__ import annotations

import datetime as dt

PRE2025 = "pre2025"
SCHEME_2025 = "2025"
SCHEMES = (PRE2025, SCHEME_2025)

#: The first day of the two-level local government.
REFORM_DATE = dt.date(2025, 7, 1)

#: The unit levels each scheme's drafts are written for (a pre2025 province has no draft:
#: its districts report to it; a 2025 province reports to the Sở Khoa học và Công nghệ).
DRAFT_LEVELS = {PRE2025: ("district", "commune"), SCHEME_2025: ("province", "commune")}

#: How a scheme is named to a reader (the scorecard's switch, the drafts' folders).
SCHEME_LABELS = {
    PRE2025: "Địa giới cũ: tỉnh – huyện – xã (đến 30/06/2025)",
    SCHEME_2025: "Địa giới mới: tỉnh – xã (từ 01/07/2025)",
}


def begins_before_reform(period_start: dt.date) -> bool:
    """Whether a period has days under the old map (so 2025 figures total predecessors)."""
    return period_start < REFORM_DATE


def default_scheme(schemes: list[str], latest_start_2025: dt.date | None) -> str:
    """The scheme a reader sees first: ``2025`` for a period that starts on or after the
    reform, ``pre2025`` for an earlier one (where the old units are the ones officers know),
    and whichever scheme the marts hold when they hold only one."""
    if SCHEME_2025 in schemes and (
        PRE2025 not in schemes
        or (latest_start_2025 is not None and latest_start_2025 >= REFORM_DATE)
    ):
        return SCHEME_2025
    return PRE2025 if PRE2025 in schemes else (schemes[0] if schemes else PRE2025)
