"""Launch-latency probe for the protocol side (a measurement, not a test; vitest never runs it).

Spawns a kernel process on a fresh connection file and times process start → first
kernel_info_reply, the way jupyter_client sees it (a kernel_info_request re-sent every 100 ms, a
ZeroMQ DEALER that connects before the kernel binds). Alternates the kernels launch by launch so
load on the shared machine hits both sides alike, and prints median / min / max per kernel.

Usage (from the repository root, after `npm run build`):
    .venv/bin/python test/protocol/measure_launch.py                 # gradlab and deno, 6 launches each
    .venv/bin/python test/protocol/measure_launch.py -n 10 gradlab   # gradlab only
    GRADLAB_LAUNCH_TRACE=1 .venv/bin/python test/protocol/measure_launch.py -n 3 gradlab  # + kernel's trace

Kernels: "gradlab" (node bin/gradlab.js kernel CONN), "deno" (node_modules/deno, `deno jupyter
--kernel`), or "cmd:ARGV..." with {connection_file} in it.
"""
import argparse
import json
import os
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from jupyter_client import BlockingKernelClient

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def argv_for(kernel: str, connection_file: str) -> list[str]:
    if kernel == "gradlab":
        return ["node", os.path.join(ROOT, "bin", "gradlab.js"), "kernel", connection_file]
    if kernel == "deno":
        return [os.path.join(ROOT, "node_modules", "deno", "deno"), "jupyter", "--kernel", "--conn", connection_file]
    if kernel.startswith("cmd:"):
        return [a.replace("{connection_file}", connection_file) for a in shlex.split(kernel[4:])]
    raise SystemExit(f"unknown kernel {kernel!r}")


def launch_once(kernel: str, timeout: float = 30.0) -> float:
    """Seconds from spawning the kernel process to its first kernel_info_reply."""
    with tempfile.TemporaryDirectory() as tmp:
        shell, iopub, stdin, control, hb = free_ports(5)
        info = {
            "transport": "tcp", "ip": "127.0.0.1", "key": os.urandom(16).hex(), "signature_scheme": "hmac-sha256",
            "shell_port": shell, "iopub_port": iopub, "stdin_port": stdin, "control_port": control, "hb_port": hb,
            "kernel_name": kernel,
        }
        path = os.path.join(tmp, "kernel.json")
        with open(path, "w") as f:
            json.dump(info, f)
        client = BlockingKernelClient(connection_file=path)
        client.load_connection_file()
        client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        started = time.perf_counter()
        process = subprocess.Popen(argv_for(kernel, path), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=None if os.environ.get("GRADLAB_LAUNCH_TRACE") else subprocess.DEVNULL)
        try:
            while time.perf_counter() - started < timeout:
                msg_id = client.kernel_info()
                resend_at = time.perf_counter() + 0.1
                while time.perf_counter() < resend_at:
                    if client.shell_channel.socket.poll(5):
                        reply = client.shell_channel.get_msg(timeout=0)
                        if reply["msg_type"] == "kernel_info_reply":
                            return time.perf_counter() - started
                if process.poll() is not None:
                    raise RuntimeError(f"{kernel} exited with {process.returncode} during launch")
            raise TimeoutError(f"{kernel}: no kernel_info_reply within {timeout} s")
        finally:
            client.stop_channels()
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--launches", type=int, default=6)
    parser.add_argument("kernels", nargs="*", default=["gradlab", "deno"])
    args = parser.parse_args()
    times: dict[str, list[float]] = {k: [] for k in args.kernels}
    for _ in range(args.launches):
        for kernel in args.kernels:
            times[kernel].append(launch_once(kernel))
            time.sleep(0.3)  # let the previous kernel's exit settle
    load = os.getloadavg()[0]
    for kernel, values in times.items():
        ms = sorted(v * 1000 for v in values)
        print(f"{kernel:>8}: median {statistics.median(ms):6.0f} ms  min {ms[0]:6.0f}  max {ms[-1]:6.0f}  "
              f"(n={len(ms)}, load {load:.1f})  all: {' '.join(f'{v:.0f}' for v in ms)}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
