"""Kernel benchmark driver: launches each kernel several times through jupyter_client and prints
one JSON document of raw measurements on stdout (role: measuring; bench/kernel/run.js makes
the table). Progress goes to stderr.

Launches are interleaved across kernels (launch 1 of every kernel, then launch 2, ...) so that
load from other work on the machine falls on all of them alike.

Usage (run.js sets JUPYTER_PATH to a temporary folder holding the kernelspecs):
    .venv/bin/python bench/kernel/driver.py --kernels gradlab,tslab,deno,python3 --launches 4 \\
        [--trivial 50] [--growth 300] [--operators gradlab,gradlab-nooperators]
"""
import argparse
import json
import math
import os
import re
import statistics
import sys
import time

from jupyter_client.kernelspec import KernelSpecManager

import cells
from procmem import tree_rss_mb
from session import KernelSession, Outcome


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


class Launch:
    """Measurements of one launch of one kernel; anomalies are kept as text for the report."""

    def __init__(self, kernel: str, language: str, index: int):
        self.kernel, self.language, self.index = kernel, language, index
        self.data: dict[str, object] = {"anomalies": []}

    def note(self, text: str) -> None:
        log(f"  ! {self.kernel} launch {self.index + 1}: {text}")
        self.data["anomalies"].append(text)  # type: ignore[union-attr]

    def timed(self, session: KernelSession, code: str, label: str, timeout: float = 60.0) -> Outcome:
        outcome = session.execute(code, timeout)
        if outcome.status != "ok":
            self.note(f"{label}: {outcome.status} {outcome.ename} {outcome.text[:200]!r}")
        if outcome.idle_missing:
            self.note(f"{label}: no idle status within 2 s of the reply")
        return outcome


def rss_slope(samples: list[tuple[int, float]]) -> float:
    """Least-squares slope of RSS (MB) over cell index: MB per cell."""
    xs, ys = [s[0] for s in samples], [s[1] for s in samples]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def measure_growth(run: Launch, session: KernelSession, make_cell, count: int, label: str) -> dict:
    samples = [(0, tree_rss_mb(session.pid))]
    failures = 0
    for i in range(1, count + 1):
        if run.timed(session, make_cell(i), f"{label} cell {i}").status != "ok":
            failures += 1
            if failures > 3:
                run.note(f"{label}: stopped after {failures} failures")
                break
        if i % 25 == 0:
            samples.append((i, tree_rss_mb(session.pid)))
    return {
        "cells": samples[-1][0],
        "slope_mb_per_cell": rss_slope(samples) if len(samples) > 2 else None,
        "first_mb": samples[0][1],
        "last_mb": samples[-1][1],
        "samples": samples,
    }


def measure_interrupt(run: Launch, session: KernelSession, code: str, label: str) -> dict:
    """Starts `code`, interrupts it after 0.5 s, times interrupt → reply, then checks state."""
    msg_id, _ = session.send(code)
    time.sleep(0.5)
    interrupted_at = session.interrupt()
    outcome = session.wait(msg_id, interrupted_at, timeout=5.0)
    result: dict[str, object] = {"status": outcome.status, "ename": outcome.ename, "ms": outcome.reply_ms, "done_ms": outcome.ms}
    if outcome.status in ("died", "timeout") or not session.alive():
        result["alive"] = session.alive()
        run.note(f"{label}: {outcome.status} after interrupt; kernel alive: {session.alive()}")
        return result
    time.sleep(0.3)  # tslab aborts requests arriving within 200 ms of an error
    check = session.execute(cells.SURVIVOR_READ[run.language], timeout=10.0)
    result["alive"] = session.alive()
    result["state_kept"] = check.status == "ok" and "42" in check.text
    if not result["state_kept"]:
        run.note(f"{label}: state after interrupt: {check.status} {check.text[:120]!r}")
    return result


def one_launch(kernel: str, language: str, index: int, args: argparse.Namespace) -> dict:
    run = Launch(kernel, language, index)
    session = KernelSession(kernel)
    data = run.data
    try:
        data["launch_s"] = session.launch_s
        info = session.kernel_info
        data["implementation"] = f"{info.get('implementation')} {info.get('implementation_version')}"
        typescript = language == "typescript"
        first = cells.FIRST_CHECKED_TS if typescript else "first_cell = [1, 2, 3]\nlen(first_cell)"
        msg_id, sent_at = session.send(first)
        outcome = session.wait(msg_id, sent_at)
        data["first_cell_s"] = sent_at - session.started_at + outcome.ms / 1000
        if outcome.status != "ok":
            run.note(f"first cell: {outcome.status} {outcome.text[:200]!r}")
        if typescript:
            checked = session.execute(cells.TYPE_ERROR_TS)
            data["checks_types"] = checked.status == "error"
            time.sleep(0.3)  # outside any timed section: tslab aborts requests for 200 ms after an error
        run.timed(session, cells.SURVIVOR_DEFINE[language], "define survivor")
        # Every timed cell is a new text: a checker answers a repeated cell from its unchanged
        # program, which would measure a cache instead of a cell.
        fresh = iter(range((index + 1) * 1_000_000, (index + 2) * 1_000_000))
        for _ in range(3):
            session.execute(cells.trivial_cell(next(fresh)))
        trivial = [run.timed(session, cells.trivial_cell(next(fresh)), "trivial").ms for _ in range(args.trivial)]
        data["trivial_ms"] = statistics.median(trivial)
        if typescript:
            base = (index + 1) * 1000
            data["nine_ms"] = statistics.median(
                run.timed(session, cells.nine_line_cell(base + i), "9-line cell").ms for i in range(args.nine)
            )
            data["hundred_ms"] = statistics.median(
                run.timed(session, cells.hundred_one_line_cell(base + i), "101-line cell").ms for i in range(args.hundred)
            )
            data["records_ms"] = statistics.median(
                run.timed(session, cells.records_cell(base + i), "101-line records cell").ms for i in range(args.hundred)
            )
        data["rss_mb"] = tree_rss_mb(session.pid)
        if index == 0 and args.growth > 0:
            log(f"  {kernel}: growth over {args.growth} new cells")
            data["growth_new"] = measure_growth(run, session, lambda i: cells.growth_cell(language, 100000 + i), args.growth, "growth")
            log(f"  {kernel}: growth over {args.rerun} re-runs of one cell")
            same = cells.growth_cell(language, 99999)
            data["growth_rerun"] = measure_growth(run, session, lambda i: same, args.rerun, "re-run")
        data["interrupt_loop"] = measure_interrupt(run, session, cells.BUSY_LOOP[language], "interrupt busy loop")
        if session.alive():
            data["interrupt_await"] = measure_interrupt(run, session, cells.PENDING_AWAIT[language], "interrupt pending await")
    except Exception as error:  # one broken launch must not lose the others' numbers
        run.note(f"launch failed: {type(error).__name__}: {error}")
    finally:
        session.close()
    return data


LOOP_RESULT = re.compile(r"(-?[\d.e+]+)\s*,\s*([\d.e+-]+)")


def operators_phase(with_name: str, without_name: str, rounds: int) -> dict:
    """The number-only loop cell on a kernel with the tensor-operators rewrite and one without,
    alternated; reports round trips and the loop time the cell measures itself."""
    result: dict[str, object] = {"anomalies": []}
    sessions = {"with": KernelSession(with_name), "without": KernelSession(without_name)}
    try:
        for side, session in sessions.items():
            msg_id, sent_at = session.send(cells.tensor_operator_cell(1))
            probe = session.wait(msg_id, sent_at, timeout=60)
            result[f"{side}_tensor_operator_cell"] = f"{probe.status}: {probe.text[:100]}"
            # The first cell after launch here uses the preloaded library: gradlab's realistic first cell.
            result[f"{side}_first_library_cell_s"] = sent_at - session.started_at + probe.ms / 1000
            time.sleep(0.3)
            session.execute(cells.number_loop_cell(0), timeout=60)  # warm: compiler and JIT
        samples: dict[str, list[tuple[float, float]]] = {"with": [], "without": []}
        failures = {"with": 0, "without": 0}
        for i in range(1, rounds + 1):
            for side in (("with", "without") if i % 2 else ("without", "with")):
                if failures[side] >= 3:
                    continue  # a broken side (e.g. a crashed compiler worker) is reported, not retried
                outcome = sessions[side].execute(cells.number_loop_cell(i), timeout=60)
                match = LOOP_RESULT.search(outcome.text)
                if outcome.status != "ok" or not match:
                    failures[side] += 1
                    result["anomalies"].append(f"{side}: {outcome.status} {outcome.text[:160]!r}")  # type: ignore[union-attr]
                    continue
                samples[side].append((outcome.ms, float(match.group(2))))
        for side, pairs in samples.items():
            if pairs:
                result[side] = {
                    "round_trip_ms": statistics.median(p[0] for p in pairs),
                    "loop_ms": statistics.median(p[1] for p in pairs),
                    "loop_min_ms": min(p[1] for p in pairs),
                    "loop_max_ms": max(p[1] for p in pairs),
                    "round_trip_min_ms": min(p[0] for p in pairs),
                    "round_trip_max_ms": max(p[0] for p in pairs),
                    "overhead_ms": statistics.median(p[0] - p[1] for p in pairs),
                    "n": len(pairs),
                }
    finally:
        for session in sessions.values():
            session.close()
    return result


def finite(value: object) -> object:
    """The report with NaN and infinities as null, so that it is strict JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kernels", default="gradlab,tslab,deno,python3")
    parser.add_argument("--launches", type=int, default=4)
    parser.add_argument("--trivial", type=int, default=50)
    parser.add_argument("--nine", type=int, default=8)
    parser.add_argument("--hundred", type=int, default=5)
    parser.add_argument("--growth", type=int, default=300)
    parser.add_argument("--rerun", type=int, default=150)
    parser.add_argument("--operators", default="", help="WITH,WITHOUT kernel names for the issue-6 loop entry")
    parser.add_argument("--operator-rounds", type=int, default=20)
    args = parser.parse_args()

    specs = KernelSpecManager()
    kernels = [k for k in args.kernels.split(",") if k]
    languages = {k: specs.get_kernel_spec(k).language.lower() for k in kernels}
    report: dict[str, object] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "cpus": os.cpu_count(),
        "loadavg_start": os.getloadavg()[0],
        "kernels": {k: {"language": languages[k], "launches": []} for k in kernels},
    }
    began = time.perf_counter()
    for index in range(args.launches):
        for kernel in kernels:
            log(f"{kernel}: launch {index + 1}/{args.launches}")
            data = one_launch(kernel, languages[kernel], index, args)
            report["kernels"][kernel]["launches"].append(data)  # type: ignore[index]
    if args.operators:
        with_name, without_name = args.operators.split(",")
        log(f"operators: {with_name} vs {without_name}, {args.operator_rounds} rounds")
        try:
            report["operators"] = operators_phase(with_name, without_name, args.operator_rounds)
        except Exception as error:
            report["operators"] = {"anomalies": [f"failed: {type(error).__name__}: {error}"]}
    report["loadavg_end"] = os.getloadavg()[0]
    report["seconds"] = time.perf_counter() - began
    json.dump(finite(report), sys.stdout, indent=1, default=str, allow_nan=False)
    print()


if __name__ == "__main__":
    main()
