"""Command line: ``python -m app run FILE.json --seconds N`` (headless), ``python -m app serve``."""

from gevent import monkey

monkey.patch_all()

import sys  # noqa: E402

from .cli import main  # noqa: E402

sys.exit(main())
