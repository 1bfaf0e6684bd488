"""Many agent processes editing the same tickets: nothing lost, conflicts reported, no locks.

The full-size run (20 x 500 edits) is `python bench/stress.py`; this CI run uses fewer edits
but the same 20 processes and the same checks.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

STRESS = Path(__file__).resolve().parents[1] / "bench" / "stress.py"


@pytest.mark.slow
def test_twenty_agents_on_one_database(db_url: str) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(STRESS),
            "--db",
            db_url,
            "--procs",
            "20",
            "--edits",
            "12",
            "--tickets",
            "4",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    summary = json.loads(done.stdout)
    assert summary["missing_from_timeline"] == [], summary
    assert summary["locking_errors"] == 0 and summary["other_errors"] == 0, summary
    assert summary["duplicate_numbers"] == 0, summary
    assert (
        summary["successful_edits"] + summary["conflicts_reported"] + summary["refused_by_workflow"]
        == 240
    )
    assert summary["successful_edits"] > 0
    assert done.returncode == 0, done.stderr
