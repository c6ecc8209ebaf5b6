"""One kernel launched and driven through jupyter_client, with timed requests (role: timing).

A request counts as done when both its shell reply and its `idle` status on IOPub have arrived,
i.e. when a frontend would show the cell finished with all its outputs. Times are wall clock
(`time.perf_counter`) in the driver process.

Example:
    session = KernelSession("gradlab")          # launches; session.launch_s is set
    outcome = session.execute("1 + 1")          # Outcome(status="ok", ms=..., text="2")
    session.close()
"""
import re
import sys
import time
from dataclasses import dataclass, field

import zmq
from jupyter_client.manager import KernelManager

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Outcome:
    status: str  # "ok", "error", "aborted", or "timeout"
    ms: float
    text: str = ""  # execute_result text/plain (ANSI stripped), else stdout, else the error
    ename: str = ""
    idle_missing: bool = False
    reply_ms: float = float("nan")  # to the shell reply alone


@dataclass
class KernelSession:
    kernel_name: str
    launch_timeout: float = 60.0
    launch_s: float = float("nan")
    started_at: float = 0.0
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.manager = KernelManager(kernel_name=self.kernel_name)
        self.started_at = time.perf_counter()
        # Kernel output goes to our stderr (shown as progress), never into the JSON on stdout.
        self.manager.start_kernel(stdout=sys.stderr, stderr=sys.stderr)
        self.client = self.manager.client()
        self.client.start_channels(shell=True, iopub=True, stdin=False, hb=False, control=False)
        self.shell = self.client.shell_channel
        self.iopub = self.client.iopub_channel
        self._wait_kernel_info()

    @property
    def pid(self) -> int:
        return self.manager.provisioner.pid  # type: ignore[union-attr]

    def alive(self) -> bool:
        return self.manager.is_alive()

    def _wait_kernel_info(self) -> None:
        """Sends kernel_info_request (again each second, as clients do) until a reply arrives."""
        deadline = self.started_at + self.launch_timeout
        while time.perf_counter() < deadline:
            msg_id = self.client.kernel_info()
            resend_at = time.perf_counter() + 1.0
            while time.perf_counter() < min(resend_at, deadline):
                if self.shell.socket.poll(50):
                    reply = self.shell.get_msg(timeout=0)
                    if reply["parent_header"].get("msg_id") == msg_id or reply["msg_type"] == "kernel_info_reply":
                        self.launch_s = time.perf_counter() - self.started_at
                        self.kernel_info = reply["content"]
                        return
                if not self.manager.is_alive():
                    raise RuntimeError(f"{self.kernel_name}: kernel exited during launch")
        raise TimeoutError(f"{self.kernel_name}: no kernel_info_reply within {self.launch_timeout} s")

    def send(self, code: str) -> tuple[str, float]:
        # The clock is read before the send: read after, a descheduled driver (loaded machine)
        # would start timing after the kernel had already begun the cell.
        sent_at = time.perf_counter()
        return self.client.execute(code, silent=False, store_history=True, allow_stdin=False), sent_at

    def wait(self, msg_id: str, sent_at: float, timeout: float = 60.0) -> Outcome:
        """Collects the reply and the idle of `msg_id`; `ms` runs from `sent_at` to the later of the two."""
        poller = zmq.Poller()
        poller.register(self.shell.socket, zmq.POLLIN)
        poller.register(self.iopub.socket, zmq.POLLIN)
        reply = None
        idle_at = None
        reply_at = 0.0
        result_text, stdout, error = "", "", ""
        deadline = sent_at + timeout
        while reply is None or idle_at is None:
            now = time.perf_counter()
            if now > deadline or (reply is not None and now - reply_at > 2.0):
                break  # a missing idle two seconds after the reply is reported, not waited for
            ready = dict(poller.poll(20))
            if self.iopub.socket in ready:
                while self.iopub.socket.poll(0):
                    msg = self.iopub.get_msg(timeout=0)
                    if msg["parent_header"].get("msg_id") != msg_id:
                        continue
                    kind, content = msg["msg_type"], msg["content"]
                    if kind == "status" and content.get("execution_state") == "idle":
                        idle_at = time.perf_counter()
                    elif kind == "execute_result":
                        result_text = content["data"].get("text/plain", "")
                    elif kind == "stream" and content.get("name") == "stdout":
                        stdout += content.get("text", "")
                    elif kind == "error":
                        error = f"{content.get('ename')}: {content.get('evalue')}"
            if self.shell.socket in ready:
                while self.shell.socket.poll(0):
                    msg = self.shell.get_msg(timeout=0)
                    if msg["parent_header"].get("msg_id") == msg_id:
                        reply, reply_at = msg, time.perf_counter()
            if reply is None and not self.manager.is_alive():
                break
        if reply is None:
            return Outcome("timeout" if self.manager.is_alive() else "died", (time.perf_counter() - sent_at) * 1000)
        content = reply["content"]
        done = max(reply_at, idle_at or reply_at)
        text = ANSI.sub("", result_text or stdout.strip() or error or content.get("evalue", ""))
        return Outcome(
            content["status"], (done - sent_at) * 1000, text, content.get("ename", ""), idle_at is None, (reply_at - sent_at) * 1000
        )

    def execute(self, code: str, timeout: float = 60.0) -> Outcome:
        msg_id, sent_at = self.send(code)
        return self.wait(msg_id, sent_at, timeout)

    def interrupt(self) -> float:
        """Interrupts as the kernelspec says (message on control, or a signal); returns the time sent."""
        sent_at = time.perf_counter()
        self.manager.interrupt_kernel()
        return sent_at

    def close(self) -> None:
        try:
            self.client.stop_channels()
        finally:
            if self.manager.has_kernel:
                self.manager.shutdown_kernel(now=True)
