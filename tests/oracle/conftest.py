"""The differential oracle: engine runs compared with plain pyzmq (issue 9).

``ORACLE_FINDINGS=path pytest tests/oracle`` also writes every failing comparison, with both
figures, to ``path`` (markdown), one section per test, as the tests finish.
"""

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "engine"))  # topo.py: the engine tests' document builders

_REPORT = os.environ.get("ORACLE_FINDINGS")


@pytest.fixture
def verdict(request):
    """``verdict(lines)``: fail the test with every finding (each names case, link, figures),
    and record them for the findings file."""

    def check(lines):
        lines = [ln for ln in lines if ln]
        if _REPORT:
            with open(_REPORT, "a", encoding="utf-8") as fh:
                fh.write(f"\n### {request.node.nodeid}\n")
                fh.write("".join(f"- {ln}\n" for ln in lines) if lines else "- (agrees)\n")
        assert not lines, "\n".join(lines)

    return check
