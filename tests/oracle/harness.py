"""One call per case: run a document through the engine and through the reference."""

from __future__ import annotations

from .compare import EngineView
from .engine_side import run_engine
from .reference import Plan, Reference


def both(doc: dict, plan: Plan | None = None, idle: float = 0.4, timeout: float = 20.0):
    """(engine view, reference result) of the same document, fault plan and send sequence."""
    engine = run_engine(doc, plan, idle=idle, timeout=timeout)
    ref = Reference(doc, plan, idle=idle, timeout=timeout).run()
    return EngineView(engine, doc), ref
