import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';

/**
 * The reference engines (Jinja2 and PyYAML, through test/differential/reference.py) in ONE python3 process per
 * suite: requests are batched, one JSON line each way, so hundreds of cases cost one interpreter start-up.
 */

const SCRIPT = join(__dirname, '..', 'differential', 'reference.py');

/** A Python value with its type, as reference.py tags it: ['int', '1000'], ['float', '2.0'], ['str', 'x'], … */
export type Tagged =
  | ['null']
  | ['bool', boolean]
  | ['int', string]
  | ['float', string]
  | ['str', string]
  | ['list', Tagged[]]
  | ['dict', [Tagged, Tagged][]]
  | ['other', string, string];

export interface RenderCase {
  template: string;
  /** YAML text, read by PyYAML on the reference side and by our parseYaml on ours. */
  context: string;
}
export type RenderAnswer = { ok: true; text: string } | { ok: false; error: string };
export type LoadAnswer = { ok: true; value: Tagged } | { ok: false; error: string };

export class PythonReference {
  private readonly lines: Interface;
  private readonly pending: ((line: string) => void)[] = [];

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout });
    this.lines.on('line', (line) => this.pending.shift()?.(line));
  }

  static start(): PythonReference {
    return new PythonReference(spawn('python3', [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  render(cases: RenderCase[]): Promise<RenderAnswer[]> {
    return this.call({ op: 'render', cases }) as Promise<RenderAnswer[]>;
  }

  /** yaml.dump(value, default_flow_style=False, sort_keys=False): what cicdstatemgr stores. */
  dump(values: Tagged[]): Promise<string[]> {
    return this.call({ op: 'dump', values }) as Promise<string[]>;
  }

  load(texts: string[]): Promise<LoadAnswer[]> {
    return this.call({ op: 'load', texts }) as Promise<LoadAnswer[]>;
  }

  stop(): void {
    this.lines.close();
    this.child.stdin.end();
    this.child.kill();
  }

  private call(request: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let stderr = '';
      const onStderr = (chunk: Buffer) => (stderr += chunk.toString());
      const onExit = (code: number | null) => reject(new Error(`reference.py exited (${code}): ${stderr}`));
      this.child.stderr.on('data', onStderr);
      this.child.once('exit', onExit);
      this.pending.push((line) => {
        this.child.stderr.off('data', onStderr);
        this.child.off('exit', onExit);
        resolve(JSON.parse(line));
      });
      this.child.stdin.write(JSON.stringify(request) + '\n');
    });
  }
}

let available: boolean | undefined;
let announced = false;

/** Whether python3 with jinja2 and yaml can be imported here (checked once per run). */
export function referenceAvailable(): boolean {
  available ??= spawnSync('python3', ['-c', 'import jinja2, yaml'], { stdio: 'ignore' }).status === 0;
  return available;
}

/**
 * Skips the calling suite when the reference engines are missing, with one line saying so; with
 * SLACKLINE_REQUIRE_REFERENCE=1 (as CI sets it) a missing reference fails the suite instead.
 */
export function requireReference(context: Mocha.Context): void {
  if (referenceAvailable()) return;
  const reason = 'python3 with jinja2 and yaml is not importable';
  if (process.env['SLACKLINE_REQUIRE_REFERENCE'] === '1') {
    throw new Error(`${reason}, and SLACKLINE_REQUIRE_REFERENCE=1 requires the differential suite to run`);
  }
  // One line for the whole run, however many suites skip.
  if (!announced) console.log(`differential suite skipped: ${reason}`);
  announced = true;
  context.skip();
}
