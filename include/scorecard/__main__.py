"""Command line: build the scorecard site, or serve a built one locally.

python -m include.scorecard build --out .local/scorecard
python -m include.scorecard serve --dir .local/scorecard --port 8000
"""

from __future__ import annotations

import argparse
import functools
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from include.scorecard.site import build_site


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


def make_server(
    directory: Path, port: int, host: str = "127.0.0.1", *, quiet: bool = False
) -> ThreadingHTTPServer:
    """A static file server for a built site (local reading and the browser tests)."""
    handler_class = _QuietHandler if quiet else SimpleHTTPRequestHandler
    handler = functools.partial(handler_class, directory=str(directory))
    return ThreadingHTTPServer((host, port), handler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Scorecard site from schema marts.")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="generate the site")
    build.add_argument("--out", type=Path, required=True)
    build.add_argument("--dsn", help="warehouse DSN (default: the dti_warehouse connection)")
    serve = commands.add_parser("serve", help="serve a generated site locally")
    serve.add_argument("--dir", type=Path, required=True)
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    if args.command == "build":
        from include.warehouse.connection import warehouse_dsn

        pages = build_site(args.dsn or warehouse_dsn(), args.out)
        print(f"{len(pages)} pages in {args.out}")
        return 0
    if not (args.dir / "index.html").exists():
        parser.error(f"{args.dir} has no index.html: build the site first")
    server = make_server(args.dir, args.port, args.host)
    print(f"serving {args.dir} on http://{args.host}:{args.port}/ (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
