"""A desk in client mode must start close to a bare Textual app: the UI and the API's client
side import no SQLAlchemy, no Alembic, no services and no store (measured in a fresh
interpreter, where nothing else has imported them yet)."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import importlib, json, pkgutil, sys
import deskui.ui.app, deskui.api.codec, deskui.api.queue
import deskui.ui
for info in pkgutil.walk_packages(deskui.ui.__path__, "deskui.ui."):
    importlib.import_module(info.name)
heavy = ("sqlalchemy", "alembic", "deskui.services", "deskui.store")
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in heavy
                        or m.startswith(heavy[2:]))))
"""


def test_the_ui_and_the_client_api_import_no_sqlalchemy_alembic_services_or_store() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert loaded == [], loaded


def test_the_probe_would_see_sqlalchemy() -> None:
    """The same probe after importing the embedded API does list it (the test can fail)."""
    probe = PROBE.replace("import deskui.ui.app,", "import deskui.api.embedded, deskui.ui.app,")
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert "sqlalchemy" in loaded and "deskui.services.context" in loaded
