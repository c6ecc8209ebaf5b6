"""The chapter's code cells sent to one gradlab kernel through jupyter_client, without nbconvert
(role: timing and memory of the kernel alone, for bench:notebooks).

Prints one JSON line: the sum of the cells' request times (shell reply and IOPub idle, as
bench/kernel/session.py times them) and the RSS of the kernel's process tree (kernel and its
native checker) a second after the last cell. The kernel inherits this process's environment, so
GRADLAB_CHECKER picks its checker.

Usage: python kernel_side.py NOTEBOOK.ipynb
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kernel"))
from procmem import tree_rss_mb  # noqa: E402  (after sys.path)
from session import KernelSession  # noqa: E402


def code_cells(path: str) -> list[str]:
    with open(path, encoding="utf8") as f:
        notebook = json.load(f)
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in notebook["cells"] if c["cell_type"] == "code"]


def main() -> None:
    path = os.path.abspath(sys.argv[1])
    cells = code_cells(path)
    # Relative paths in cells resolve from the notebook's folder, as under nbconvert.
    os.chdir(os.path.dirname(path))
    session = KernelSession("gradlab")
    try:
        total_ms = 0.0
        failed = []
        for i, code in enumerate(cells):
            outcome = session.execute(code)
            total_ms += outcome.ms
            if outcome.status != "ok":
                failed.append(f"cell {i}: {outcome.status} {outcome.text[:120]}")
        time.sleep(1.0)
        print(json.dumps({"cells": len(cells), "cells_ms": total_ms, "rss_mb": tree_rss_mb(session.pid), "failed": failed}))
    finally:
        session.close()


if __name__ == "__main__":
    main()
