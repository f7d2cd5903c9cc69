"""Fail with every finding, and record them in the findings file when ORACLE_FINDINGS is set."""

from __future__ import annotations

import os


def verdict(title: str, lines: list[str]) -> None:
    """Each line names the case, the check, the link or socket and both figures."""
    lines = [ln for ln in lines if ln]
    report = os.environ.get("ORACLE_FINDINGS")
    if report:
        with open(report, "a", encoding="utf-8") as fh:
            fh.write(f"\n### {title}\n")
            fh.write("".join(f"- {ln}\n" for ln in lines) if lines else "- (agrees)\n")
    assert not lines, "\n".join(lines)
