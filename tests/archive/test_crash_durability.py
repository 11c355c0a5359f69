"""The crash drill (benchmarks/crash_durability.py) on the database the suite runs on: the app
server SIGKILLed 50 times while writers post chapters and comments over HTTP; no write that
was answered with success may be lost, and the database must pass its integrity checks."""

import os
import sys
from pathlib import Path

from django.db import connection

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from crash_durability import Drill  # noqa: E402

KILLS = int(os.environ.get("FICSHELF_CRASH_KILLS", "50"))


def test_no_acknowledged_write_is_lost_across_fifty_kills():
    engine = "sqlite" if connection.vendor == "sqlite" else "postgresql"
    figures = Drill(engine, KILLS).run()
    print(figures.summary())

    assert figures.kills == KILLS
    # The drill wrote for real: chapters and comments, acknowledged between kills.
    assert figures.acknowledged_chapters >= KILLS // 2
    assert figures.acknowledged_comments >= KILLS // 2
    assert figures.lost == []
    assert figures.integrity_failures == []
