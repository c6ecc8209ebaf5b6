"""Memory bombs against the real gradlab kernel through jupyter_client (role: measurement of the
memory watchdog; not a test).

For each bomb (an array of plain arrays, an array of Float64Arrays): the time from sending the
cell to its error, the kernel's RSS before it and after it, and whether a variable from before it
is still there. Run from the repository after `npm run setup`:

    .venv/bin/python bench/kernel/memory_stop.py [LIMIT_MB]     # default: the kernel's own default

LIMIT_MB goes to GRADLAB_MEMORY_MB (0 = only the cap below V8's heap limit). Prints one line per bomb.
"""
import json
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BOMBS = {
    "arrays": "const a: number[][] = [];\nwhile (true) a.push(new Array(1e6).fill(1));",
    "typed arrays": "const xs: Float64Array[] = [];\nwhile (true) xs.push(new Float64Array(1e6).fill(1));",
}


def kernelspec(limit: str | None) -> str:
    """A temporary JUPYTER_PATH with a `gradlab-memory` kernelspec running this checkout's kernel."""
    path = tempfile.mkdtemp(prefix="gradlab-memory-")
    spec = os.path.join(path, "kernels", "gradlab-memory")
    os.makedirs(spec)
    env = {} if limit is None else {"GRADLAB_MEMORY_MB": limit}
    argv = ["node", os.path.join(ROOT, "bin", "gradlab.js"), "kernel", "{connection_file}"]
    with open(os.path.join(spec, "kernel.json"), "w") as f:
        json.dump({"argv": argv, "display_name": "gradlab (memory)", "language": "typescript", "interrupt_mode": "message", "env": env}, f)
    return path


def main() -> None:
    limit = sys.argv[1] if len(sys.argv) > 1 else None
    os.environ["JUPYTER_PATH"] = kernelspec(limit)
    sys.path.insert(0, HERE)
    from procmem import tree_rss_mb  # noqa: E402  (after sys.path)
    from session import KernelSession  # noqa: E402

    for name, code in BOMBS.items():
        session = KernelSession("gradlab-memory")
        try:
            session.execute("const kept = 41;")
            time.sleep(1)  # let the checker settle before reading memory
            before = tree_rss_mb(session.pid)
            outcome = session.execute(code, timeout=300)
            after = tree_rss_mb(session.pid)
            kept = session.execute("kept + 1").text
            print(
                f"{name}: {outcome.status} {outcome.ename} after {outcome.ms / 1000:.1f} s; "
                f"RSS {before:.0f} MB before, {after:.0f} MB after; kept + 1 = {kept}; {outcome.text[:90]}…",
                flush=True,
            )
        finally:
            session.close()


if __name__ == "__main__":
    main()
