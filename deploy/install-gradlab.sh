#!/usr/bin/env bash
# Installs gradlab into a Jupyter environment that JupyterHub's single-user servers run from:
# the one install script behind every way this folder deploys a class (the Zero to JupyterHub image's
# Dockerfile runs it, a single machine's admin runs it, and the classroom test runs it too).
#
#   deploy/install-gradlab.sh --npm-prefix DIR --jupyter-prefix DIR [--package SPEC]
#                             [--python PYTHON [--python-package PATH] [--pip SPEC ...] [--warm-kernel]]
#
#   --npm-prefix DIR      where npm puts gradlab (DIR/lib/node_modules/gradlab, DIR/bin/gradlab)
#   --jupyter-prefix DIR  the Jupyter prefix whose share/jupyter gets the kernelspec and whose
#                         etc/jupyter gets the single-user server settings (the environment's
#                         sys.prefix, e.g. /opt/conda or /opt/tljh/user, or a folder of its own that
#                         the servers get through JUPYTER_PATH and JUPYTER_CONFIG_PATH)
#   --package SPEC        what npm installs: an `npm pack` tarball, or gradlab@VERSION (default gradlab)
#   --python PYTHON       the single-user environment's Python: installs requirements-singleuser.txt
#                         (the pinned server, JupyterLab and plotly's renderer) into it
#   --python-package PATH gradlab's Python-side tools (a wheel, or the checkout's python/ folder)
#   --pip SPEC            one more pip requirement (repeatable), e.g. nbgitpuller==1.3.0
#   --warm-kernel         start the installed kernel once, as the user running this script, so that its
#                         TypeScript code cache exists (an image built as the notebook user then
#                         starts every student's first kernel ~0.4 CPU-s faster and ~13 MB smaller)
#
# Only the kernelspec goes where Jupyter looks: gradlab's own files stay under the npm prefix.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
package=gradlab
npm_prefix=""
jupyter_prefix=""
python=""
python_package=""
extra_pip=()
warm_kernel=0

while [ $# -gt 0 ]; do
  case "$1" in
    --package) package="$2"; shift 2 ;;
    --npm-prefix) npm_prefix="$2"; shift 2 ;;
    --jupyter-prefix) jupyter_prefix="$2"; shift 2 ;;
    --python) python="$2"; shift 2 ;;
    --python-package) python_package="$2"; shift 2 ;;
    --pip) extra_pip+=("$2"); shift 2 ;;
    --warm-kernel) warm_kernel=1; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "install-gradlab.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ "$warm_kernel" = 1 ] && [ -z "$python" ]; then
  echo "install-gradlab.sh: --warm-kernel needs --python (it starts the kernel with jupyter_client)" >&2
  exit 2
fi
if [ -z "$npm_prefix" ] || [ -z "$jupyter_prefix" ]; then
  echo "install-gradlab.sh: --npm-prefix and --jupyter-prefix are required (see --help)" >&2
  exit 2
fi

echo "[install-gradlab] npm: $package into $npm_prefix"
npm install --global --prefix "$npm_prefix" --no-audit --no-fund --loglevel=error "$package"

echo "[install-gradlab] kernelspec into $jupyter_prefix/share/jupyter"
"$npm_prefix/bin/gradlab" install --prefix "$jupyter_prefix"

# The single-user server's settings for a class (what it loads, how it saves memory and CPU).
config_dir="$jupyter_prefix/etc/jupyter/jupyter_server_config.d"
mkdir -p "$config_dir"
cp "$here/singleuser/gradlab-classroom.json" "$config_dir/gradlab-classroom.json"
lab_config_dir="$jupyter_prefix/etc/jupyter/labconfig"
mkdir -p "$lab_config_dir"
cp "$here/singleuser/page_config.json" "$lab_config_dir/page_config.json"

if [ -n "$python" ]; then
  echo "[install-gradlab] Python side into $("$python" -c 'import sys; print(sys.prefix)')"
  requirements=(-r "$here/requirements-singleuser.txt")
  [ -n "$python_package" ] && requirements+=("$python_package")
  "$python" -m pip install --disable-pip-version-check -q "${requirements[@]}" ${extra_pip[@]+"${extra_pip[@]}"}
fi
if [ "$warm_kernel" = 1 ]; then
  echo "[install-gradlab] starting the kernel once (its code cache)"
  JUPYTER_PATH="$jupyter_prefix/share/jupyter" "$python" - <<'PY'
from jupyter_client.manager import start_new_kernel

manager, client = start_new_kernel(kernel_name="gradlab", startup_timeout=120)
try:
    reply = client.execute_interactive("const warm: number = 1 + 1;", timeout=120, output_hook=lambda msg: None)
    if reply["content"]["status"] != "ok":
        raise SystemExit(f"the gradlab kernel failed its first cell: {reply['content']}")
finally:
    client.stop_channels()
    manager.shutdown_kernel(now=False)
PY
fi
echo "[install-gradlab] done: $("$npm_prefix/bin/gradlab" --version)"
