"""papermill parameters for gradlab notebooks: TypeScript values out, parameter cells in.

Boundary: turns Python values into TypeScript source and reads a TypeScript parameters cell back
into papermill's ``Parameter`` list. Registering it with papermill is ``papermill_engine``'s job;
this module imports papermill only for the base class and the ``Parameter`` record.

Injected parameters are ``let`` declarations: the kernel lets a later cell re-declare any name, so
``let lr = 0.5`` after the notebook's own ``const lr = 0.1`` replaces it, and a later cell may
still assign to it.
"""

import json
import math
import re

from papermill.models import Parameter
from papermill.translators import Translator

# const|let|var NAME (: TYPE)? = VALUE   (the VALUE runs to the end of the declaration group)
_DECLARATION = re.compile(
    r"^\s*(?:export\s+)?(?:const|let|var)\s+(?P<name>[A-Za-z_$][\w$]*)\s*"
    r"(?::\s*(?P<annotation>[^=]+?)\s*)?=(?!=)\s*(?P<value>.*)$",
    re.DOTALL,
)


def split_line_comment(line):
    """Splits a line at its first ``//`` outside a string literal: (code, comment or None)."""
    quote = None
    i = 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'`":
            quote = ch
        elif line.startswith("//", i):
            return line[:i], line[i + 2 :].strip()
        elif line.startswith("/*", i):
            end = line.find("*/", i + 2)
            if end < 0:
                return line[:i], None
            line = line[:i] + line[end + 2 :]
            continue
        i += 1
    return line, None


def _literal_type(value):
    """The TypeScript type a literal initialiser gives its name, or "None" when it is not a literal."""
    if re.fullmatch(r"[-+]?(\d[\d_]*\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|NaN|Infinity)", value):
        return "number"
    if re.fullmatch(r"\"(\\.|[^\"\\])*\"|'(\\.|[^'\\])*'|`[^`$]*`", value, re.DOTALL):
        return "string"
    if value in ("true", "false"):
        return "boolean"
    if value == "null":
        return "null"
    if value.startswith("["):
        return "array"
    if value.startswith("{"):
        return "object"
    return "None"


class TypeScriptTranslator(Translator):
    """papermill's translator for the ``gradlab`` kernel and the ``typescript`` language."""

    @classmethod
    def translate_none(cls, val):
        return "null"

    @classmethod
    def translate_str(cls, val):
        # A JSON string is a valid TypeScript string literal; ASCII-only escapes keep U+2028 and
        # friends from ending a line inside the literal in older parsers.
        return json.dumps(val, ensure_ascii=True)

    @classmethod
    def translate_escaped_str(cls, str_val):
        return cls.translate_str(str(str_val))

    @classmethod
    def translate_int(cls, val):
        return str(val)

    @classmethod
    def translate_float(cls, val):
        if math.isnan(val):
            return "NaN"
        if math.isinf(val):
            return "Infinity" if val > 0 else "-Infinity"
        return repr(val)

    @classmethod
    def translate_bool(cls, val):
        return "true" if val else "false"

    @classmethod
    def translate_list(cls, val):
        return "[" + ", ".join(cls.translate(item) for item in val) + "]"

    @classmethod
    def translate_dict(cls, val):
        entries = ", ".join(f"{cls.translate_str(str(key))}: {cls.translate(item)}" for key, item in val.items())
        return "{" + entries + "}"

    @classmethod
    def comment(cls, cmt_str):
        return f"// {cmt_str}".strip()

    @classmethod
    def assign(cls, name, str_val):
        return f"let {name} = {str_val};"

    @classmethod
    def inspect(cls, parameters_cell):
        """Reads ``const lr = 0.1; // learning rate`` style declarations (one per statement; a value
        may span lines, and the help is the comment on its last line). Anything else is skipped."""
        source = parameters_cell["source"]
        if isinstance(source, list):
            source = "".join(source)
        groups = []  # [code lines, last comment]
        for line in source.splitlines():
            code, comment = split_line_comment(line)
            if not code.strip():
                continue
            if _DECLARATION.match(code) or not groups:
                groups.append([[code.strip()], comment])
            else:
                groups[-1][0].append(code.strip())
                groups[-1][1] = comment
        params = []
        for lines, comment in groups:
            match = _DECLARATION.match(" ".join(lines))
            if match is None:
                continue
            value = match.group("value").strip().rstrip(";").strip()
            annotation = match.group("annotation")
            params.append(
                Parameter(
                    name=match.group("name"),
                    inferred_type_name=annotation.strip() if annotation else _literal_type(value),
                    default=value,
                    help=comment or "",
                )
            )
        return params
