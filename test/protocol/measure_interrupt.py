"""Interrupt-latency probe for the protocol side (a measurement, not a test; vitest never runs it).

Launches one kernel, then N times: runs a cell stuck in `while (true) {}` (and, with --await, one
stuck in `await new Promise(() => {})`), waits until it has started, sends interrupt_request on the
control channel and times request → the cell's execute_reply. Checks after each round that a
variable from an earlier cell survived. Prints median / min / max in ms.

Usage (from the repository root, after `npm run build`):
    .venv/bin/python test/protocol/measure_interrupt.py              # gradlab, 8 rounds
    .venv/bin/python test/protocol/measure_interrupt.py -n 5 --await
    .venv/bin/python test/protocol/measure_interrupt.py --kernel "node /tmp/old/bin/gradlab.js kernel {connection_file}"
"""
import argparse
import json
import os
import shlex
import statistics
import sys
import tempfile
import time

from jupyter_client import KernelManager

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def wait_reply(client, msg_id: str, timeout: float = 30.0) -> dict:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        reply = client.get_shell_msg(timeout=deadline - time.perf_counter())
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply
    raise TimeoutError(f"no reply to {msg_id}")


def wait_started(client, msg_id: str, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        msg = client.get_iopub_msg(timeout=deadline - time.perf_counter())
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
            return
    raise TimeoutError("the cell never started")


def interrupt_once(manager, client, code: str) -> float:
    msg_id = client.execute(code)
    wait_started(client, msg_id)
    time.sleep(0.3)  # well inside the loop / the await
    interrupt = manager.session.msg("interrupt_request", {})
    sent = time.perf_counter()
    client.control_channel.send(interrupt)
    reply = wait_reply(client, msg_id)
    elapsed = (time.perf_counter() - sent) * 1000
    if reply["content"].get("ename") != "KeyboardInterrupt":
        raise RuntimeError(f"expected KeyboardInterrupt, got {reply['content']}")
    check = wait_reply(client, client.execute("kept * 6"))
    if check["content"]["status"] != "ok":
        raise RuntimeError(f"state lost after the interrupt: {check['content']}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--rounds", type=int, default=8)
    parser.add_argument("--await", dest="awaiting", action="store_true", help="also interrupt a pending await")
    parser.add_argument("--kernel", default=f"node {ROOT}/bin/gradlab.js kernel {{connection_file}}")
    args = parser.parse_args()
    # A throwaway kernelspec, so that jupyter_client launches exactly this command.
    specs = tempfile.mkdtemp(prefix="gradlab-probe-")
    os.makedirs(os.path.join(specs, "kernels", "probe"))
    with open(os.path.join(specs, "kernels", "probe", "kernel.json"), "w") as f:
        json.dump({"argv": shlex.split(args.kernel), "display_name": "probe", "language": "typescript",
                   "interrupt_mode": "message"}, f)
    os.environ["JUPYTER_PATH"] = specs
    manager = KernelManager(kernel_name="probe")
    manager.start_kernel(stderr=sys.stderr)
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    try:
        wait_reply(client, client.execute("const kept = 7"))
        cases = {"busy loop": "while (true) {}"}
        if args.awaiting:
            cases["pending await"] = "await new Promise(() => {})"
        for name, code in cases.items():
            ms = sorted(interrupt_once(manager, client, code) for _ in range(args.rounds))
            print(f"{name:>14}: interrupt → reply median {statistics.median(ms):6.1f} ms  min {ms[0]:6.1f}  max {ms[-1]:6.1f}"
                  f"  (n={len(ms)}, load {os.getloadavg()[0]:.1f})")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
