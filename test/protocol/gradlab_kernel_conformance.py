"""jupyter_kernel_test against the real gradlab kernel (TypeScript executor), with real samples for
every feature the suite covers. Run by conformance.test.ts with JUPYTER_PATH pointing at a
kernelspec named "gradlab-conformance"; the suite validates every reply against the message schemas.
"""

import unittest

import jupyter_kernel_test


class GradlabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "gradlab-conformance"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("something went wrong")'

    completion_samples = [
        {"text": "Math.ab", "matches": {"abs"}},
        {"text": "const conformanceValue = 1;\nconformanceVa", "matches": {"conformanceValue"}},
        {"text": "[1, 2].inclu", "matches": {"includes"}},
    ]

    complete_code_samples = ["1 + 1", "const answer = 42;", "function twice(x: number) {\n  return 2 * x;\n}"]
    incomplete_code_samples = ["function twice(x: number) {", "const xs = [1, 2,", "if (true) {\n  console.log(1);"]
    invalid_code_samples = ["1 +* 2)", "}"]

    code_generate_error = 'throw new RangeError("out of range")'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": '"grad" + "lab"', "result": "'gradlab'"},
        {"code": "[1, 2, 3].map((x) => x * x)", "result": "[ 1, 4, 9 ]"},
    ]

    code_display_data = [
        {"code": 'await display(html("<b>bold</b>"))', "mime": "text/html"},
        {"code": 'await display(markdown("# Title"))', "mime": "text/markdown"},
    ]

    code_history_pattern = "1 + ?"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = "clearOutput()"


if __name__ == "__main__":
    unittest.main()
