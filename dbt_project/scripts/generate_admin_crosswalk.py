"""Generate the old→new administrative-unit crosswalk seed (reform2025.md §3).

``seeds/admin_units_pre2025_to_2025.csv`` maps every unit of ``seeds/admin_units_pre2025.csv``
to the 2025 scheme of ``seeds/admin_units_2025.csv``:

* an old commune → the new commune(s) it lies in: one ``whole`` row, or one ``divided`` row per
  new commune with exactly one default successor;
* an old district → the new province that contains it; an old province → its new province.

The mapping comes from the pinned ``vietnamadminunits`` 1.0.4, read straight from the data files
of its wheel (no import, so neither its geocoder nor its parser run):

* ``data/dataset.db``: ``admin_units_legacy`` (the three-level scheme, with GSO codes and the
  names of communes merged away earlier as aliases) and ``admin_units`` (the 2025 scheme);
* ``data/converter_2025.json``: ``DICT_PROVINCE`` (new province → old provinces),
  ``DICT_PROVINCE_WARD_NO_DIVIDED`` (new commune → the old communes that lie wholly in it) and
  ``DICT_PROVINCE_WARD_DIVIDED`` (divided old commune → its new communes, ``isDefaultNewWard``
  naming the default successor), all keyed by the library's name keys.

Our seeds come from ``vietnam-provinces``; the two packages disagree on some codes and names, so
every library unit is first matched to a unit of our seeds (the rules are in ``reconcile``'s
helpers and docs/warehouse.md "The old→new crosswalk"), and the script reports every
disagreement. Run from the project root, then commit the CSV::

    .venv/bin/python dbt_project/scripts/generate_admin_crosswalk.py
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sqlite3
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# Not "admin_unit_crosswalk": that is the mart published from this seed, and dbt refuses a
# seed and a model of the same name.
OUTPUT_NAME = "admin_units_pre2025_to_2025.csv"
LIBRARY = "vietnamadminunits"
LIBRARY_VERSION = "1.0.4"
SOURCE_VERSION = f"{LIBRARY}=={LIBRARY_VERSION}"
COLUMNS = (
    "old_scheme",
    "old_unit_code",
    "old_unit_level",
    "old_unit_name",
    "new_unit_code",
    "new_unit_level",
    "new_unit_name",
    "new_province_code",
    "relation",
    "is_default",
    "source_version",
)
Row = tuple[str, ...]

# Vietnamese tone marks (grave, acute, tilde, hook above, dot below). Spellings differ in where
# a syllable's tone sits ("Hoà" / "Hòa", "Thuỷ" / "Thủy"), never in whether it has one, so a
# name key keeps each syllable's letters and its tone but not the tone's position.
_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}
# Type words in front of a province name ("Tỉnh Hưng Yên" in the library, "Hưng Yên" in ours).
_PROVINCE_TYPE = re.compile(r"^(tỉnh|thành phố)\s+", re.IGNORECASE)


def name_key(name: str) -> str:
    """A unit name, compared the way a reader would: case, punctuation, spacing and tone
    placement ignored; letters, vowel marks and tones kept (Văn Lang ≠ Văn Lăng)."""
    words = []
    for word in re.findall(r"\w+", unicodedata.normalize("NFC", name).lower()):
        decomposed = unicodedata.normalize("NFD", word)
        tones = "".join(_TONES[ch] for ch in decomposed if ch in _TONES)
        letters = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        words.append(letters + tones)
    return " ".join(words)


def ascii_key(name: str) -> str:
    """The library's own keyword form: no marks, no spaces ("Xã Tân Hợp" → "xatanhop")."""
    decomposed = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]", "", bare.lower())


def province_key(name: str) -> str:
    return name_key(_PROVINCE_TYPE.sub("", name.strip()))


@dataclass(frozen=True)
class Unit:
    """A unit of one of our seeds."""

    code: str
    name: str
    level: str
    parent: str


@dataclass(frozen=True)
class Successor:
    """A library 2025 commune an old library commune lies in (wholly or in part)."""

    province_key: str
    ward_key: str
    is_default: bool


@dataclass
class Library:
    """The parts of the library's data the crosswalk needs."""

    legacy: list[dict]  # admin_units_legacy rows
    new: list[dict]  # admin_units rows
    old_to_new_province: dict[str, str]  # old provinceKey → new provinceKey
    successors: dict[str, list[Successor]]  # "prov_district_ward" key → new communes
    divided: set[str]  # the keys of divided old communes


@dataclass
class Report:
    """Every place where the library and our seeds disagree, and how it was resolved."""

    old_renamed: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(level, code, our name, library name): same code, other name."""
    old_absorbed: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(our code, our name, library code, library name): our commune is absent from the
    library's codes; found by name or alias in the same district."""
    old_unmatched: list[tuple[str, str, str]] = field(default_factory=list)
    """(code, name, district code): our commune found nowhere; mapped to its new province."""
    new_recoded: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(province code, name, our code, library code): same commune, other code."""
    new_renamed: list[tuple[str, str, str]] = field(default_factory=list)
    """(code, our name, library name): no name match in the province, matched by code."""
    new_province_renamed: list[tuple[str, str, str]] = field(default_factory=list)
    """(code, our name, library name) beyond the type word."""
    uncovered_new: list[tuple[str, str]] = field(default_factory=list)
    """(code, name): 2025 communes no old commune of our seed maps to."""

    def lines(self) -> list[str]:
        out = [
            f"old units with the same code and another name: {len(self.old_renamed)}",
            *(f"  {lv} {c}: ours {a!r}, library {b!r}" for lv, c, a, b in self.old_renamed),
            f"old communes the library lists under another code: {len(self.old_absorbed)}",
            *(f"  {c} {a!r} → library {lc} {lb!r}" for c, a, lc, lb in self.old_absorbed),
            f"new communes the packages number differently: {len(self.new_recoded)}",
            *(f"  {p} {n!r}: ours {a}, library {b}" for p, n, a, b in self.new_recoded),
            f"new communes matched by code, names differ: {len(self.new_renamed)}",
            *(f"  {c}: ours {a!r}, library {b!r}" for c, a, b in self.new_renamed),
            f"new provinces whose names differ: {len(self.new_province_renamed)}",
            *(f"  {c}: ours {a!r}, library {b!r}" for c, a, b in self.new_province_renamed),
            f"new communes no old commune maps to: {len(self.uncovered_new)}",
            *(f"  {c} {n!r}" for c, n in self.uncovered_new),
        ]
        if self.old_unmatched:
            out.append(
                f"*** {len(self.old_unmatched)} OLD COMMUNES NOT FOUND IN {SOURCE_VERSION}: "
                "mapped to their new province only (new_unit_level province) ***"
            )
            out.extend(f"***   {c} {n!r} (district {d})" for c, n, d in self.old_unmatched)
        return out


def library_data_dir() -> Path:
    """The installed library's data directory, refusing any version but the pinned one."""
    try:
        installed = metadata.version(LIBRARY)
    except metadata.PackageNotFoundError:
        sys.exit(f"{LIBRARY} is not installed; install requirements/pipeline.txt")
    if installed != LIBRARY_VERSION:
        sys.exit(f"{LIBRARY} {installed} is installed; the crosswalk is pinned to {SOURCE_VERSION}")
    data = Path(str(metadata.distribution(LIBRARY).locate_file(f"{LIBRARY}/data")))
    if not (data / "dataset.db").is_file():
        sys.exit(f"{data}/dataset.db is missing from the installed {LIBRARY}")
    return data


def _converter_successors(converter: dict) -> tuple[dict[str, list[Successor]], set[str]]:
    successors: dict[str, list[Successor]] = defaultdict(list)
    for new_province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, old_keys in wards.items():
            for old_key in old_keys:
                successors[old_key].append(Successor(new_province, new_ward, True))
    divided: set[str] = set()
    for new_province, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in olds.items():
            divided.add(old_key)
            successors[old_key].extend(
                Successor(new_province, part["newWardKey"], bool(part["isDefaultNewWard"]))
                for part in parts
            )
    return dict(successors), divided


def load_library(data: Path) -> Library:
    with sqlite3.connect(f"file:{data / 'dataset.db'}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        legacy = [dict(r) for r in conn.execute("SELECT * FROM admin_units_legacy")]
        new = [dict(r) for r in conn.execute("SELECT * FROM admin_units")]
    converter = json.loads((data / "converter_2025.json").read_text("utf-8"))
    old_to_new = {old: new_p for new_p, olds in converter["DICT_PROVINCE"].items() for old in olds}
    successors, divided = _converter_successors(converter)
    return Library(legacy, new, old_to_new, successors, divided)


def legacy_key(row: dict) -> str:
    """The converter's key of a legacy row (an island district without communes ends in _)."""
    return f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey'] or ''}"


def load_seed(path: Path) -> list[Unit]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Unit(r["unit_code"], r["unit_name"], r["unit_level"], r["parent_code"])
            for r in csv.DictReader(handle)
        ]


def check_library(lib: Library) -> None:
    """The library's tables must agree with each other, or the crosswalk would be wrong."""
    legacy_keys = {legacy_key(r) for r in lib.legacy}
    new_keys = {(r["provinceKey"], r["wardKey"]) for r in lib.new}
    problems = [f"old key {k} unknown" for k in lib.successors if k not in legacy_keys]
    problems += [f"old unit {k} maps nowhere" for k in legacy_keys if k not in lib.successors]
    for key, parts in lib.successors.items():
        problems += [
            f"{key} → unknown {s}" for s in parts if (s.province_key, s.ward_key) not in new_keys
        ]
        if sum(s.is_default for s in parts) != 1:
            problems.append(f"{key} has {sum(s.is_default for s in parts)} default successors")
        if key not in lib.divided and len(parts) != 1:
            problems.append(f"{key} is listed whole in {len(parts)} new communes")
    if problems:
        sys.exit(f"{SOURCE_VERSION} is inconsistent:\n  " + "\n  ".join(problems))


def match_new_communes(
    ours: list[Unit], lib: Library, report: Report
) -> dict[tuple[str, str], Unit]:
    """Library (provinceKey, wardKey) → our 2025 commune.

    By name within the province first: the library's author takes its codes from a map site
    and matches addresses by name, and the packages number 123 communes differently (some
    swapped between neighbours, so a code match would silently pick the wrong one). By code
    within the province only when no name matches."""
    by_name = {(u.parent, name_key(u.name)): u for u in ours if u.level == "commune"}
    by_code = {u.code: u for u in ours if u.level == "commune"}
    matched: dict[tuple[str, str], Unit] = {}
    unmatched = []
    for row in lib.new:
        unit = by_name.get((row["provinceCode"], name_key(row["ward"])))
        if unit is None:
            unit = by_code.get(row["wardCode"])
            if unit is None or unit.parent != row["provinceCode"]:
                unmatched.append(f"{row['wardCode']} {row['ward']} ({row['province']})")
                continue
            report.new_renamed.append((unit.code, unit.name, row["ward"]))
        elif unit.code != row["wardCode"]:
            report.new_recoded.append((unit.parent, unit.name, unit.code, row["wardCode"]))
        matched[(row["provinceKey"], row["wardKey"])] = unit
    uses = Counter(u.code for u in matched.values())
    twice = sorted(code for code, n in uses.items() if n > 1)
    if unmatched or twice or len(matched) != len(by_code):
        sys.exit(
            "2025 communes do not match one to one: "
            f"library only {unmatched}, ours matched twice {twice}, "
            f"ours unmatched {sorted(set(by_code) - {u.code for u in matched.values()})}"
        )
    return matched


def match_new_provinces(ours: list[Unit], lib: Library, report: Report) -> dict[str, Unit]:
    """Library new provinceKey → our 2025 province, by code (the packages share the 34)."""
    by_code = {u.code: u for u in ours if u.level == "province"}
    matched: dict[str, Unit] = {}
    for row in lib.new:
        unit = by_code.get(row["provinceCode"])
        if unit is None:
            sys.exit(f"2025 province {row['provinceCode']} {row['province']} is not in our seed")
        if row["provinceKey"] not in matched and province_key(unit.name) != province_key(
            row["province"]
        ):
            report.new_province_renamed.append((unit.code, unit.name, row["province"]))
        matched[row["provinceKey"]] = unit
    return matched


def _note_rename(report: Report, unit: Unit, library_name: str) -> None:
    if name_key(unit.name) != name_key(library_name):
        report.old_renamed.append((unit.level, unit.code, unit.name, library_name))


def match_old_communes(ours: list[Unit], lib: Library, report: Report) -> dict[str, dict | None]:
    """Our old commune code → its legacy library row, or None when it cannot be found.

    By code within the same district first: in the three-level scheme both packages use the
    GSO codes and a code stays with its territory (a merger keeps one predecessor's code), so a
    code the library knows is the same commune or the one it was merged into, whatever its
    name now. A code the library does not know belongs to a commune merged away before the
    library's snapshot: it is looked for among the names and aliases (former names) the
    library keeps for the communes of the same district."""
    wards = [r for r in lib.legacy if r["wardCode"]]
    by_code = {r["wardCode"]: r for r in wards}
    by_district: dict[str, list[dict]] = defaultdict(list)
    for row in wards:
        by_district[row["districtCode"]].append(row)
    out: dict[str, dict | None] = {}
    for unit in (u for u in ours if u.level == "commune"):
        row = by_code.get(unit.code)
        if row is not None and row["districtCode"] == unit.parent:
            _note_rename(report, unit, row["ward"])
            out[unit.code] = row
            continue
        wanted = ascii_key(unit.name)
        hits = [
            r
            for r in by_district[unit.parent]
            if wanted == r["wardKey"] or wanted in json.loads(r["wardKeywords"] or "[]")
        ]
        if len(hits) == 1:
            report.old_absorbed.append((unit.code, unit.name, hits[0]["wardCode"], hits[0]["ward"]))
            out[unit.code] = hits[0]
        else:
            report.old_unmatched.append((unit.code, unit.name, unit.parent))
            out[unit.code] = None
    return out


def match_old_by_code(
    ours: list[Unit], rows: list[dict], level: str, report: Report
) -> dict[str, dict]:
    """Our old province or district code → a legacy library row carrying that code."""
    field_code, field_name = f"{level}Code", level
    by_code = {r[field_code]: r for r in rows}
    out: dict[str, dict] = {}
    for unit in (u for u in ours if u.level == level):
        row = by_code.get(unit.code)
        if row is None:
            sys.exit(f"old {level} {unit.code} {unit.name} is not in {SOURCE_VERSION}")
        _note_rename(report, unit, row[field_name])
        out[unit.code] = row
    return out


@dataclass
class Matches:
    old_provinces: dict[str, dict]
    old_districts: dict[str, dict]
    old_communes: dict[str, dict | None]
    new_provinces: dict[str, Unit]
    new_communes: dict[tuple[str, str], Unit]


def reconcile(pre: list[Unit], post: list[Unit], lib: Library) -> tuple[Matches, Report]:
    check_library(lib)
    report = Report()
    matches = Matches(
        old_provinces=match_old_by_code(pre, lib.legacy, "province", report),
        old_districts=match_old_by_code(pre, lib.legacy, "district", report),
        old_communes=match_old_communes(pre, lib, report),
        new_provinces=match_new_provinces(post, lib, report),
        new_communes=match_new_communes(post, lib, report),
    )
    return matches, report


def _row(old: Unit, new: Unit, province: str, relation: str, is_default: bool) -> Row:
    return (
        "pre2025",
        old.code,
        old.level,
        old.name,
        new.code,
        new.level,
        new.name,
        province,
        relation,
        "true" if is_default else "false",
        SOURCE_VERSION,
    )


def commune_rows(unit: Unit, legacy: dict, lib: Library, m: Matches) -> list[Row]:
    key = legacy_key(legacy)
    relation = "divided" if key in lib.divided else "whole"
    parts = [
        (m.new_communes[(s.province_key, s.ward_key)], s.is_default) for s in lib.successors[key]
    ]
    # The default successor first, then the others by code: a stable order for diffs.
    parts.sort(key=lambda p: (not p[1], p[0].code))
    return [_row(unit, new, new.parent, relation, default) for new, default in parts]


def build_rows(pre: list[Unit], lib: Library, m: Matches) -> list[Row]:
    """One row per old unit (several for a divided commune), in the order of our old seed."""
    province_of_district = {u.code: u.parent for u in pre if u.level == "district"}
    rows: list[Row] = []
    for unit in pre:
        if unit.level == "province":
            new = m.new_provinces[
                lib.old_to_new_province[m.old_provinces[unit.code]["provinceKey"]]
            ]
            rows.append(_row(unit, new, new.code, "whole", True))
        elif unit.level == "district":
            new = m.new_provinces[
                lib.old_to_new_province[m.old_districts[unit.code]["provinceKey"]]
            ]
            rows.append(_row(unit, new, new.code, "whole", True))
        elif (legacy := m.old_communes[unit.code]) is not None:
            rows.extend(commune_rows(unit, legacy, lib, m))
        else:
            # Only the province is known: that of the old district (old provinces merged whole).
            old_province = m.old_provinces[province_of_district[unit.parent]]["provinceKey"]
            new = m.new_provinces[lib.old_to_new_province[old_province]]
            rows.append(_row(unit, new, new.code, "whole", True))
    return rows


def uncovered(post: list[Unit], rows: list[Row]) -> list[tuple[str, str]]:
    covered = {r[4] for r in rows if r[2] == "commune" and r[5] == "commune"}
    return [(u.code, u.name) for u in post if u.level == "commune" and u.code not in covered]


def generate(seeds: Path = SEEDS, data: Path | None = None) -> tuple[list[Row], Report]:
    """The crosswalk rows and the disagreement report, from our seeds and the library."""
    pre = load_seed(seeds / "admin_units_pre2025.csv")
    post = load_seed(seeds / "admin_units_2025.csv")
    lib = load_library(data or library_data_dir())
    matches, report = reconcile(pre, post, lib)
    rows = build_rows(pre, lib, matches)
    report.uncovered_new = uncovered(post, rows)
    return rows, report


def write(path: Path, rows: list[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output-dir", type=Path, default=SEEDS, help="where to write the CSV")
    args = parser.parse_args(argv)
    rows, report = generate()
    write(args.output_dir / OUTPUT_NAME, rows)
    print("\n".join(report.lines()), file=sys.stderr)
    print(f"wrote {len(rows)} rows to {args.output_dir / OUTPUT_NAME}", file=sys.stderr)


if __name__ == "__main__":
    main()
