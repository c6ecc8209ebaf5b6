#!/usr/bin/env bash
# Installs gradlab into a Jupyter environment that JupyterHub's single-user servers run from:
# the one install script behind every way this folder deploys a class (the Zero to JupyterHub image's
# Dockerfile runs it, a single machine's admin runs it, and the classroom test runs it too).
#
#   deploy/install-gradlab.sh --npm-prefix DIR --jupyter-prefix DIR [--package SPEC]
#                             [--python PYTHON [--python-package PATH] [--pip SPEC ...]]
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

while [ $# -gt 0 ]; do
  case "$1" in
    --package) package="$2"; shift 2 ;;
    --npm-prefix) npm_prefix="$2"; shift 2 ;;
    --jupyter-prefix) jupyter_prefix="$2"; shift 2 ;;
    --python) python="$2"; shift 2 ;;
    --python-package) python_package="$2"; shift 2 ;;
    --pip) extra_pip+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "install-gradlab.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
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
echo "[install-gradlab] done: $("$npm_prefix/bin/gradlab" --version)"
