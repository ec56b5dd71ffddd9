// node --test tests/js : bursts announced once, with their count (static/js/live/burst.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { ANNOUNCE_EVERY_MS, GATHER_MS, burstAnnouncer } from "../../static/js/live/burst.js";

/** A fake clock: `later` queues timers, `run(ms)` moves time on and fires what is due. */
function fakeClock() {
  let time = 50000;
  const timers = [];
  return {
    now: () => time,
    later: (fn, ms) => { timers.push({ at: time + ms, fn }); },
    run(ms) {
      const end = time + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        if (!timers.length || timers[0].at > end) break;
        const timer = timers.shift();
        time = timer.at;
        timer.fn();
      }
      time = end;
    },
  };
}

function announcer() {
  const clock = fakeClock();
  const said = [];
  const burst = burstAnnouncer((count) => `${count} new`, (text) => said.push(text), clock);
  return { clock, said, burst };
}

test("six events at once are announced once, with their count", () => {
  const { clock, said, burst } = announcer();
  for (let i = 0; i < 6; i += 1) { burst.add(); clock.run(25); }
  assert.deepEqual(said, []);
  clock.run(GATHER_MS);
  assert.deepEqual(said, ["6 new"]);
  clock.run(ANNOUNCE_EVERY_MS * 3);
  assert.deepEqual(said, ["6 new"]);
});

test("a lone event is announced after the gathering wait", () => {
  const { clock, said, burst } = announcer();
  burst.add();
  clock.run(GATHER_MS - 1);
  assert.deepEqual(said, []);
  clock.run(1);
  assert.deepEqual(said, ["1 new"]);
});

test("what comes in soon after an announcement is counted into the next, not dropped", () => {
  const { clock, said, burst } = announcer();
  burst.add();
  clock.run(GATHER_MS);
  burst.add();
  clock.run(2000);
  burst.add(2);
  clock.run(ANNOUNCE_EVERY_MS - 2000 - 1);
  assert.deepEqual(said, ["1 new"]);
  clock.run(1);
  assert.deepEqual(said, ["1 new", "3 new"]);
});

test("after a quiet spell the next event waits only the gathering time", () => {
  const { clock, said, burst } = announcer();
  burst.add();
  clock.run(GATHER_MS + ANNOUNCE_EVERY_MS * 2);
  burst.add();
  clock.run(GATHER_MS);
  assert.deepEqual(said, ["1 new", "1 new"]);
});
