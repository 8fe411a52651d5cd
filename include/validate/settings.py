"""The record tolerance: how large a share of a load's records may fail a ``record`` check.

Within it, the failing records are quarantined with their check as reason and the load passes;
beyond it, the load blocks (a systematic fault, not a few bad records). It is GX's ``mostly``
(= 1 - tolerance) on every ``record`` expectation (``include/validate/definitions.py``).

Set with the Airflow variable ``dti_record_tolerance`` (``AIRFLOW_VAR_DTI_RECORD_TOLERANCE``), a
fraction: ``0.01`` is 1 %. Default ``DEFAULT_TOLERANCE``; docs/validation.md says why.
"""

from __future__ import annotations

import math

from include.connections import ConfigurationError, airflow_variable

TOLERANCE_VARIABLE = "dti_record_tolerance"
#: 1 %: see docs/validation.md, "The record tolerance".
DEFAULT_TOLERANCE = 0.01
#: Beyond a tenth of a batch, bad records are the batch's failure: accept it explicitly
#: (``python -m include.validate accept``) rather than tolerate it every night.
MAX_TOLERANCE = 0.1


def record_tolerance() -> float:
    """The configured tolerance (raises ``ConfigurationError`` naming the setting)."""
    raw = airflow_variable(TOLERANCE_VARIABLE)
    if raw is None or not raw.strip():
        return DEFAULT_TOLERANCE
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not 0.0 <= value <= MAX_TOLERANCE:  # also refuses nan
        raise ConfigurationError(
            f"The Airflow variable '{TOLERANCE_VARIABLE}' is {raw!r}: it must be a fraction "
            f"from 0 to {MAX_TOLERANCE} (e.g. 0.01 for 1 % of a load's records; unset for the "
            f"default {DEFAULT_TOLERANCE}). Set AIRFLOW_VAR_{TOLERANCE_VARIABLE.upper()} or "
            f"`airflow variables set {TOLERANCE_VARIABLE} 0.01`."
        )
    return value
