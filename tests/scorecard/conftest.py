"""The scorecard tests read the same hand-made marts as the report tests."""

from tests.reports.conftest import marts_dsn, reform_marts_before_dsn, reform_marts_dsn

__all__ = ["marts_dsn", "reform_marts_before_dsn", "reform_marts_dsn"]
