"""Great Expectations validation of each raw load and of the marts before they are published.

Suites live in ``expectations/`` (one per raw entity, one per load's counts, one for the marts);
every expectation is ``blocking`` (stops publishing) or ``warning`` (reported only). See
docs/validation.md.
"""

from include.validate.loads import validate_load, validate_loads
from include.validate.marts import validate_marts
from include.validate.outcome import CheckFailure, SuiteRun, ValidationFailed, ValidationOutcome

__all__ = [
    "CheckFailure",
    "SuiteRun",
    "ValidationFailed",
    "ValidationOutcome",
    "validate_load",
    "validate_loads",
    "validate_marts",
]
