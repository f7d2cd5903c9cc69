import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _stop_leftover_runs():
    yield
    from gallery import stop_leftovers

    stop_leftovers()
