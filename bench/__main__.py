"""Benchmarks (``make bench``): extraction, landing-write and raw-load throughput.

Each figure is printed beside a baseline measured in the same run on the same data, because
these machines are noisy: a bare HTTP client paging the same listings (extraction), a bare
gzip writer (landing), a bare ``COPY`` of the same JSON lines into a one-column table (load).
The simulators run in a child process so that server and extractor do not share one GIL.

    python -m bench [--scale 1.0] [--seed 0]

Extraction at concurrency 1 beside 4 (the default) against simulators with a latency per
request is ``bench.concurrency`` (about 1.5 min):

    python -m bench.concurrency [--latency 0.2] [--export-delay 0.5] [--concurrency 1 4]

The warehouse side (the dbt full build of the province's history, then one nightly incremental
build, with the dbt and PostgreSQL peak memory and dbt's slowest models, for one year and for
two years of history side by side) is ``bench.warehouse``:

    python -m bench.warehouse [--scale 0.1] [--seed 0] [--years 1 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import resource
import tempfile
import time
from pathlib import Path

from bench import baselines

RESULTS_DIR = Path(__file__).resolve().parent / "results"
HMAC_KEY = b"benchmark-only-key-0123456789abcdef"


def serve(scenario_options: dict, pipe) -> None:
    """Child process: build the province scenario, serve it, report URLs, wait for 'stop'."""
    from include.scenario import build_scenario
    from include.sources import registry

    started = time.perf_counter()
    scenario = build_scenario("hung_yen_province", **scenario_options)
    built = time.perf_counter() - started
    sims = {slug: simulator(scenario).start() for slug, simulator in registry.simulators().items()}
    pipe.send(
        {
            "urls": {name: sim.url for name, sim in sims.items()},
            "start": scenario.start,
            "end": scenario.end,
            "build_seconds": built,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "counts": {
                "dossiers": len(scenario.dossiers),
                "steps": len(scenario.steps),
                "register_rows": sum(len(rows) for rows in scenario.documents.values()),
                "payments": len(scenario.payments),
                "ratings": len(scenario.ratings),
            },
        }
    )
    pipe.recv()
    for sim in sims.values():
        sim.stop()


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def row(name: str, records: int, seconds: float, base_seconds: float, base_name: str) -> dict:
    figure = {
        "what": name,
        "records": records,
        "seconds": round(seconds, 2),
        "records_per_s": round(records / seconds) if seconds else None,
        "baseline": base_name,
        "baseline_seconds": round(base_seconds, 2),
        "ratio_to_baseline": round(seconds / base_seconds, 2) if base_seconds else None,
    }
    print(
        f"{name:<34} {records:>10,} rec {seconds:>8.1f} s {figure['records_per_s'] or 0:>9,} rec/s"
        f" | {base_name}: {base_seconds:>7.1f} s  ratio {figure['ratio_to_baseline']}"
    )
    return figure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the province")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    from include.connections import SourceConnection
    from include.extract.sources import extract_source
    from include.landing import LandingArea, RecordIdentity
    from include.load import load_landing
    from include.simulators import DEMO_CREDENTIALS
    from include.warehouse import embedded

    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("fork").Process(
        target=serve, args=({"seed": args.seed, "scale": args.scale}, child), daemon=True
    )
    server.start()
    info = parent.recv()
    start, end = info["start"], info["end"]
    print(
        f"hung_yen_province scale {args.scale}: {start}..{end}, "
        + ", ".join(f"{n:,} {k}" for k, n in info["counts"].items())
        + f"; built in {info['build_seconds']:.1f} s, peak RSS {info['peak_rss_mb']:,.0f} MB"
    )
    figures: list[dict] = []
    creds = DEMO_CREDENTIALS
    conns = {
        source: SourceConnection.from_url(
            f"{source}_bench", url, creds[source]["login"], creds[source]["password"]
        )
        for source, url in info["urls"].items()
    }
    with tempfile.TemporaryDirectory(dir=os.environ.get("DTI_BENCH_TMP")) as tmp:
        landing = LandingArea(Path(tmp) / "landing")

        def extract(source: str, entities: tuple[str, ...]):
            manifests, seconds = timed(
                extract_source,
                source,
                start,
                end,
                landing=landing,
                connection=conns[source],
                hmac_key=HMAC_KEY,
                entities=entities,
            )
            return manifests, sum(m.record_count + m.quarantine_count for m in manifests), seconds

        onestop = conns["onestop"]
        landed = {}
        for entity in ("hoso", "tientrinh"):
            _, base = timed(
                baselines.bare_onestop_pull,
                onestop.base_url,
                onestop.login,
                onestop.password,
                entity,
                start,
                end,
            )
            landed[entity], n, seconds = extract("onestop", (entity,))
            figures.append(row(f"extract onestop.{entity}", n, seconds, base, "bare paging"))
        hoso = landed["hoso"]

        dvc = conns["dvc_portal"]
        base = sum(
            timed(baselines.bare_dvc_pull, dvc.base_url, dvc.login, dvc.password, e, start, end)[1]
            for e in ("payments", "ratings")
        )
        _, n, seconds = extract("dvc_portal", ("payments", "ratings"))
        figures.append(row("extract dvc_portal.payments+ratings", n, seconds, base, "bare paging"))

        qlvb = conns["qlvb"]
        _, base = timed(baselines.bare_qlvb_pull, qlvb.base_url, qlvb.password, start, end)
        _, n, seconds = extract("qlvb", ("donvi", "den", "di", "hscv"))
        figures.append(row("extract qlvb.den+di+hscv (xlsx)", n, seconds, base, "bare download"))

        parent.send("stop")
        server.join(timeout=30)

        # Landing write: the landed dossiers written again, vs the same lines through bare gzip.
        records = [r for m in hoso for r in landing.read_records(m)]
        scratch = LandingArea(Path(tmp) / "scratch")
        _, seconds = timed(
            scratch.write_extract,
            source="onestop",
            entity="hoso",
            mode="incremental",
            window_start=start,
            window_end=end,
            records=records,
            started_at=dt.datetime.now(dt.UTC),
            extractor_version="bench",
            identity=RecordIdentity(("MaHoSo",), "NgayCapNhat", "yyyyMMddHHmmss"),
        )
        _, base = timed(baselines.bare_gzip_write, Path(tmp) / "bare.jsonl.gz", records)
        figures.append(row("landing write onestop.hoso", len(records), seconds, base, "bare gzip"))

        # Raw load: every landed dossier file into the raw table, vs bare COPY of the same lines.
        os.environ.setdefault("DTI_LOCAL_DIR", str(Path(".local") / "bench"))
        embedded.start()
        dsn = embedded.uri("dti")
        import psycopg

        with psycopg.connect(embedded.uri("postgres"), autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS bench WITH (FORCE)")
            conn.execute("CREATE DATABASE bench")
        dsn = dsn.replace("/dti?", "/bench?")
        lines = [
            json.dumps(r, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
            for r in records
        ]
        _, base = timed(baselines.bare_copy, dsn, lines)
        results, seconds = timed(load_landing, dsn, landing, manifests=hoso)
        loaded = sum(r.loaded for r in results)
        figures.append(row("load onestop.hoso (COPY + ledger)", loaded, seconds, base, "bare COPY"))

    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"bench-{dt.datetime.now():%Y%m%dT%H%M%S}.json"
    out.write_text(
        json.dumps(
            {"scale": args.scale, "scenario": info, "figures": figures}, default=str, indent=2
        )
    )
    print(f"\nfigures written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
