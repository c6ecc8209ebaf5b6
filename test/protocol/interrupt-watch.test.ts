/**
 * The interrupt hand-off between the main thread and the protocol worker, without threads or
 * sockets: the shared cell word's compare-and-swap rules (SharedState) and the worker's decision
 * to terminate (InterruptWatch) on a scripted clock.
 */
import { describe, expect, it } from "vitest";
import { BUSY_CPU_MS, INTERRUPT_ACK_MS, InterruptWatch, SHIELD_STOP_MS, systemClock, type WatchClock } from "../../kernel/bridge/interrupt-watch.js";
import { SharedState, STRAY_CALLBACK } from "../../kernel/bridge/shared-state.js";

/** A clock the test moves by hand; `cpu: undefined` models a system without per-thread CPU time. */
function scriptedClock(cpu: number | undefined = 0): WatchClock & { wall: number; cpu: number | undefined } {
  const clock = {
    wall: 0,
    cpu,
    now: () => clock.wall,
    mainThreadCpu: () => clock.cpu,
  };
  return clock;
}

describe("the shared cell word", () => {
  it("lets exactly one side win: an acknowledged interrupt can no longer be terminated", () => {
    const shared = new SharedState();
    shared.enterCell(3);
    expect(shared.cellState(3)).toBe("running");
    expect(shared.acknowledgeInterrupt(3)).toBe(true);
    expect(shared.cellState(3)).toBe("acknowledged");
    expect(shared.claimTerminate(3)).toBe(false);
    shared.leaveCell(3);
    expect(shared.cellState(3)).toBe("other");
  });

  it("a claimed terminate makes the main thread's acknowledgement fail, and the word clears when it is done", () => {
    const shared = new SharedState();
    shared.enterCell(4);
    expect(shared.claimTerminate(4)).toBe(true);
    expect(shared.cellState(4)).toBe("terminating");
    expect(shared.claimTerminate(4)).toBe(false); // claimed once only
    shared.terminateDone(4);
    expect(shared.cellState(4)).toBe("other");
    // The main thread arriving after the terminate finished: nothing to wait for, nothing to acknowledge.
    expect(shared.acknowledgeInterrupt(4)).toBe(false);
    shared.leaveCell(4);
    expect(shared.cellState(4)).toBe("other");
  });

  it("never lets a terminate for one cell be claimed in another or between cells", () => {
    const shared = new SharedState();
    expect(shared.claimTerminate(1)).toBe(false); // no cell yet
    shared.enterCell(1);
    shared.leaveCell(1);
    expect(shared.claimTerminate(1)).toBe(false); // cell 1 is over
    shared.enterCell(2);
    expect(shared.claimTerminate(1)).toBe(false); // cell 2 is not cell 1
    expect(shared.cellState(2)).toBe("running");
  });

  it("holds off a terminate while the main thread is shielded, and allows it again afterwards", () => {
    const shared = new SharedState();
    expect(shared.shield()).toBeUndefined(); // no cell: nothing to shield
    shared.enterCell(5);
    const token = shared.shield();
    expect(token).toBe(5);
    expect(shared.cellState(5)).toBe("shielded");
    expect(shared.shield()).toBeUndefined(); // nested: the outer shield holds
    expect(shared.claimTerminate(5)).toBe(false);
    expect(shared.claimTerminate(5, "memory", 900)).toBe(false);
    shared.unshield(token!);
    expect(shared.cellState(5)).toBe("running");
    expect(shared.claimTerminate(5)).toBe(true);
  });

  it("names the process of shielded work only while the shield holds, and passes on once that it was stopped", () => {
    const shared = new SharedState();
    shared.enterCell(7);
    const token = shared.shield(4242)!;
    expect(shared.shieldedProcess(7)).toBe(4242);
    expect(shared.shieldedProcess(8)).toBe(0); // another cell's interrupt stops nothing
    shared.markShieldStopped(7);
    shared.unshield(token);
    expect(shared.shieldedProcess(7)).toBe(0);
    expect(shared.takeShieldStopped()).toBe(true);
    expect(shared.takeShieldStopped()).toBe(false);
    // Work without a process of its own: nothing to stop.
    const plain = shared.shield()!;
    expect(shared.shieldedProcess(7)).toBe(0);
    shared.unshield(plain);
  });

  it("marks a timer's callback outside any cell as one a terminate may stop, and never one inside a cell", () => {
    const shared = new SharedState();
    expect(shared.enterStrayCallback()).toBe(true);
    expect(shared.cellState(STRAY_CALLBACK)).toBe("running");
    expect(shared.claimTerminate(STRAY_CALLBACK)).toBe(true);
    shared.terminateDone(STRAY_CALLBACK);
    expect(shared.cellState(STRAY_CALLBACK)).toBe("other");
    // A callback that ends before any claim leaves the word clear.
    expect(shared.enterStrayCallback()).toBe(true);
    shared.leaveStrayCallback();
    expect(shared.claimTerminate(STRAY_CALLBACK)).toBe(false);
    // Inside a cell the cell's own word covers its timers.
    shared.enterCell(3);
    expect(shared.enterStrayCallback()).toBe(false);
    expect(shared.cellState(3)).toBe("running");
    shared.leaveCell(3);
  });

  it("does not shield an acknowledged cell (no terminate can come) and leaves its acknowledgement alone", () => {
    const shared = new SharedState();
    shared.enterCell(6);
    shared.acknowledgeInterrupt(6);
    expect(shared.shield()).toBeUndefined();
    expect(shared.cellState(6)).toBe("acknowledged");
    shared.leaveCell(6);
    expect(shared.cellState(6)).toBe("other");
  });
});

describe("InterruptWatch", () => {
  it("terminates once the main thread has computed BUSY_CPU_MS without acknowledging", () => {
    const shared = new SharedState();
    shared.enterCell(7);
    const clock = scriptedClock(500);
    const watch = new InterruptWatch(shared, 7, clock);
    clock.wall += 2;
    clock.cpu! += BUSY_CPU_MS - 1;
    expect(watch.check()).toBe("wait");
    clock.wall += 1;
    clock.cpu! += 1;
    expect(watch.check()).toBe("terminate");
  });

  it("keeps waiting while the main thread does not run (a loaded machine), up to INTERRUPT_ACK_MS", () => {
    const shared = new SharedState();
    shared.enterCell(8);
    const clock = scriptedClock(100);
    const watch = new InterruptWatch(shared, 8, clock);
    clock.wall += INTERRUPT_ACK_MS - 1;
    expect(watch.check()).toBe("wait");
    clock.wall += 1;
    expect(watch.check()).toBe("terminate"); // e.g. asleep in a synchronous prompt
  });

  it("stops as soon as the main thread acknowledges, however busy it was", () => {
    const shared = new SharedState();
    shared.enterCell(9);
    const clock = scriptedClock(0);
    const watch = new InterruptWatch(shared, 9, clock);
    shared.acknowledgeInterrupt(9);
    clock.cpu! += 50;
    clock.wall += 500;
    expect(watch.check()).toBe("stop");
  });

  it("stops when the cell ends or was never started", () => {
    const shared = new SharedState();
    const clock = scriptedClock(0);
    expect(new InterruptWatch(shared, 10, clock).check()).toBe("stop");
    shared.enterCell(10);
    const watch = new InterruptWatch(shared, 10, clock);
    expect(watch.check()).toBe("wait");
    shared.leaveCell(10);
    clock.cpu! += 50;
    expect(watch.check()).toBe("stop");
  });

  it("waits while the main thread is shielded, then measures afresh from when the shield is lifted", () => {
    const shared = new SharedState();
    shared.enterCell(12);
    const clock = scriptedClock(0);
    const watch = new InterruptWatch(shared, 12, clock);
    const token = shared.shield()!;
    clock.cpu! += 50;
    clock.wall += INTERRUPT_ACK_MS * 3;
    expect(watch.check()).toBe("wait");
    shared.unshield(token);
    expect(watch.check()).toBe("wait"); // the CPU and wall time spent shielded do not count
    clock.cpu! += BUSY_CPU_MS;
    clock.wall += BUSY_CPU_MS;
    expect(watch.check()).toBe("terminate");
  });

  it("asks once to stop the shielded work's process when the shield outlasts SHIELD_STOP_MS", () => {
    const shared = new SharedState();
    shared.enterCell(13);
    const clock = scriptedClock(0);
    const watch = new InterruptWatch(shared, 13, clock);
    const token = shared.shield(99)!;
    expect(watch.check()).toBe("wait");
    clock.wall += SHIELD_STOP_MS - 1;
    expect(watch.check()).toBe("wait");
    clock.wall += 1;
    expect(watch.check()).toBe("stop-shielded");
    clock.wall += SHIELD_STOP_MS;
    expect(watch.check()).toBe("wait"); // asked once; the exchange ends when its process does
    shared.unshield(token);
    shared.acknowledgeInterrupt(13);
    expect(watch.check()).toBe("stop");
  });

  it("falls back to wall time where the main thread's CPU time cannot be read", () => {
    const shared = new SharedState();
    shared.enterCell(11);
    const clock = scriptedClock(undefined);
    const watch = new InterruptWatch(shared, 11, clock);
    clock.wall += INTERRUPT_ACK_MS / 2;
    expect(watch.check()).toBe("wait");
    clock.wall += INTERRUPT_ACK_MS / 2;
    expect(watch.check()).toBe("terminate");
  });

  it("reads this process's main-thread CPU time on Linux, and it grows while this thread computes", () => {
    const before = systemClock.mainThreadCpu();
    if (process.platform !== "linux") {
      expect(before).toBeUndefined();
      return;
    }
    expect(typeof before).toBe("number");
    let sink = 0;
    for (let i = 0; i < 2e7; i++) sink += i % 7;
    expect(sink).toBeGreaterThan(0);
    expect(systemClock.mainThreadCpu()!).toBeGreaterThan(before!);
  });
});
