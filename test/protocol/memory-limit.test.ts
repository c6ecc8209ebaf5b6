/**
 * The memory limit's arithmetic (environment, cap below V8's heap limit, headroom for a kernel
 * already above it) and the watchdog's decision, on a scripted memory reading.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_MEMORY_MB, MEMORY_HEADROOM_MB, memoryLimit, memoryStopMessage, stopThresholdMb } from "../../kernel/bridge/memory-limit.js";
import { MEMORY_POLL_MS, MemoryWatch } from "../../kernel/bridge/memory-watch.js";

describe("the memory limit", () => {
  it("defaults, reads GRADLAB_MEMORY_MB, and never exceeds 90% of V8's heap limit", () => {
    expect(memoryLimit({}, 4000)).toEqual({ megabytes: DEFAULT_MEMORY_MB, capMb: 3600 });
    expect(memoryLimit({ GRADLAB_MEMORY_MB: "2048" }, 4000).megabytes).toBe(2048);
    expect(memoryLimit({ GRADLAB_MEMORY_MB: "9000" }, 4000).megabytes).toBe(3600);
    expect(memoryLimit({ GRADLAB_MEMORY_MB: "0" }, 4000).megabytes).toBe(3600);
    expect(memoryLimit({ GRADLAB_MEMORY_MB: "lots" }, 4000)).toMatchObject({ megabytes: DEFAULT_MEMORY_MB, problem: expect.stringMatching(/not a number/) });
  });

  it("lets a cell that starts above the limit grow a little, up to the cap", () => {
    const limit = memoryLimit({ GRADLAB_MEMORY_MB: "1000" }, 2000);
    expect(stopThresholdMb(limit, 200)).toBe(1000);
    expect(stopThresholdMb(limit, 1200)).toBe(1200 + MEMORY_HEADROOM_MB);
    expect(stopThresholdMb(limit, 1780)).toBe(1800);
  });

  it("says the limit and how to change it", () => {
    expect(memoryStopMessage(memoryLimit({}, 4000), 1030)).toMatch(/reached 1030 MB, over its memory limit of 1024 MB\. Set GRADLAB_MEMORY_MB/);
  });
});

describe("the memory watchdog", () => {
  it("calls over() once, when the reading passes the threshold, and not after the watch ends", async () => {
    const reader = { mb: 300, residentMb: () => reader.mb };
    const watch = new MemoryWatch(memoryLimit({ GRADLAB_MEMORY_MB: "500" }, 4000), reader);
    const readings: number[] = [];
    const end = watch.watch((mb) => readings.push(mb) > 0);
    const ticks = (n: number) => new Promise((resolve) => setTimeout(resolve, n * MEMORY_POLL_MS * 3));
    await ticks(2);
    expect(readings).toEqual([]);
    reader.mb = 520;
    await ticks(3);
    expect(readings).toEqual([520]);
    reader.mb = 900;
    await ticks(2);
    expect(readings).toEqual([520]);
    end();
    const later = new MemoryWatch(memoryLimit({ GRADLAB_MEMORY_MB: "500" }, 4000), reader);
    reader.mb = 100;
    const endLater = later.watch((mb) => readings.push(mb) > 0);
    endLater();
    reader.mb = 900;
    await ticks(2);
    expect(readings).toEqual([520]);
  });

  it("keeps watching while over() could not act", async () => {
    const reader = { mb: 100, residentMb: () => reader.mb };
    const watch = new MemoryWatch(memoryLimit({ GRADLAB_MEMORY_MB: "500" }, 4000), reader);
    let calls = 0;
    const acted = new Promise<void>((resolve) => {
      watch.watch(() => {
        calls += 1;
        if (calls < 3) return false;
        resolve();
        return true;
      });
    });
    reader.mb = 600;
    await acted;
    expect(calls).toBe(3);
  });
});
