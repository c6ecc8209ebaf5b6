"""Jupyter's Python-side tools for the gradlab TypeScript kernel.

The kernel itself is the npm package ``gradlab``; this package holds only what Python tools load
in-process: a papermill parameter translator (``parameters``, registered by ``papermill_engine``)
and an nbconvert exporter (``exporter``). Nothing here imports papermill or nbconvert until that
tool loads it through its entry point.
"""

__version__ = "0.1.0"
