"""What a validation returns: per-suite runs, their failed checks, and the verdict.

``ValidationOutcome.passed`` is the publishing gate: False as soon as one blocking check failed
(a ``record`` check beyond the tolerance counts as blocking). Its ``message()`` is written to be
an Airflow task's failure text: it names the suite, the check and the batch (source, entity,
load id and window, or the marts schema and run). ``verdicts()`` is the task log's account: one
line per suite and batch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


class ValidationFailed(RuntimeError):
    """Raised by ``ValidationOutcome.raise_for_blocking()``; the text is the outcome's message."""


@dataclass(frozen=True)
class CheckFailure:
    suite: str
    #: ``blocking``, ``quarantined`` (a record check within the tolerance) or ``warning``.
    severity: str
    #: e.g. ``expect_column_values_to_be_in_set(TrangThaiHoSo)``.
    check: str
    #: Why the check exists (the definition's ``meta.why``).
    why: str
    #: What was found, e.g. ``2 of 3 rows unexpected, e.g. ['11', '12']``.
    found: str
    #: The batch, e.g. ``onestop.hoso load_id=42 window 2023-01-01..2023-01-31``.
    batch: str

    def __str__(self) -> str:
        return f"[{self.severity}] {self.suite}: {self.check} on {self.batch}: {self.found}"


@dataclass(frozen=True)
class RejectedRows:
    """The rows one record check refused within the tolerance: they go to the quarantine."""

    #: The quarantine's reason, e.g. ``onestop.hoso: expect_column_values_to_be_in_set(...)``.
    reason: str
    #: The rows' lines in their landed file (None: a row loaded before lines were recorded).
    lines: tuple[int | None, ...]


@dataclass(frozen=True)
class SuiteRun:
    """One suite run on one batch (one row of ``ops.validation_run``)."""

    run_id: str
    suite: str
    source: str | None
    entity: str | None
    load_id: int | None
    scope: str
    evaluated: dict[str, int]
    failures: list[CheckFailure]
    started_at: dt.datetime
    finished_at: dt.datetime
    data_docs_page: Path | None
    rejected: list[RejectedRows] = field(default_factory=list)
    #: Rows in the batch, as GX counted them (None when no check counts rows).
    rows: int | None = None
    #: The share of rows a record check may refuse (0: the suite quarantines nothing).
    tolerance: float = 0.0

    def failed(self, severity: str) -> list[CheckFailure]:
        return [f for f in self.failures if f.severity == severity]

    @property
    def passed(self) -> bool:
        return not self.failed("blocking")

    @property
    def quarantined_rows(self) -> int:
        """Distinct rows set aside by this run's record checks."""
        return len({line for rows in self.rejected for line in rows.lines})

    def verdict(self, batch: str) -> str:
        """One line, e.g. ``onestop.hoso load 42 (window 2023-04-01..2023-04-30): passed — 25
        checks, 0 failed, 3 records quarantined (0.1 %, tolerance 1 %)``, or ``FAILED — ``
        and each blocking check with what it found."""
        checks = sum(self.evaluated.values())
        blocking, warnings = self.failed("blocking"), self.failed("warning")
        if blocking:
            found = "; ".join(f"{f.check}: {f.found}" for f in blocking)
            verdict = f"FAILED — {len(blocking)} of {checks} checks failed: {found}"
        else:
            verdict = f"passed — {checks} checks, 0 failed"
        if warnings:
            verdict += f", {len(warnings)} warning(s): " + "; ".join(f.check for f in warnings)
        if self.tolerance or self.quarantined_rows:
            share = f"{_percent(self.quarantined_rows / self.rows)}, " if self.rows else ""
            verdict += (
                f", {self.quarantined_rows} records quarantined "
                f"({share}tolerance {_percent(self.tolerance)})"
            )
        return f"{self.suite} {batch}: {verdict}"


@dataclass(frozen=True)
class ValidationOutcome:
    """The verdict on one load (or one marts build) over all its suites."""

    #: What was validated, e.g. ``onestop.hoso load_id=42`` or ``marts_build run abc``.
    subject: str
    runs: list[SuiteRun] = field(default_factory=list)
    #: The Data Docs site's index page.
    data_docs_path: Path | None = None
    #: The batch as the one-line verdicts name it, e.g. ``load 42 (window 2023-04-01..
    #: 2023-04-30)`` or ``in marts_build (run abc)``.
    batch: str = ""

    @property
    def blocking_failures(self) -> list[CheckFailure]:
        return [f for run in self.runs for f in run.failed("blocking")]

    @property
    def quarantined(self) -> list[CheckFailure]:
        """Record checks that failed within the tolerance (their rows were quarantined)."""
        return [f for run in self.runs for f in run.failed("quarantined")]

    @property
    def warnings(self) -> list[CheckFailure]:
        return [f for run in self.runs for f in run.failed("warning")]

    @property
    def quarantined_rows(self) -> int:
        return sum(run.quarantined_rows for run in self.runs)

    @property
    def passed(self) -> bool:
        return not self.blocking_failures

    def summary(self) -> str:
        """One line per suite run: checks evaluated and failed by severity, rows quarantined."""
        verdict = "passed" if self.passed else "FAILED"
        lines = [f"validation of {self.subject} {verdict}"]
        for run in self.runs:
            counts = ", ".join(
                f"{severity} {len(run.failed(severity))}/{run.evaluated.get(severity, 0)} failed"
                for severity in ("blocking", "warning")
            )
            if run.quarantined_rows:
                counts += f", {run.quarantined_rows} rows quarantined"
            lines.append(f"  {run.suite} ({run.scope}): {counts}")
        if self.data_docs_path is not None:
            lines.append(f"  data docs: {self.data_docs_path}")
        return "\n".join(lines)

    def verdicts(self) -> list[str]:
        """One line per suite run (``SuiteRun.verdict``), for the task log."""
        return [run.verdict(self.batch or self.subject) for run in self.runs]

    def message(self) -> str:
        """The summary, then every failed check: blocking, quarantined, then warnings."""
        failures = [*self.blocking_failures, *self.quarantined, *self.warnings]
        return "\n".join([self.summary(), *(f"  - {failure}" for failure in failures)])

    def raise_for_blocking(self) -> None:
        if not self.passed:
            raise ValidationFailed(self.message())


def _percent(share: float) -> str:
    """0.001 as ``0.1 %``, 0.01 as ``1 %``."""
    return f"{round(share * 100, 2):g} %"
