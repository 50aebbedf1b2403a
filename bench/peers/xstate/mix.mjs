// jszb's lifecycle mix (BM_EngineLifecycleMix, bench/engine_bench.cc) on XState v5:
// one actor per case, the transitions and guards of jszb's table for the states
// the mix visits, the context recording what each event changes. See
// bench/peers/README.md for the correspondence, command by command.
//
//   node mix.mjs [--repetitions 5] [--cases 40000] [--warmup 20000]
//
// Prints each repetition, the median, and a last line of JSON.
import { readFileSync } from 'node:fs';
import { and, assign, createActor, setup } from 'xstate';

// ------------------------------------------------------------------ the mix's data
// bench/mix_commands.h: the same units, actors, texts and times.

const kT0 = 1632009600000;
const kMinute = 60000;
const kStreet = 110105007;
const kStreet2 = 110105026;
const kDistrict = 110105;
const kCopyTo = [kDistrict];
const kMaxExtensions = 1; // EngineOptions::max_extensions

const dispatcher = { role: 'dispatcher', unit: 0, user: 2001 };
const operator = { role: 'operator', unit: 0, user: 1001 };
const units = new Map([kStreet, kStreet2].map((u) => [u, { role: 'unit', unit: u, user: 0 }]));

const intakeTemplate = {
  actor: operator,
  channel: 'phone',
  kind: 'complaint',
  category: ['城乡建设', '施工管理', '夜间施工扰民'],
  urgency: 'normal',
  location: { district: '朝阳区', street: '和平街街道', address: '和平东街12号院' },
  content: '小区南侧工地夜间施工，噪音扰民，希望尽快处理。',
  contact: { name: '王女士', phone: '13800000000' },
};
const returnReason = '不属于本街道管辖';
const extensionReason = '需协调产权单位';
const replyText = '已协调施工方调整作业时间，夜间不再施工';

// bench/lifecycle_mix.h
function mixShape(index) {
  return { returned: index % 5 === 0, extended: index % 7 === 0, unsatisfied: index % 10 === 0 };
}

// ----------------------------------------------------------------- the machine
// Guards as in lib/lifecycle/lifecycle.cc.

const isCentre = (role) => role === 'operator' || role === 'dispatcher';
const isOwner = (context, event) =>
  event.actor.role === 'unit' && context.leadUnit !== 0 && event.actor.unit === context.leadUnit;

// What every accepted event does (projection.cc's applied()).
const stamp = (context, event) => ({
  lastEvent: event.time,
  eventCount: context.eventCount + 1,
});

// Two rows of jszb's table, one per target: to handling, or to co-handling
// when co-handlers are still to report.
const toHandling = (who, actions) => [
  { target: 'handling', guard: and([who, 'noCoHandlersPending']), actions },
  { target: 'coHandling', guard: and([who, 'coHandlersPending']), actions },
];

// The rows handling and co-handling share for the mix's commands.
const handlingRows = {
  REQUEST_EXTENSION: {
    target: 'extensionRequested',
    guard: and(['byOwner', 'extensionLeft']),
    actions: 'extensionRequested',
  },
  REPLY: { target: 'replied', guard: 'byOwner', actions: 'replied' },
};

// The context is what the case records (projection.cc), grouped so that it has
// at most 16 top-level keys: XState copies it with Object.assign({}, context,
// update) on every assign, and V8 turns an object built that way with more
// keys into a slow dictionary (a flat 23-key context ran about 2x slower; see
// bench/peers/README.md).
const lifecycle = setup({
  guards: {
    byCentre: ({ event }) => isCentre(event.actor.role),
    byReviewer: ({ event }) => event.actor.role === 'dispatcher',
    byOwner: ({ context, event }) => isOwner(context, event),
    ownerNotFixed: ({ context }) => !context.ownerFixed,
    extensionLeft: ({ context }) => context.extension.count < kMaxExtensions,
    coHandlersPending: ({ context }) => context.coPending !== 0,
    noCoHandlersPending: ({ context }) => context.coPending === 0,
    visitCallsForRedo: ({ context }) => {
      const v = context.visit;
      const content = v.satisfaction === 'satisfied' || v.satisfaction === 'basically_satisfied';
      return !(v.valid && v.solved && content);
    },
  },
  actions: {
    // assign_owner(): a new lead unit starts its cycle afresh.
    assignOwner: assign(({ context, event }) => ({
      ...stamp(context, event),
      leadUnit: event.unit,
      copyTo: event.copyTo,
      coHandlers: [],
      coPending: 0,
      times: { ...context.times, dispatched: event.time, signedFor: 0 },
      extension: { count: 0, requestedUntil: 0, until: 0, reason: '' },
    })),
    returnRequested: assign(({ context, event }) => ({
      ...stamp(context, event),
      returns: { count: context.returns.count + 1, reason: event.text },
    })),
    fixOwner: assign({ ownerFixed: true }),
    signed: assign(({ context, event }) => ({
      ...stamp(context, event),
      times: { ...context.times, signedFor: event.time },
    })),
    extensionRequested: assign(({ context, event }) => ({
      ...stamp(context, event),
      extension: { ...context.extension, requestedUntil: event.until, reason: event.text },
    })),
    extensionApproved: assign(({ context, event }) => {
      const x = context.extension;
      return {
        ...stamp(context, event),
        extension: {
          count: x.count + 1,
          requestedUntil: 0,
          until: event.until || x.requestedUntil,
          reason: x.reason,
        },
      };
    }),
    replied: assign(({ context, event }) => ({
      ...stamp(context, event),
      times: { ...context.times, replied: event.time },
      reply: { contacted: event.contacted, solved: event.solved, text: event.text },
    })),
    visited: assign(({ context, event }) => ({
      ...stamp(context, event),
      times: { ...context.times, visited: event.time },
      visit: {
        valid: event.validVisit,
        contacted: event.contacted,
        solved: event.solved,
        satisfaction: event.satisfaction,
      },
    })),
    redoOrdered: assign(({ context, event }) => ({
      ...stamp(context, event),
      redoCount: context.redoCount + 1,
      extension: { ...context.extension, count: 0 },
    })),
    closed: assign(({ context, event }) => ({
      ...stamp(context, event),
      times: { ...context.times, closed: event.time },
    })),
  },
}).createMachine({
  id: 'workOrder',
  initial: 'received',
  // The submission: the case as the intake describes it (case_from_submission()).
  context: ({ input }) => ({
    id: input.id,
    intake: input.intake,
    lastEvent: input.intake.time,
    eventCount: 1,
    leadUnit: 0,
    copyTo: [],
    coHandlers: [],
    coPending: 0,
    ownerFixed: false,
    times: { dispatched: 0, signedFor: 0, replied: 0, visited: 0, closed: 0 },
    returns: { count: 0, reason: '' },
    extension: { count: 0, requestedUntil: 0, until: 0, reason: '' },
    reply: null,
    visit: null,
    redoCount: 0,
  }),
  states: {
    received: {
      on: { DISPATCH: { target: 'dispatched', guard: 'byCentre', actions: 'assignOwner' } },
    },
    dispatched: {
      on: {
        // 签收 or 退单
        SIGN: toHandling('byOwner', 'signed'),
        REQUEST_RETURN: {
          target: 'returnRequested',
          guard: and(['byOwner', 'ownerNotFixed']),
          actions: 'returnRequested',
        },
      },
    },
    // the centre reviews a return: re-dispatch (改派) to a unit the review fixes
    returnRequested: {
      on: {
        APPROVE_RETURN: {
          target: 'dispatched',
          guard: 'byReviewer',
          actions: ['assignOwner', 'fixOwner'],
        },
      },
    },
    // 办理
    handling: { on: handlingRows },
    // Co-handling is where SIGN and APPROVE_EXTENSION go when co-handlers are
    // pending; the mix has none, but the guards that choose are evaluated.
    coHandling: { on: handlingRows },
    // 延期
    extensionRequested: {
      on: {
        APPROVE_EXTENSION: toHandling('byReviewer', 'extensionApproved'),
      },
    },
    // 反馈 → 回访 → 办结 or 重办
    replied: {
      on: { VISIT: { target: 'visited', guard: 'byCentre', actions: 'visited' } },
    },
    visited: {
      on: {
        REDO: {
          target: 'handling',
          guard: and(['byCentre', 'visitCallsForRedo']),
          actions: 'redoOrdered',
        },
        CLOSE: { target: 'closed', guard: 'byCentre', actions: 'closed' },
      },
    },
    // Not final: jszb reopens and appeals closed cases, so the actor lives on.
    closed: {},
  },
});

// ------------------------------------------------------------------- one case
// The commands of run_case() in bench/engine_bench.cc, in the same order.

const expectedEvents = (s) =>
  6 + (s.returned ? 2 : 0) + (s.extended ? 2 : 0) + (s.unsatisfied ? 3 : 0);

// Runs one case; returns its actor and the events it was sent (submission included).
function runCase(index) {
  let t = kT0 + index;
  const intake = { ...intakeTemplate, channelRef: String(index), time: t };
  const actor = createActor(lifecycle, { input: { id: index + 1, intake } }).start();
  const shape = mixShape(index);
  let owner = units.get(kStreet);
  const send = (event) => {
    event.time = t += kMinute;
    actor.send(event);
  };
  send({ type: 'DISPATCH', actor: dispatcher, unit: kStreet, copyTo: kCopyTo });
  if (shape.returned) {
    send({ type: 'REQUEST_RETURN', actor: owner, text: returnReason });
    send({ type: 'APPROVE_RETURN', actor: dispatcher, unit: kStreet2, copyTo: kCopyTo });
    owner = units.get(kStreet2);
  }
  send({ type: 'SIGN', actor: owner });
  if (shape.extended) {
    const until = t + 30 * 24 * 60 * kMinute;
    send({ type: 'REQUEST_EXTENSION', actor: owner, until, text: extensionReason });
    send({ type: 'APPROVE_EXTENSION', actor: dispatcher, until: 0 });
  }
  const reply = () =>
    send({ type: 'REPLY', actor: owner, contacted: true, solved: true, text: replyText });
  reply();
  if (shape.unsatisfied) {
    send({
      type: 'VISIT', actor: operator, validVisit: true, contacted: true, solved: false,
      satisfaction: 'not_satisfied',
    });
    send({ type: 'REDO', actor: operator });
    reply();
  }
  send({
    type: 'VISIT', actor: operator, validVisit: true, contacted: true, solved: true,
    satisfaction: 'satisfied',
  });
  send({ type: 'CLOSE', actor: operator });
  return actor;
}

// XState ignores an event without an enabled transition; jszb refuses it. A
// case that ends closed with one accepted event per command had none refused.
function check(actor, index) {
  const s = actor.getSnapshot();
  const want = expectedEvents(mixShape(index));
  if (s.value !== 'closed' || s.context.eventCount !== want) {
    throw new Error(
      `case ${index}: ended in ${s.value} after ${s.context.eventCount} accepted events, ` +
        `not closed after ${want}: the machine refused a command of the mix`,
    );
  }
  return want;
}

// -------------------------------------------------------------------- the run

function parseArgs(argv) {
  const opts = { repetitions: 5, cases: 40000, warmup: 20000 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    const value = Number(argv[i + 1]);
    if (!(name in opts) || !Number.isInteger(value) || value < (name === 'warmup' ? 0 : 1)) {
      throw new Error(`bad argument ${argv[i]} ${argv[i + 1] ?? ''}: ` +
        'expected --repetitions N, --cases N (N >= 1) or --warmup N (N >= 0)');
    }
    opts[name] = value;
  }
  return opts;
}

// One repetition: `cases` cases into a fresh set of actors, all kept alive to
// the end, as jszb's in-memory engine keeps every case of a benchmark run.
function repetition(cases) {
  if (globalThis.gc) globalThis.gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const actors = new Array(cases);
  let events = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < cases; ++i) actors[i] = runCase(i);
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  for (let i = 0; i < cases; ++i) events += check(actors[i], i);
  const heapPerCase = (process.memoryUsage().heapUsed - heapBefore) / cases;
  return { events, wallS, cpuS, eventsPerS: events / wallS, cpuEventsPerS: events / cpuS,
    casesPerS: cases / wallS, heapPerCase };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const xstateVersion = JSON.parse(
    readFileSync(new URL('./node_modules/xstate/package.json', import.meta.url)),
  ).version;
  console.log(`XState ${xstateVersion}, Node.js ${process.version}: ${opts.cases} cases per ` +
    `repetition, ${opts.repetitions} repetitions, ${opts.warmup} cases of warm-up` +
    (globalThis.gc ? ', GC before each repetition' : ''));
  if (opts.warmup > 0) repetition(opts.warmup);
  const reps = [];
  for (let r = 0; r < opts.repetitions; ++r) {
    const x = repetition(opts.cases);
    reps.push(x);
    console.log(`repetition ${r + 1}: ${x.events} events in ${x.wallS.toFixed(3)} s: ` +
      `${(x.eventsPerS / 1e3).toFixed(1)} k events/s (CPU ${x.cpuS.toFixed(3)} s: ` +
      `${(x.cpuEventsPerS / 1e3).toFixed(1)} k/s), ${(x.wallS / opts.cases * 1e6).toFixed(2)} ` +
      `µs and ${(x.heapPerCase / 1024).toFixed(2)} KiB of heap per case`);
  }
  const result = {
    peer: 'xstate',
    xstate: xstateVersion,
    node: process.version,
    repetitions: opts.repetitions,
    cases: opts.cases,
    events_per_case: reps[0].events / opts.cases,
    median_events_per_s: median(reps.map((x) => x.eventsPerS)),
    median_cpu_events_per_s: median(reps.map((x) => x.cpuEventsPerS)),
    median_cases_per_s: median(reps.map((x) => x.casesPerS)),
    median_heap_bytes_per_case: median(reps.map((x) => x.heapPerCase)),
  };
  console.log(`median: ${(result.median_events_per_s / 1e3).toFixed(1)} k events/s ` +
    `(CPU time: ${(result.median_cpu_events_per_s / 1e3).toFixed(1)} k/s), ` +
    `${(result.median_cases_per_s / 1e3).toFixed(2)} k cases/s, ` +
    `${result.events_per_case.toFixed(3)} events per case`);
  console.log(JSON.stringify(result));
}

try {
  main();
} catch (e) {
  console.error(`mix.mjs: ${e.message}`);
  process.exit(1);
}
