"""Resident memory of a process and all its descendants, read from /proc (role: RSS only).

psutil is not installed in the project's venv, so this reads `VmRSS` from /proc/<pid>/status
and finds children through the parent-pid field of /proc/<pid>/stat. Linux only.

Example:
    >>> import os
    >>> tree_rss_mb(os.getpid()) > 1
    True
"""
import os


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


def _parent_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            text = stat.read()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name (field 2) is in parentheses and may itself contain spaces or ')'.
    return int(text[text.rindex(")") + 2 :].split()[1])


def process_tree(root: int) -> list[int]:
    """`root` and every live descendant."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            parent = _parent_of(int(entry))
            if parent is not None:
                children.setdefault(parent, []).append(int(entry))
    tree, stack = [], [root]
    while stack:
        pid = stack.pop()
        tree.append(pid)
        stack.extend(children.get(pid, []))
    return tree


def tree_rss_mb(root: int) -> float:
    """Sum of VmRSS over `root` and its descendants, in MB (10^6 bytes)."""
    return sum(_rss_kb(pid) for pid in process_tree(root)) * 1024 / 1e6
