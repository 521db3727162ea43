"""Start-up stays light: the main window's modules load neither openpyxl nor reportlab.

Both load on first use (an export, a printed slip); at start-up they would cost a few hundred
milliseconds of the 1.5 s budget from launch to an interactive window (bench/bench_gui.py).
"""

from __future__ import annotations

import os
import subprocess
import sys

HEAVY = ("openpyxl", "reportlab")
PROBE = (
    "import sys; import timebank_desktop.app_gui; "
    "print(' '.join(sorted({m.split('.')[0] for m in sys.modules} & set(sys.argv[1:]))))"
)


def test_the_desktop_starts_without_openpyxl_or_reportlab() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *HEAVY],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip() == ""
