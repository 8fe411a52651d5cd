"""The static scorecard site generated from ``marts`` (see ``include/scorecard/site.py``).

python -m include.scorecard build --out <dir>
python -m include.scorecard serve --dir <dir> --port 8000
"""

from include.scorecard.site import build_site

__all__ = ["build_site"]
