"""Running suites with Great Expectations and reading its results back.

The GX context is ephemeral (nothing is written into the repository), except two stores under
the validation output directory (default ``.local/validation``): the validation results
(``results/``, JSON) and the Data Docs site (``data_docs/``, HTML) that renders them. Each suite
run is a GX checkpoint whose action updates the Data Docs, so the site lists every run.

Warehouse batches are GX SQL query assets — the suite's projection of the rows in scope — so
PostgreSQL does the work and no table is pulled into Python. Small computed batches (a load's
counts) are pandas data frames.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import great_expectations as gx
import pandas as pd
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from great_expectations.datasource.fluent.interfaces import GxDatasourceWarning

from include.paths import local_dir
from include.validate.definitions import LINE_COLUMN, SuiteDefinition
from include.validate.outcome import CheckFailure, RejectedRows, SuiteRun

_SITE = "validation"
#: The Data Docs index lists the latest results only. GX rebuilds the index after every suite
#: run and rereads each result it lists, so an uncapped index made validation slower every
#: night, for ever. Older results keep their JSON in ``results/`` and their page in the site.
DATA_DOCS_INDEX_LIMIT = 500
#: How many unexpected values a failure message quotes.
_EXAMPLES = 5
#: The result format that lists every failing row of a record check by its landed line.
_ROWS_FORMAT = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": [LINE_COLUMN],
    "return_unexpected_index_query": False,
}

#: GX's INFO lines that say nothing about the data, by the logger that emits them: without
#: them a validation task's log was ~91 % ``_get_default_value called with key "row_condition",
#: but it is not a known field`` (twice per expectation). Their loggers' warnings and errors,
#: and every other line, still get through.
GX_NOISE = {
    "great_expectations.expectations.expectation": ("_get_default_value called with key ",),
    "great_expectations.datasource.fluent.config": ("Loading 'datasources' ->",),
    "great_expectations.datasource.fluent.data_connector.batch_filter": ("batch_slice: ",),
    # A metric registered again with the same provider (its warning, a different one, stays).
    "great_expectations.expectations.registry": ("Multiple declarations of metric ",),
}


class GxNoiseFilter(logging.Filter):
    """Drops a logger's records below WARNING whose message starts with one of ``prefixes``."""

    def __init__(self, prefixes: tuple[str, ...]) -> None:
        super().__init__()
        self.prefixes = prefixes

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        return not record.getMessage().startswith(self.prefixes)


def quiet_gx_logs() -> None:
    """Install the ``GX_NOISE`` filters on their loggers, once (every ``GxRunner`` does)."""
    for name, prefixes in GX_NOISE.items():
        logger = logging.getLogger(name)
        if not any(isinstance(f, GxNoiseFilter) for f in logger.filters):
            logger.addFilter(GxNoiseFilter(prefixes))


def output_dir(configured: Path | str | None = None) -> Path:
    """Where results and Data Docs go: the argument, ``DTI_VALIDATION_DIR``, or
    ``.local/validation``."""
    if configured is not None:
        return Path(configured).resolve()
    return Path(os.environ.get("DTI_VALIDATION_DIR", local_dir() / "validation")).resolve()


def sqlalchemy_url(dsn: str) -> str:
    """The libpq URI as a SQLAlchemy URL for psycopg 3 (GX's SQL engine is SQLAlchemy)."""
    scheme, sep, rest = dsn.partition("://")
    if not sep or scheme not in ("postgres", "postgresql"):
        raise ValueError("the warehouse DSN must be a postgresql:// URI")
    # GX reads ``${NAME}`` in connection strings as config variables: keep a literal $.
    return "postgresql+psycopg://" + rest.replace("$", r"\$")


@dataclass(frozen=True)
class BatchLabel:
    """Who the batch is, for ``ops.validation_run`` and failure messages."""

    run_id: str
    scope: str
    #: Names the batch in messages, e.g. ``onestop.hoso load_id=42 window ...``.
    batch: str
    source: str | None = None
    entity: str | None = None
    load_id: int | None = None


class GxRunner:
    """One ephemeral GX context; suites and warehouse assets are added as they are needed."""

    def __init__(self, dsn: str, directory: Path) -> None:
        quiet_gx_logs()
        self.directory = directory
        defaults = InMemoryStoreBackendDefaults()
        stores = dict(defaults.stores)
        stores[defaults.validation_results_store_name] = {
            "class_name": "ValidationResultsStore",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(directory / "results"),
            },
        }
        config = DataContextConfig(
            store_backend_defaults=defaults,
            stores=stores,
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False),
            data_docs_sites={
                _SITE: {
                    "class_name": "SiteBuilder",
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(directory / "data_docs"),
                    },
                    "site_index_builder": {
                        "class_name": "DefaultSiteIndexBuilder",
                        "validation_results_limit": DATA_DOCS_INDEX_LIMIT,
                    },
                }
            },
        )
        self.context = gx.get_context(mode="ephemeral", project_config=config)
        # The generic SQL datasource, because GX's Postgres one refuses URIs without a host
        # (the embedded server listens on a Unix socket); it warns that a specific one exists.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", GxDatasourceWarning)
            self._warehouse = self.context.data_sources.add_sql(
                "warehouse", connection_string=sqlalchemy_url(dsn), create_temp_table=True
            )
        self._frames = self.context.data_sources.add_pandas("computed")
        self._names = itertools.count(1)

    @property
    def data_docs_index(self) -> Path:
        return self.directory / "data_docs" / "index.html"

    def run_query(
        self,
        definition: SuiteDefinition,
        suite_name: str,
        query: str,
        label: BatchLabel,
        tolerance: float = 0.0,
    ) -> SuiteRun:
        """Validate the rows ``query`` returns (run by PostgreSQL) against the suite; record
        checks tolerate ``tolerance`` (a share of the rows)."""
        asset = self._warehouse.add_query_asset(f"{suite_name}#{next(self._names)}", query=query)
        batch = asset.add_batch_definition_whole_table("scope")
        return self._run(definition, suite_name, batch, {}, label, tolerance)

    def run_frame(
        self, definition: SuiteDefinition, suite_name: str, frame: pd.DataFrame, label: BatchLabel
    ) -> SuiteRun:
        asset = self._frames.add_dataframe_asset(f"{suite_name}#{next(self._names)}")
        batch = asset.add_batch_definition_whole_dataframe("scope")
        return self._run(definition, suite_name, batch, {"dataframe": frame}, label, 0.0)

    def _run(
        self,
        definition: SuiteDefinition,
        suite_name: str,
        batch_definition: Any,
        batch_parameters: dict[str, Any],
        label: BatchLabel,
        tolerance: float,
    ) -> SuiteRun:
        started = dt.datetime.now(dt.UTC)
        # Suites and validation definitions are in-memory objects of this context; a fresh name
        # per run keeps two loads of one entity in one call apart.
        number = next(self._names)
        suite = self.context.suites.add(definition.gx_suite(suite_name, tolerance))
        validation = self.context.validation_definitions.add(
            gx.ValidationDefinition(
                name=f"{suite_name}#{number}", data=batch_definition, suite=suite
            )
        )
        checkpoint = self.context.checkpoints.add(
            gx.Checkpoint(
                name=f"{suite_name}#{number}",
                validation_definitions=[validation],
                actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")],
                result_format="SUMMARY",
            )
        )
        try:
            result = checkpoint.run(
                batch_parameters=batch_parameters,
                run_id=RunIdentifier(run_name=label.run_id, run_time=started),
            )
        finally:
            self.context.checkpoints.delete(checkpoint.name)
            self.context.validation_definitions.delete(validation.name)
            self.context.suites.delete(suite_name)
        [(identifier, suite_result)] = result.run_results.items()
        evaluated = {"blocking": 0, "warning": 0}
        failures, rejected = [], []
        counted = [(item.result or {}).get("element_count") for item in suite_result.results]
        batch_rows = max((int(n) for n in counted if n is not None), default=None)
        for item in suite_result.results:
            severity = item.expectation_config.meta["severity"]
            # A record check blocks beyond the tolerance: it is counted with the blocking ones.
            evaluated["warning" if severity == "warning" else "blocking"] += 1
            reported = _reported_severity(item)
            if reported is None:
                continue
            failure, rows = self._report(
                item, reported, suite_name, label, tolerance, batch_definition, batch_parameters
            )
            failures.append(failure)
            rejected += [rows] if rows else []
        return SuiteRun(
            run_id=label.run_id,
            suite=suite_name,
            source=label.source,
            entity=label.entity,
            load_id=label.load_id,
            scope=label.scope,
            evaluated=evaluated,
            failures=failures,
            started_at=started,
            finished_at=dt.datetime.now(dt.UTC),
            data_docs_page=self._page_of(identifier),
            rejected=rejected,
            rows=batch_rows,
            tolerance=tolerance,
        )

    def _report(
        self,
        item: Any,
        reported: str,
        suite_name: str,
        label: BatchLabel,
        tolerance: float,
        batch_definition: Any,
        batch_parameters: dict[str, Any],
    ) -> tuple[CheckFailure, RejectedRows | None]:
        """The failure as reported and, for a record check within the tolerance, its rows."""
        config = item.expectation_config
        check = _describe_check(config)
        found = _describe_finding(item, reported, tolerance)
        rows = None
        if reported == "quarantined":
            lines = self._failing_lines(batch_definition, batch_parameters, item)
            if None in lines:
                reported = "blocking"
                found += (
                    "; some of them were loaded before raw rows carried their landed line and "
                    "cannot be quarantined: re-extract the window"
                )
            else:
                reason = f"{suite_name}: {check}: {config.meta['why']}"
                rows = RejectedRows(reason=reason, lines=lines)
        failure = CheckFailure(
            suite=suite_name,
            severity=reported,
            check=check,
            why=config.meta["why"],
            found=found,
            batch=label.batch,
        )
        return failure, rows

    @staticmethod
    def _failing_lines(
        batch_definition: Any, batch_parameters: dict[str, Any], item: Any
    ) -> tuple[int | None, ...]:
        """Every row the check refused, by its landed line. Asked again of GX only for record
        checks that failed within the tolerance, so the list is at most that share of rows."""
        batch = batch_definition.get_batch(batch_parameters=batch_parameters)
        result = batch.validate(item.expectation_config.to_domain_obj(), result_format=_ROWS_FORMAT)
        return tuple(row[LINE_COLUMN] for row in result.result.get("unexpected_index_list") or [])

    def _page_of(self, identifier: Any) -> Path | None:
        for site in self.context.get_docs_sites_urls(resource_identifier=identifier):
            url = site.get("site_url")
            if url and url.startswith("file://"):
                return Path(unquote(urlparse(url).path))
        return None


def _describe_check(config: Any) -> str:
    if config.description:
        return f"{config.type}: {config.description}"
    kwargs = config.kwargs
    target = (
        kwargs.get("column")
        or ", ".join(str(kwargs[k]) for k in ("column_A", "column_B") if k in kwargs)
        or ", ".join(kwargs.get("column_list") or [])
    )
    return f"{config.type}({target})" if target else config.type


def _raised(item: Any) -> str | None:
    """GX's error message when the check could not be computed, else None."""
    # GX reports an error either directly or per metric that failed to compute.
    info = item.exception_info or {}
    for error in [info, *(v for v in info.values() if isinstance(v, dict))]:
        if error.get("raised_exception"):
            return str(error.get("exception_message"))
    return None


def _reported_severity(item: Any) -> str | None:
    """How a check's result is reported: None when there is nothing to report."""
    severity = item.expectation_config.meta["severity"]
    if severity != "record":
        return None if item.success else severity
    if not item.success or _raised(item) is not None:
        return "blocking"
    return "quarantined" if (item.result or {}).get("unexpected_count") else None


def _describe_finding(item: Any, reported: str = "blocking", tolerance: float = 0.0) -> str:
    error = _raised(item)
    if error is not None:
        return f"could not be evaluated: {error}"
    result = item.result or {}
    if "unexpected_count" in result:
        examples = [_plain(v) for v in (result.get("partial_unexpected_list") or [])[:_EXAMPLES]]
        total = result.get("element_count")
        verb = "quarantined" if reported == "quarantined" else "unexpected"
        found = f"{result['unexpected_count']} of {total} rows {verb}, e.g. {examples}"
        if item.expectation_config.meta["severity"] == "record":
            side = "within" if reported == "quarantined" else "beyond"
            found += f" ({side} the record tolerance of {tolerance:.2%})"
        # Data-frame batches are indexed by scope (``load``, ``unit 1201``): name the rows.
        where = [_plain(i) for i in (result.get("partial_unexpected_index_list") or [])]
        return f"{found} in rows {where[:_EXAMPLES]}" if where else found
    if item.expectation_config.type == "unexpected_rows_expectation":
        return f"{_plain(result.get('observed_value'))} unexpected rows"
    if "observed_value" in result:
        return f"observed {_plain(result['observed_value'])}"
    return "failed"


def _plain(value: Any) -> Any:
    """numpy scalars and tuples of them as plain Python values (readable in messages)."""
    if isinstance(value, tuple | list):
        return tuple(_plain(v) for v in value)
    return value.item() if hasattr(value, "item") else value
