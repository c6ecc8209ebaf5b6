"""Runs code cells on a freshly started gradlab kernel through jupyter_client (the real client that
JupyterLab's server uses) and prints, as JSON, what each cell published on IOPub and its reply."""
import json
import sys

from jupyter_client.manager import start_new_kernel


def run(client, code):
    msg_id = client.execute(code)
    reply = client.get_shell_msg(timeout=60)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = client.get_shell_msg(timeout=60)
    outputs = []
    while True:
        msg = client.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            break
        outputs.append({"type": kind, "content": msg["content"]})
    return {"reply": reply["content"], "iopub": outputs}


def main():
    cells = json.loads(sys.argv[1])
    manager, client = start_new_kernel(kernel_name="gradlab", startup_timeout=60)
    try:
        info = client.kernel_info(reply=True, timeout=30)["content"]
        results = [run(client, code) for code in cells]
        print(json.dumps({"kernel_info": info, "cells": results}))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=False)


main()
