"""Exports of a topology outside the playground: a runnable pyzmq script and an SVG picture."""

from .picture import topology_svg
from .python import NOT_EXPORTABLE, python_script

__all__ = ["NOT_EXPORTABLE", "python_script", "topology_svg"]
