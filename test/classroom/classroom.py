"""A class of students on a real JupyterHub, each running the chapter through their own server.

Role: starts JupyterHub (jupyterhub_config.py beside this file: dummy authenticator, local process
spawner, configurable-http-proxy) on a gradlab installed by install.js, has N students start
their servers at once through the hub's REST API, and, as soon as a student's server is ready,
opens a notebook session with the gradlab kernel (the server's REST API), connects to the kernel's
websocket with JupyterLab's protocol (v1.kernel.websocket.jupyter.org) and runs every code cell of
the chapter in order, one after the other as a student pressing Shift+Enter does.

Writes each student's executed notebook and one JSON report: server-ready time, chapter time,
each cell's latency (request sent → reply and idle received), each student's process-tree memory
(single-user server + kernel) and CPU seconds, and the hub's and proxy's. Judging the report is
the caller's job (the classroom test checks outputs, the benchmark prints numbers).

    python classroom.py --students N --workdir DIR --jupyter-prefix DIR --notebook NB --report OUT
"""
import argparse
import asyncio
import copy
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1, serialize_msg_to_ws_v1
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "kernel"))
from procmem import process_tree  # noqa: E402  (the project's /proc reader)

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parents[1]
WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """User + system CPU of one live process (0 if it is gone)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_mb(pid):
    """Resident memory of one process, from /proc/<pid>/statm."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KB / 1024
    except (FileNotFoundError, ProcessLookupError):
        return 0.0


def cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""


def kernel_pid(server_pid):
    """The gradlab kernel among the server's descendants."""
    for pid in process_tree(server_pid):
        if "gradlab.js kernel" in cmdline(pid):
            return pid
    return None


def tree_rss_mb(root):
    return sum(rss_mb(pid) for pid in process_tree(root))


class Hub:
    """A JupyterHub process and the REST calls the class makes to it."""

    def __init__(self, workdir, jupyter_prefix):
        self.workdir = workdir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(16)
        self.http = AsyncHTTPClient(max_clients=200)
        env = {
            **os.environ,
            "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
            "CLASSROOM_WORKDIR": str(workdir),
            "CLASSROOM_JUPYTER_PREFIX": str(jupyter_prefix),
            "CLASSROOM_PROJECT_ROOT": str(PROJECT_ROOT),
            "CLASSROOM_PORT": str(self.port),
            "CLASSROOM_HUB_PORT": str(free_port()),
            "CLASSROOM_PROXY_API_PORT": str(free_port()),
            "CLASSROOM_TOKEN": self.token,
        }
        self.log = open(workdir / "jupyterhub.log", "wb")
        self.process = subprocess.Popen(
            [os.path.join(os.path.dirname(sys.executable), "jupyterhub"), "-f", str(HERE / "jupyterhub_config.py")],
            cwd=workdir,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    async def request(self, method, path, body=None, timeout=600):
        request = HTTPRequest(
            self.base + path,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
            body=None if body is None else json.dumps(body),
            allow_nonstandard_methods=True,
            request_timeout=timeout,
        )
        response = await self.http.fetch(request, raise_error=False)
        if response.code >= 400:
            raise RuntimeError(f"{method} {path}: HTTP {response.code} {response.body[:500]!r}")
        return json.loads(response.body) if response.body else None

    async def wait_until_up(self, timeout=180):
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterHub exited with {self.process.returncode}; see {self.workdir / 'jupyterhub.log'}")
            try:
                await self.request("GET", "/hub/api/", timeout=5)
                return
            except (OSError, RuntimeError, HTTPClientError):
                if time.monotonic() > deadline:
                    raise
            await asyncio.sleep(0.5)

    def proxy_pid(self):
        for pid in process_tree(self.process.pid):
            if "configurable-http-proxy" in cmdline(pid):
                return pid
        return None

    def stop(self, server_pids):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        # The hub stops its servers as it shuts down; whatever is left (a hub that died) goes too.
        for pid in server_pids:
            for child in reversed(process_tree(pid)):
                try:
                    os.kill(child, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.log.close()


def header(msg_type, session):
    return {
        "msg_id": uuid.uuid4().hex,
        "session": session,
        "username": "student",
        "date": datetime.now(timezone.utc).isoformat(),
        "msg_type": msg_type,
        "version": "5.3",
    }


def add_output(outputs, msg_type, content):
    """Appends one iopub message to a cell's nbformat outputs, as JupyterLab's output area does."""
    if msg_type == "stream":
        if outputs and outputs[-1]["output_type"] == "stream" and outputs[-1]["name"] == content["name"]:
            outputs[-1]["text"] += content["text"]
        else:
            outputs.append({"output_type": "stream", "name": content["name"], "text": content["text"]})
    elif msg_type == "display_data":
        outputs.append({"output_type": "display_data", "data": content["data"], "metadata": content.get("metadata", {})})
    elif msg_type == "execute_result":
        outputs.append(
            {
                "output_type": "execute_result",
                "execution_count": content["execution_count"],
                "data": content["data"],
                "metadata": content.get("metadata", {}),
            }
        )
    elif msg_type == "error":
        outputs.append({"output_type": "error", **{k: content[k] for k in ("ename", "evalue", "traceback")}})
    elif msg_type == "clear_output":
        outputs.clear()


class Student:
    def __init__(self, name, hub, notebook):
        self.name = name
        self.hub = hub
        self.notebook = copy.deepcopy(notebook)
        self.report = {"name": name, "cells": []}

    async def start_server(self, started):
        await self.hub.request("POST", f"/hub/api/users/{self.name}/server")
        while True:
            user = await self.hub.request("GET", f"/hub/api/users/{self.name}")
            server = user.get("servers", {}).get("")
            if server and server.get("ready"):
                self.report["server_ready_s"] = time.monotonic() - started
                self.server_pid = server["state"]["pid"]
                self.report["server_pid"] = self.server_pid
                self.report["server_start_cpu_s"] = cpu_seconds(self.server_pid)
                return
            await asyncio.sleep(1.0)

    async def run_chapter(self):
        prefix = f"/user/{self.name}"
        t0 = time.monotonic()
        server_cpu_before = cpu_seconds(self.server_pid)
        specs = await self.hub.request("GET", f"{prefix}/api/kernelspecs")
        self.report["kernelspec_argv"] = specs["kernelspecs"]["gradlab"]["spec"]["argv"]
        session = await self.hub.request(
            "POST",
            f"{prefix}/api/sessions",
            {"path": "multivariable-calculus.ipynb", "type": "notebook", "name": "", "kernel": {"name": "gradlab"}},
        )
        kernel_id = session["kernel"]["id"]
        client_session = uuid.uuid4().hex
        url = f"ws://127.0.0.1:{self.hub.port}{prefix}/api/kernels/{kernel_id}/channels?session_id={client_session}"
        ws = await websocket_connect(
            HTTPRequest(url, headers={"Authorization": f"token {self.hub.token}"}),
            subprotocols=[WS_PROTOCOL],
            max_message_size=1 << 30,
        )
        if ws.selected_subprotocol != WS_PROTOCOL:
            raise RuntimeError(f"the server chose websocket protocol {ws.selected_subprotocol!r}")
        self.report["kernel_started_s"] = time.monotonic() - t0

        async def send(channel, msg_type, content):
            msg = {"header": header(msg_type, client_session), "parent_header": {}, "metadata": {}, "content": content}
            await ws.write_message(serialize_msg_to_ws_v1(msg, channel, lambda part: json.dumps(part).encode()), binary=True)
            return msg["header"]["msg_id"]

        async def receive_until(msg_id, outputs):
            """Collects iopub output for msg_id until both its reply and its idle status arrived."""
            reply = None
            idle = False
            while reply is None or not idle:
                raw = await ws.read_message()
                if raw is None:
                    raise RuntimeError("the kernel websocket closed")
                channel, parts = deserialize_msg_from_ws_v1(raw)
                msg_header, parent, _metadata, content = (json.loads(part) for part in parts[:4])
                if parent.get("msg_id") != msg_id:
                    continue
                if channel == "shell":
                    reply = content
                elif channel == "iopub":
                    if msg_header["msg_type"] == "status" and content["execution_state"] == "idle":
                        idle = True
                    elif outputs is not None:
                        add_output(outputs, msg_header["msg_type"], content)
            return reply

        await receive_until(await send("shell", "kernel_info_request", {}), None)
        self.report["kernel_ready_s"] = time.monotonic() - t0
        kernel = kernel_pid(self.server_pid)
        for cell in self.notebook["cells"]:
            if cell["cell_type"] != "code":
                continue
            outputs = []
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            sent = time.monotonic()
            msg_id = await send(
                "shell",
                "execute_request",
                {"code": source, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
            )
            reply = await receive_until(msg_id, outputs)
            latency = time.monotonic() - sent
            cell["outputs"] = outputs
            cell["execution_count"] = reply.get("execution_count")
            self.report["cells"].append({"latency_s": latency, "status": reply["status"]})
        self.report["chapter_s"] = time.monotonic() - t0
        self.report["server_cpu_s"] = cpu_seconds(self.server_pid) - server_cpu_before
        self.report["kernel_cpu_s"] = cpu_seconds(kernel) if kernel else None
        self.report["tree_rss_mb"] = tree_rss_mb(self.server_pid)
        self.report["kernel_rss_mb"] = rss_mb(kernel) if kernel else None
        self.report["server_rss_mb"] = rss_mb(self.server_pid)
        ws.close()


async def run_class(args):
    workdir = Path(args.workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    notebook = json.loads(Path(args.notebook).read_text())
    hub = Hub(workdir, Path(args.jupyter_prefix).resolve())
    students = [Student(f"student{i + 1:02d}", hub, notebook) for i in range(args.students)]
    report = {"students": [s.report for s in students]}
    try:
        await hub.wait_until_up()
        await hub.request("POST", "/hub/api/users", {"usernames": [s.name for s in students]})
        hub_cpu_before = cpu_seconds(hub.process.pid)
        proxy = hub.proxy_pid()
        proxy_cpu_before = cpu_seconds(proxy) if proxy else 0.0
        started = time.monotonic()

        async def one(student):
            try:
                await student.start_server(started)
                await student.run_chapter()
            except Exception as error:  # reported per student; the caller fails the run
                student.report["failure"] = f"{type(error).__name__}: {error}"

        await asyncio.gather(*(one(s) for s in students))
        report["wall_s"] = time.monotonic() - started
        report["hub_cpu_s"] = cpu_seconds(hub.process.pid) - hub_cpu_before
        report["hub_rss_mb"] = rss_mb(hub.process.pid)
        report["proxy_cpu_s"] = (cpu_seconds(proxy) - proxy_cpu_before) if proxy else None
        report["proxy_rss_mb"] = rss_mb(proxy) if proxy else None
        for student in students:
            path = workdir / f"{student.name}.ipynb"
            path.write_text(json.dumps(student.notebook, indent=1))
            student.report["executed_notebook"] = str(path)
    finally:
        hub.stop([s.report["server_pid"] for s in students if "server_pid" in s.report])
    Path(args.report).write_text(json.dumps(report, indent=1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--jupyter-prefix", required=True)
    parser.add_argument("--notebook", required=True)
    parser.add_argument("--report", required=True)
    asyncio.run(run_class(parser.parse_args()))


if __name__ == "__main__":
    main()
