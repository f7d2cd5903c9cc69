"""Benchmarks of the playground (docs/performance.md): ``python -m bench`` runs them all and prints
every figure next to its target, measured in the same run (ratios against raw pyzmq included)."""
