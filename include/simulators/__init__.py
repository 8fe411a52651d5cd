"""HTTP simulators of the three portals (one-stop, QLVB, DVC portal), speaking the source specs.

Usage::

    with OnestopSimulator(scenario, faults=FaultConfig.all(seed=1)) as sim:
        requests.post(f"{sim.url}/api/v1/auth/session", json={...})
"""

from include.simulators.credentials import DEMO_CREDENTIALS
from include.simulators.dvc_portal import DvcPortalSimulator
from include.simulators.faults import FaultConfig
from include.simulators.onestop import OnestopSimulator
from include.simulators.qlvb import QlvbSimulator

__all__ = [
    "DEMO_CREDENTIALS",
    "DvcPortalSimulator",
    "FaultConfig",
    "OnestopSimulator",
    "QlvbSimulator",
]
