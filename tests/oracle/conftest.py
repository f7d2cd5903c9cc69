"""The differential oracle: engine runs compared with plain pyzmq (issue 9).

``ORACLE_FINDINGS=path pytest tests/oracle`` also writes every failing comparison, with both
figures, to ``path`` (markdown), one section per test, as the tests finish.
"""

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "engine"))  # topo.py: the engine tests' document builders


@pytest.fixture
def verdict(request):
    """``verdict(lines)``: fail the test with every finding, and record them."""
    from oracle.verdict import verdict as check

    return lambda lines: check(request.node.nodeid, lines)
