"""Running the ``aidroute`` command as a user does: a real process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def aidroute(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the installed console script (or the module, when the script is not on PATH)."""
    exe = shutil.which("aidroute", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "api.cli"]
    return subprocess.run(
        [*cmd, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "160"},
    )
