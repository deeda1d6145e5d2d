import { cpus } from 'node:os';
import { percentile, PINNED, PIN_CPU, type CpuMeter } from './bench-processes';
import { BLOCKS, CONCURRENCY, COUNT, DURATION_S, RATE, WARMUP } from './gateway-settings';

/** The gateway bench's table, from what its phases measured. */
export interface GatewayBenchResult {
  latencyCount: number;
  latency: {
    latency: { gateway: number[]; bare: number[]; forward: number[]; update: number[] };
    cpu: { gateway: CpuMeter; bare: CpuMeter };
  };
  throughput: {
    seconds: { gateway: number; bare: number; gatewayAcks: number; gatewayShown: number };
    cpu: { gateway: CpuMeter; bare: CpuMeter };
  };
  benchCpus: string | undefined;
  /** how many clicks were checked to be forwarded exactly once */
  checked: number;
}

/** issue 11's target: at 300 clicks/s on one core, ack p99 and forward p99 under these */
const TARGET_RATE = 300;
const TARGET_ACK_P99_MS = 50;
const TARGET_FORWARD_P99_MS = 100;

const ms = (v: number) => `${v.toFixed(1)} ms`;
const x = (v: number) => `${v.toFixed(1)}x`;
const row = (name: string, g: string, b: string, ratio: string) =>
  console.log(`${name.padEnd(44)}${g.padStart(12)}${b.padStart(12)}${ratio.padStart(10)}`);
const perClick = (m: CpuMeter, clicks: number, digits: number) => `${(m.run / clicks).toFixed(digits)} ms`;
const cpuRatio = (g: CpuMeter, b: CpuMeter) => (b.run > 0 ? x(g.run / b.run) : '');

export function printReport(result: GatewayBenchResult): void {
  const p99 = printLatency(result);
  printThroughput(result);
  const met = p99.ack < TARGET_ACK_P99_MS && p99.forward < TARGET_FORWARD_P99_MS;
  console.log(
    `target, at ${TARGET_RATE} clicks/s on one core ack p99 < ${TARGET_ACK_P99_MS} ms and forward p99 < ${TARGET_FORWARD_P99_MS} ms: ${
      RATE < TARGET_RATE ? `not tested (RATE=${RATE})` : met ? 'MET' : 'NOT MET'
    } (${ms(p99.ack)} and ${ms(p99.forward)} at ${RATE}/s${PINNED ? '' : ', not pinned to one core'})`,
  );
  console.log(
    `checked: ${result.checked} clicks (${WARMUP} warm-up), each forwarded exactly once, shown with chat.update, recorded as delivered`,
  );
  console.log(
    `reproduce: npm run bench   (this part only: npm run build && RATE=${RATE} DURATION=${DURATION_S} COUNT=${COUNT} CONCURRENCY=${CONCURRENCY} npx tsx bench/gateway.ts)`,
  );
}

/** The rows at a fixed rate; the gateway's ack and forward p99. */
function printLatency({ latencyCount, latency: { latency, cpu }, benchCpus }: GatewayBenchResult): {
  ack: number;
  forward: number;
} {
  const p50 = { gateway: percentile(latency.gateway, 0.5), bare: percentile(latency.bare, 0.5) };
  const p99 = { gateway: percentile(latency.gateway, 0.99), bare: percentile(latency.bare, 0.99) };
  const pin = PINNED
    ? `servers pinned to CPU ${PIN_CPU}, load generator and fakes to ${benchCpus ?? 'any'}`
    : 'nothing pinned';
  console.log();
  console.log(
    `slackline gateway vs a bare node:http server, ${BLOCKS} interleaved blocks each (node ${process.version}, ${cpus().length} CPUs, ${pin})`,
  );
  row('measure', 'gateway', 'bare', 'gw/bare');
  row(
    `ack p50 @${RATE}/s (${latencyCount} clicks)`,
    ms(p50.gateway),
    ms(p50.bare),
    x(p50.gateway / p50.bare),
  );
  row(`ack p99 @${RATE}/s`, ms(p99.gateway), ms(p99.bare), x(p99.gateway / p99.bare));
  row(`forward received p50 @${RATE}/s (end to end)`, ms(percentile(latency.forward, 0.5)), '-', '');
  row(`forward received p99 @${RATE}/s`, ms(percentile(latency.forward, 0.99)), '-', '');
  row(`chat.update received p99 @${RATE}/s`, ms(percentile(latency.update, 0.99)), '-', '');
  if (cpu.gateway.run > 0) {
    row(
      `server CPU per click @${RATE}/s`,
      perClick(cpu.gateway, latencyCount, 2),
      perClick(cpu.bare, latencyCount, 3),
      cpuRatio(cpu.gateway, cpu.bare),
    );
    const busy = (100 * cpu.gateway.run) / cpu.gateway.wall;
    row(`  gateway CPU busy, ${RATE}/s blocks to drained`, `${busy.toFixed(0)}%`, '', '');
    row(
      `  event loop waiting for the CPU, per click`,
      `${(cpu.gateway.wait / latencyCount).toFixed(2)} ms`,
      `${(cpu.bare.wait / latencyCount).toFixed(3)} ms`,
      '',
    );
  }
  return { ack: p99.gateway, forward: percentile(latency.forward, 0.99) };
}

/** The rows of the closed loop. */
function printThroughput({ throughput: { seconds, cpu: cpuThroughput } }: GatewayBenchResult): void {
  const perSecond = { gateway: COUNT / seconds.gateway, bare: COUNT / seconds.bare };
  row(
    `clicks/s end to end, ${CONCURRENCY} in flight (${COUNT})`,
    perSecond.gateway.toFixed(0),
    perSecond.bare.toFixed(0),
    `${(perSecond.gateway / perSecond.bare).toFixed(3)}x`,
  );
  row(`  gateway acks/s in that run`, (COUNT / seconds.gatewayAcks).toFixed(0), '', '');
  row(`  gateway clicks/s to the last chat.update`, (COUNT / seconds.gatewayShown).toFixed(0), '', '');
  if (cpuThroughput.gateway.run > 0) {
    row(
      `server CPU per click, ${CONCURRENCY} in flight`,
      perClick(cpuThroughput.gateway, COUNT, 2),
      perClick(cpuThroughput.bare, COUNT, 3),
      cpuRatio(cpuThroughput.gateway, cpuThroughput.bare),
    );
  }
}
