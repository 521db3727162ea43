"""A worker function that dies, for the test of a broken process pool."""

from __future__ import annotations

import os
from typing import Any


def prepare(*_args: Any) -> Any:
    os._exit(3)
