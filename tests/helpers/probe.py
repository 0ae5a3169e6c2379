"""Running code in a fresh Python interpreter (nothing imported yet), for tests of what a
command or module loads: the code prints one JSON line last, which is returned."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def fresh_python(code: str, **env: str) -> Any:
    """Run ``code`` in a fresh interpreter with the project importable (and ``env`` set);
    the JSON its last printed line holds."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={**os.environ, **env, "PYTHONPATH": path},
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])
