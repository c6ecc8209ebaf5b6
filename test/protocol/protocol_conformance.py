"""jupyter_kernel_test against the protocol layer alone: the real startKernel (worker, ZeroMQ,
bridge) with the JavaScript test executor of fixtures/js-executor.ts. Run by conformance.test.ts
with JUPYTER_PATH pointing at a kernelspec named "gradlab-protocol-js".
"""

import unittest

import jupyter_kernel_test


class ProtocolLayerTests(jupyter_kernel_test.KernelTests):
    kernel_name = "gradlab-protocol-js"
    language_name = "javascript"
    file_extension = ".js"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'eprint("something went wrong")'
    completion_samples = [{"text": "prin", "matches": {"print"}}, {"text": "x = inputS", "matches": {"inputSync"}}]
    complete_code_samples = ["1 + 1", "function f() { return 1; }"]
    incomplete_code_samples = ["function f() {", "const xs = [1, 2,"]
    invalid_code_samples = ["1 +* 2)"]
    code_generate_error = 'throw new RangeError("out of range")'
    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "'grad' + 'lab'", "result": "'gradlab'"},
        {"code": "[1, 2, 3].map((x) => x * x)", "result": "[ 1, 4, 9 ]"},
    ]
    code_display_data = [
        {"code": 'display({"text/html": "<b>bold</b>"})', "mime": "text/html"},
        {"code": 'display({"text/markdown": "# Title"})', "mime": "text/markdown"},
    ]
    code_history_pattern = "1 + ?"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "print"
    code_clear_output = "clear(false)"


if __name__ == "__main__":
    unittest.main()
