"""Great Expectations validation of each raw load and of the marts before they are published.

Suites live in ``expectations/`` (one per raw entity, one per load's counts, one for the marts);
every expectation is ``blocking`` (stops publishing), ``record`` (its failing records are
quarantined up to the record tolerance, beyond which it blocks) or ``warning`` (reported only).
Each load's verdict, in ``ops.load_verdict``, is what releases it to the marts. See
docs/validation.md; ``python -m include.validate`` lists held-back loads and accepts one.
"""

import logging

# Before Great Expectations is imported: its docs registry logs, at INFO, every public function
# it skips, on import and on each context (over 200 lines in a task's log); nothing else.
logging.getLogger("great_expectations._docs_decorators").setLevel(logging.WARNING)

from include.validate.loads import accept_load, validate_load, validate_loads  # noqa: E402
from include.validate.marts import validate_marts  # noqa: E402
from include.validate.outcome import (  # noqa: E402
    CheckFailure,
    SuiteRun,
    ValidationFailed,
    ValidationOutcome,
)

__all__ = [
    "CheckFailure",
    "SuiteRun",
    "ValidationFailed",
    "ValidationOutcome",
    "accept_load",
    "validate_load",
    "validate_loads",
    "validate_marts",
]
