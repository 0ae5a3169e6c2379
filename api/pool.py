"""The embedded mode's workers: ``aidroute serve`` keeps ``AIDROUTE_WORKERS`` processes of
``aidroute worker --embedded`` running (started again when one dies), and stops them with it.

They get the server's settings through the environment, so a server made with settings in
code (tests) and one made from ``AIDROUTE_*`` behave alike.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from pydantic import SecretStr

from api.settings import Settings

log = logging.getLogger("aidroute.pool")


def settings_env(settings: Settings) -> dict[str, str]:
    """``AIDROUTE_*`` variables that give another process these settings."""
    env = {}
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if value is None:
            continue
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        elif isinstance(value, list):
            value = json.dumps(value)
        elif isinstance(value, Path):
            value = str(value)
        env[f"AIDROUTE_{name.upper()}"] = str(value)
    return env


class WorkerPool:
    """A fixed number of worker processes, watched."""

    def __init__(self, settings: Settings, size: int):
        self.settings = settings
        self.size = size
        self.procs: list[subprocess.Popen[bytes]] = []

    def _spawn(self) -> subprocess.Popen[bytes]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("AIDROUTE_") or k in ("AIDROUTE_HOME", "AIDROUTE_DATA")
        }
        env.update(settings_env(self.settings))
        cmd = [sys.executable, "-m", "api.cli", "worker", "--embedded"]
        cmd += ["--parent-pid", str(os.getpid())]
        return subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL)

    def start(self) -> None:
        self.procs = [self._spawn() for _ in range(self.size)]

    def check(self) -> None:
        """Start again any worker that ended (killed, crashed)."""
        for i, proc in enumerate(self.procs):
            if proc.poll() is not None:
                log.warning("worker %s ended (%s); starting another", proc.pid, proc.returncode)
                self.procs[i] = self._spawn()

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs = []
