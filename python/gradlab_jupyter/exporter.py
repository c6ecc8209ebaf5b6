"""``jupyter nbconvert --to gradlab_html``: a self-contained page whose plots and formulas work offline.

nbconvert renders the notebook with gradlab's own template (``export/templates/gradlab`` of the
installed gradlab package: JupyterLab's look, plotly outputs as placeholders drawn by plotly.js),
then gradlab's ``export/inline-scripts.js`` fills in plotly.js and MathJax from gradlab's own
``node_modules``, so the page fetches nothing. ``npm run export`` in a checkout runs this exporter
too, so both give the same page.

Boundary: configuration and the hand-off to Node; the template and the inlining are gradlab's.
"""

import json
import subprocess

from nbconvert.exporters import HTMLExporter
from traitlets import Unicode, default
from traitlets.config import Config

from .installation import find_gradlab

PLOTLY_MIME = "application/vnd.plotly.v1+json"


class GradlabHTMLExporter(HTMLExporter):
    """HTML with gradlab's plots drawn in the page and MathJax typesetting, for offline reading."""

    export_from_notebook = "HTML (gradlab, offline plots)"

    gradlab_root = Unicode(
        "", help="gradlab's package folder; by default the one the installed gradlab kernelspec runs"
    ).tag(config=True)
    node = Unicode("", help="the Node binary for the inlining step; by default the kernelspec's").tag(config=True)

    @default("template_name")
    def _template_name_default(self):
        return "gradlab"

    @default("extra_template_basedirs")
    def _default_extra_template_basedirs(self):
        root, _ = find_gradlab(self.gradlab_root, self.node)
        return [*super()._default_extra_template_basedirs(), str(root / "export" / "templates")]

    @property
    def default_config(self):
        config = super().default_config
        # Plotly first: a figure also carries text/plain (and, with GRADLAB_PLOT_PNG=1, a PNG),
        # and the interactive plot is the one to show.
        priority = [PLOTLY_MIME, *config.NbConvertBase.display_data_priority]
        merged = config.copy()
        merged.merge(Config({"NbConvertBase": {"display_data_priority": priority}}))
        return merged

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = super().from_notebook_node(nb, resources, **kw)
        root, node = find_gradlab(self.gradlab_root, self.node)
        request = json.dumps({"html": html, "notebook": nb})
        done = subprocess.run(
            [node, str(root / "export" / "inline-scripts.js")],
            input=request.encode("utf-8"),
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"gradlab's inline-scripts.js failed:\n{done.stderr.decode('utf-8', 'replace')}")
        return done.stdout.decode("utf-8"), resources
