"""Airflow as a deployment runs it, on this machine: the scheduler, dag-processor, triggerer
and api-server (LocalExecutor) as background processes homed in one directory, and the REST
calls an operator's tools make — trigger a run, follow it, read its task instances.

Used by ``make demo`` (``include/demo.py``), ``bench.pipeline`` and the end-to-end tests.
``airflow dags test`` stays the single-process check where one is wanted; it writes no task
logs, so the UI of a ``dags test`` run shows none.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from include.connections import HMAC_KEY_VARIABLE
from include.paths import PROJECT_ROOT

AIRFLOW = PROJECT_ROOT / ".venv" / "bin" / "airflow"
#: What ``airflow standalone`` would start, each its own process as in docker-compose.yml.
COMPONENTS: dict[str, tuple[str, ...]] = {
    "scheduler": ("scheduler",),
    "dag-processor": ("dag-processor",),
    "triggerer": ("triggerer",),
    # One worker: the UI and the tasks' execution API, for one operator.
    "api-server": ("api-server", "--host", "127.0.0.1", "--workers", "1"),
}
ADMIN = "admin"
#: What ``/api/v2/monitor/health`` must report healthy before anything is triggered.
HEALTH_PARTS = ("metadatabase", "scheduler", "triggerer", "dag_processor")
FINISHED = frozenset({"success", "failed"})


class AirflowError(RuntimeError):
    """A component did not start, or the API refused a call."""


def metadata_url(socket_dir: Path | str, database: str) -> str:
    """The metadata database's SQLAlchemy URL on a local PostgreSQL socket directory.

    psycopg2 is Airflow's documented driver for a PostgreSQL metadata database; through
    psycopg 3 some of its queries fail (``serialized_dag.data #> ...::VARCHAR``, so an asset's
    graph answered HTTP 500).
    """
    return f"postgresql+psycopg2://postgres:@/{database}?host={socket_dir}"


def free_port(preferred: int) -> int:
    """``preferred`` if nothing listens on it, else a port the system picks."""
    for port in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise AirflowError("no free local port")


def parallelism() -> int:
    """Task slots of the LocalExecutor: twice the cores, at least 4 — a night's tasks mostly
    wait on portals or PostgreSQL, and dbt's one build has its own threads."""
    return max(4, 2 * (os.cpu_count() or 1))


@dataclass
class LocalAirflow:
    """Airflow's components of one ``AIRFLOW_HOME`` on ``127.0.0.1:port``."""

    home: Path
    metadata: str
    port: int
    #: Settings beyond the common ones (connections, variables, the project's own).
    env: dict[str, str] = field(default_factory=dict)
    #: The environment the settings are laid over; ``None``: this process's.
    inherit: Mapping[str, str] | None = None
    _token: str | None = field(default=None, init=False, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def password_file(self) -> Path:
        return self.home / "passwords.json"

    def password(self) -> str:
        return json.loads(self.password_file.read_text())[ADMIN]

    def environment(self) -> dict[str, str]:
        """The process environment every component and CLI call of this Airflow gets."""
        inherited = os.environ if self.inherit is None else self.inherit
        return {**inherited, **self._settings(), **self.env}

    def _settings(self) -> dict[str, str]:
        secret_file = self.home / "secret_key"
        if not secret_file.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            secret_file.touch(mode=0o600)
            secret_file.write_text(secrets.token_urlsafe(32))
        if not self.password_file.exists():
            self.password_file.touch(mode=0o600)
            self.password_file.write_text(json.dumps({ADMIN: secrets.token_urlsafe(12)}))
        secret = secret_file.read_text().strip()
        return {
            "AIRFLOW_HOME": str(self.home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            # The UI shows this, not the DAG's own timezone (apache/airflow#49720).
            "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": str(parallelism()),
            # the spec's key variable holds no word Airflow masks by itself (docker-compose.yml)
            "AIRFLOW__CORE__SENSITIVE_VAR_CONN_NAMES": HMAC_KEY_VARIABLE,
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{ADMIN}:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(self.password_file),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.url}/execution/",
            "AIRFLOW__API__PORT": str(self.port),
            "AIRFLOW__API__BASE_URL": self.url,
            # Shared by every component: the api-server signs the tasks' tokens with it.
            "AIRFLOW__API_AUTH__JWT_SECRET": secret,
            "AIRFLOW__API__SECRET_KEY": secret,
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": self.metadata,
            "AIRFLOW__LOGGING__COLORED_CONSOLE_LOG": "False",
            "AIRFLOW__COSMOS__CACHE_DIR": str(self.home / "cosmos"),
            # No outbound telemetry: the portals' network is often closed, and it is not ours.
            "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
            "SCARF_ANALYTICS": "false",
            "DO_NOT_TRACK": "1",
        }

    # -- processes -------------------------------------------------------------------------

    def cli(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
        """One Airflow CLI call in this environment, its output captured."""
        return subprocess.run(
            [str(AIRFLOW), *args],
            env=self.environment(),
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def migrate(self) -> None:
        result = self.cli("db", "migrate")
        if result.returncode != 0:
            raise AirflowError(f"airflow db migrate failed:\n{result.stderr[-3000:]}")

    def start(self, *, timeout: float = 300) -> None:
        """Start every component (after stopping what an earlier start left) and wait until
        the api-server answers and the scheduler, dag-processor and triggerer report healthy."""
        stop_home(self.home)
        (self.home / "run").mkdir(parents=True, exist_ok=True)
        (self.home / "logs").mkdir(parents=True, exist_ok=True)
        env = self.environment()
        for name, args in COMPONENTS.items():
            extra = ("--port", str(self.port)) if name == "api-server" else ()
            with self.component_log(name).open("ab") as log:
                process = subprocess.Popen(
                    [str(AIRFLOW), *args, *extra],
                    env=env,
                    cwd=PROJECT_ROOT,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # stopped as a group, outlives its starter
                )
            (self.home / "run" / f"{name}.pid").write_text(str(process.pid))
        self._wait_healthy(timeout)

    def component_log(self, name: str) -> Path:
        return self.home / "logs" / f"{name}.log"

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        health: dict[str, Any] = {}
        while time.monotonic() < deadline:
            self._raise_if_dead()
            try:
                health = requests.get(f"{self.url}/api/v2/monitor/health", timeout=5).json()
            except (requests.RequestException, ValueError):
                time.sleep(2)
                continue
            states = {part: info.get("status") for part, info in health.items()}
            if all(states.get(part) == "healthy" for part in HEALTH_PARTS):
                return
            time.sleep(2)
        raise AirflowError(f"Airflow not healthy after {timeout:.0f} s: {health}")

    def _raise_if_dead(self) -> None:
        for name in COMPONENTS:
            pid = int((self.home / "run" / f"{name}.pid").read_text())
            if not _alive(pid):
                tail = self.component_log(name).read_text(errors="replace")[-3000:]
                raise AirflowError(f"airflow {name} exited; its log ends:\n{tail}")

    def stop(self) -> None:
        stop_home(self.home)

    # -- REST ------------------------------------------------------------------------------

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        """One call to the public REST API (``/api/v2``), as the admin user."""
        for attempt in range(2):
            if self._token is None:
                self._token = self.token()
            response = requests.request(
                method,
                f"{self.url}/api/v2{path}",
                headers={"Authorization": f"Bearer {self._token}"},
                timeout=30,
                **kwargs,
            )
            if response.status_code == 401 and attempt == 0:
                self._token = None  # expired: log in again
                continue
            if not response.ok:
                raise AirflowError(f"{method} {path}: HTTP {response.status_code} {response.text}")
            return response.json() if response.content else None
        raise AirflowError(f"{method} {path}: unauthorised")

    def token(self) -> str:
        """A JWT of the admin user, as the UI's login form gets it."""
        response = requests.post(
            f"{self.url}/auth/token",
            json={"username": ADMIN, "password": self.password()},
            timeout=30,
        )
        if not response.ok:
            raise AirflowError(f"login as {ADMIN}: HTTP {response.status_code} {response.text}")
        return response.json()["access_token"]

    def wait_for_dag(self, dag_id: str, *, timeout: float = 300) -> None:
        """Wait until the dag-processor has parsed ``dag_id``; fail on its import error."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            errors = self.api("GET", "/importErrors")["import_errors"]
            if errors:
                raise AirflowError(f"the DAG files do not import: {errors[0]['stack_trace']}")
            try:
                self.api("GET", f"/dags/{dag_id}")
                return
            except AirflowError:
                time.sleep(3)
        raise AirflowError(f"{dag_id} not parsed after {timeout:.0f} s")

    def trigger(self, dag_id: str, conf: Mapping[str, Any], run_id: str) -> None:
        """Unpause ``dag_id`` and trigger a run of it, as the UI's trigger form does."""
        self.api("PATCH", f"/dags/{dag_id}", json={"is_paused": False})
        self.api(
            "POST",
            f"/dags/{dag_id}/dagRuns",
            json={"dag_run_id": run_id, "logical_date": None, "conf": dict(conf)},
        )

    def task_instances(self, dag_id: str, run_id: str) -> list[dict[str, Any]]:
        """Every task instance of a run, mapped ones included (the API pages by 100)."""
        found: list[dict[str, Any]] = []
        while True:
            page = self.api(
                "GET",
                f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances",
                params={"limit": 100, "offset": len(found), "order_by": "id"},
            )
            found += page["task_instances"]
            if not page["task_instances"] or len(found) >= page["total_entries"]:
                return found

    def wait_for_run(
        self,
        dag_id: str,
        run_id: str,
        *,
        timeout: float,
        progress: Callable[[str], None] | None = None,
        every: float = 5,
    ) -> str:
        """Follow a run to its end; return its final state. ``progress`` gets one line each
        time the tasks' states change (e.g. ``running 3 · success 41 · queued 2``)."""
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            self._raise_if_dead()
            state = self.api("GET", f"/dags/{dag_id}/dagRuns/{run_id}")["state"]
            if progress is not None:
                tasks = self.task_instances(dag_id, run_id)
                counts = Counter(task["state"] or "none" for task in tasks)
                line = " · ".join(f"{name} {n}" for name, n in sorted(counts.items()))
                if line != last:
                    progress(f"{state}: {line}")
                    last = line
            if state in FINISHED:
                return state
            time.sleep(every)
        raise AirflowError(f"{dag_id} {run_id} not finished after {timeout:.0f} s")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its starter) is not running.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except (FileNotFoundError, IndexError):
        return True


def stop_processes(run_dir: Path, *, grace: float = 30) -> list[str]:
    """Stop every process group named by a ``<name>.pid`` file of ``run_dir``: SIGTERM, then
    SIGKILL after ``grace`` seconds. Returns the names of those that were running."""
    stopped = []
    pids = {}
    for pid_file in sorted(run_dir.glob("*.pid")):
        pid = int(pid_file.read_text())
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
            pids[pid_file.stem] = pid
            stopped.append(pid_file.stem)
        pid_file.unlink()
    deadline = time.monotonic() + grace
    while pids and time.monotonic() < deadline:
        pids = {name: pid for name, pid in pids.items() if _alive(pid)}
        time.sleep(0.5)
    for pid in pids.values():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    return stopped


def stop_home(home: Path) -> list[str]:
    """Stop the components an earlier start of ``home`` left running."""
    return stop_processes(home / "run")
