"""Where the gradlab this Jupyter runs is installed: its package folder and its Node.

Boundary: reads the ``gradlab`` kernelspec (whose argv is ``[node, <node flags>...,
<gradlab>/bin/gradlab.js, "kernel", ...]``, written by ``gradlab install``); knows nothing of what
the caller does with it.
"""

import os
import shutil
from pathlib import Path


class GradlabNotFound(RuntimeError):
    pass


def find_gradlab(root="", node=""):
    """(package root, node binary): the given ones, else those of the installed kernelspec."""
    if root:
        return Path(root), node or shutil.which("node") or "node"
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec("gradlab")
    except NoSuchKernel:
        raise GradlabNotFound(
            "no gradlab kernelspec is installed in this Jupyter; install the kernel first "
            "(npm install -g gradlab, then gradlab install --sys-prefix)"
        ) from None
    spec_node = spec.argv[0]
    # Node's own flags (such as the young generation's size) come between node and the launcher.
    launcher = next((arg for arg in spec.argv[1:] if not arg.startswith("-")), "")
    package_root = Path(os.path.realpath(launcher)).parent.parent
    if not (package_root / "package.json").is_file():
        raise GradlabNotFound(f"the gradlab kernelspec points at {launcher}, which is not in a gradlab package")
    return package_root, node or spec_node
