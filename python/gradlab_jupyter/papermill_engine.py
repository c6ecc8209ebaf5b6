"""Registers gradlab's parameter translator with papermill.

papermill 2.7 loads every ``papermill.engine`` entry point when it is imported (its CLI and its
``execute_notebook`` alike) but has no entry point for translators, so this module, loaded as an
engine, registers the translator as it is imported. The engine it hands back is papermill's own
nbclient engine under the name ``gradlab`` (``--engine gradlab`` runs exactly as the default).

Boundary: registration only; the translation lives in ``parameters``.
"""

from papermill.engines import NBClientEngine
from papermill.translators import papermill_translators

from .parameters import TypeScriptTranslator

# papermill looks a translator up by kernel name first, then by the notebook's language.
papermill_translators.register("gradlab", TypeScriptTranslator)
papermill_translators.register("typescript", TypeScriptTranslator)


class GradlabEngine(NBClientEngine):
    """papermill's default (nbclient) engine; exists so the entry point has an engine to name."""
