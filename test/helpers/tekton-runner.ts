import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLI_PATH } from './cli';
import { nameOf, ofKind, type Doc, type Manifest } from './tekton-manifests';

/**
 * Just enough of Tekton to run the example's PipelineRuns on this machine, with no cluster: Tasks' steps run
 * as local bash scripts with `cicdstatemgr` on PATH, `$(params…)`, `$(workspaces…)`, `$(results…)`,
 * `$(tasks…)` and `$(context.pipelineRun.name)` substituted as Tekton does, workspaces made of ConfigMap and
 * Secret entries, `/tekton/results` one directory per TaskRun. Tasks run in the order listed (runAfter must
 * name earlier ones), `finally` after them, each guarded by its `when`. What it cannot do (CEL, images,
 * parallelism) the tests do not need; an unknown `$(…)` reference fails loudly instead of passing silently.
 */
export interface TektonRunnerOptions {
  manifests: Manifest[];
  /** Scratch directory for TaskRuns. */
  dir: string;
  /** Lets a test change a workspace file before a TaskRun sees it (e.g. config.yaml's datasources). */
  rewriteFile?: (file: string, text: string) => string;
}

export type TaskStatus = 'Succeeded' | 'Failed' | 'None';

export interface TaskRunResult {
  status: TaskStatus;
  results: Record<string, string>;
  output: string;
}

export interface PipelineRunResult {
  name: string;
  status: 'Succeeded' | 'Failed';
  tasks: Record<string, TaskRunResult>;
}

export class TektonRunner {
  private readonly binDir: string;

  constructor(private readonly options: TektonRunnerOptions) {
    this.binDir = join(options.dir, 'bin');
    mkdirSync(this.binDir, { recursive: true });
    // The image puts `cicdstatemgr` on PATH; here it is the built bundle.
    const wrapper = join(this.binDir, 'cicdstatemgr');
    writeFileSync(wrapper, `#!/bin/sh\nexec '${process.execPath}' '${CLI_PATH}' "$@"\n`);
    chmodSync(wrapper, 0o755);
  }

  /** Runs a PipelineRun object (as a TriggerTemplate produces it). */
  async runPipelineRun(pipelineRun: Doc): Promise<PipelineRunResult> {
    const spec = pipelineRun['spec'];
    const pipeline = this.find('Pipeline', spec.pipelineRef.name).doc['spec'];
    const name = `${pipelineRun['metadata'].generateName ?? 'run-'}${randomBytes(3).toString('hex')}`;
    const params = withDefaults(pipeline.params, spec.params ?? [], `Pipeline ${spec.pipelineRef.name}`);
    const workspaces = Object.fromEntries(
      (spec.workspaces ?? []).map((w: Doc) => [w['name'], this.volumeFiles(w)]),
    );
    const tasks: Record<string, TaskRunResult> = {};
    const refs = (text: string) => substitute(text, pipelineRefs(params, name, tasks));

    for (const task of pipeline.tasks) {
      const waits: string[] = [...(task.runAfter ?? []), ...resultTasks(JSON.stringify(task))];
      tasks[task.name] = waits.every((t) => tasks[t]?.status === 'Succeeded')
        ? await this.runTask(task, refs, workspaces, name)
        : { status: 'None', results: {}, output: `skipped: waits for ${waits.join(', ')}` };
    }
    for (const task of pipeline.finally ?? []) {
      const missing = resultTasks(JSON.stringify(task)).some((t) => tasks[t]?.status !== 'Succeeded');
      const run = !missing && (task.when ?? []).every((w: Doc) => whenHolds(w, refs));
      tasks[task.name] = run
        ? await this.runTask(task, refs, workspaces, name)
        : { status: 'None', results: {}, output: 'skipped by when' };
    }
    const failed = Object.values(tasks).some((t) => t.status === 'Failed');
    return { name, status: failed ? 'Failed' : 'Succeeded', tasks };
  }

  private async runTask(
    pipelineTask: Doc,
    refs: (text: string) => string,
    pipelineWorkspaces: Record<string, Record<string, string>>,
    runName: string,
  ): Promise<TaskRunResult> {
    const task = this.find('Task', pipelineTask['taskRef'].name).doc['spec'];
    const given = (pipelineTask['params'] ?? []).map((p: Doc) => ({
      name: p['name'],
      value: refs(p['value']),
    }));
    const params = withDefaults(task.params, given, `Task ${pipelineTask['taskRef'].name}`);
    const dir = join(this.options.dir, `${runName}-${pipelineTask['name']}`);
    const resultsDir = join(dir, 'results');
    mkdirSync(resultsDir, { recursive: true });
    const workspacePaths: Record<string, string> = {};
    for (const binding of pipelineTask['workspaces'] ?? []) {
      const path = join(dir, 'workspaces', binding.name);
      const files = pipelineWorkspaces[binding.workspace];
      if (!files) throw new Error(`workspace ${binding.workspace} is not bound by the PipelineRun`);
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(dirname(join(path, file)), { recursive: true });
        writeFileSync(join(path, file), this.rewrite(file, text).replaceAll('/tekton/results', resultsDir));
      }
      workspacePaths[binding.name] = path;
    }
    const lookup = (ref: string): string | undefined => {
      const [kind, key, rest] = ref.split('.');
      if (kind === 'params') return params[key as string];
      if (kind === 'workspaces' && rest === 'path') return workspacePaths[key as string];
      if (kind === 'results' && rest === 'path') return join(resultsDir, key as string);
      return undefined;
    };
    const local = (text: string) => substitute(text, lookup).replaceAll('/tekton/results', resultsDir);

    let output = '';
    for (const step of task.steps) {
      const env: Record<string, string> = {};
      for (const e of [...(task.stepTemplate?.env ?? []), ...(step.env ?? [])]) env[e.name] = local(e.value);
      const script = join(dir, `${step.name}.sh`);
      writeFileSync(script, local(step.script));
      const { code, text } = await run(script, {
        ...env,
        PATH: `${this.binDir}:${process.env.PATH}`,
        HOME: dir,
      });
      output += `--- ${step.name} (exit ${code})\n${text}`;
      if (code !== 0) return { status: 'Failed', results: {}, output };
    }
    const results: Record<string, string> = {};
    for (const r of task.results ?? []) {
      const file = join(resultsDir, r.name);
      if (existsSync(file)) results[r.name] = readFileSync(file, 'utf8');
    }
    return { status: 'Succeeded', results, output };
  }

  /** The files a PipelineRun workspace binding mounts: a ConfigMap's data or a Secret's stringData. */
  private volumeFiles(binding: Doc): Record<string, string> {
    if (binding['configMap']) return this.find('ConfigMap', binding['configMap'].name).doc['data'];
    if (binding['secret']) return this.find('Secret', binding['secret'].secretName).doc['stringData'];
    throw new Error(`workspace ${binding['name']}: only configMap and secret bindings are supported here`);
  }

  private rewrite(file: string, text: string): string {
    return this.options.rewriteFile ? this.options.rewriteFile(file, text) : text;
  }

  private find(kind: string, name: string): Manifest {
    const found = ofKind(this.options.manifests, kind).find((m) => nameOf(m) === name);
    if (!found) throw new Error(`no ${kind} ${name} in the manifests`);
    return found;
  }
}

/** Tekton's `$(…)` references of the known kinds; a shell `$(date …)` is left alone. */
const REFERENCE = /\$\(((?:params|workspaces|results|tasks|context)\.[^)\s]+)\)/g;

export function substitute(text: string, lookup: (ref: string) => string | undefined): string {
  return text.replace(REFERENCE, (whole, ref: string) => {
    const value = lookup(ref);
    if (value === undefined) throw new Error(`cannot resolve ${whole}`);
    return value;
  });
}

function pipelineRefs(params: Record<string, string>, runName: string, tasks: Record<string, TaskRunResult>) {
  return (ref: string): string | undefined => {
    const parts = ref.split('.');
    if (parts[0] === 'params') return params[parts[1] as string];
    if (ref === 'context.pipelineRun.name') return runName;
    if (parts[0] === 'tasks' && parts[2] === 'status') return tasks[parts[1] as string]?.status ?? 'None';
    if (parts[0] === 'tasks' && parts[2] === 'results')
      return tasks[parts[1] as string]?.results[parts[3] as string];
    return undefined;
  };
}

/** The Pipeline tasks whose results a task reads: Tekton orders it after them. */
function resultTasks(text: string): string[] {
  return [...text.matchAll(/\$\(tasks\.([\w-]+)\.results\./g)].map((m) => m[1] as string);
}

function whenHolds(when: Doc, refs: (text: string) => string): boolean {
  const input = refs(when['input']);
  const values = (when['values'] as string[]).map(refs);
  return when['operator'] === 'in' ? values.includes(input) : !values.includes(input);
}

/** Declared params with their defaults, overridden by the given ones; a missing required one is an error. */
function withDefaults(declared: Doc[] = [], given: Doc[], where: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const p of given) values[p['name']] = String(p['value']);
  for (const p of declared) {
    if (values[p['name']] !== undefined) continue;
    if (p['default'] === undefined)
      throw new Error(`${where}: param ${p['name']} has no value and no default`);
    values[p['name']] = String(p['default']);
  }
  return values;
}

function run(script: string, env: Record<string, string>): Promise<{ code: number; text: string }> {
  return new Promise((done) => {
    execFile('bash', [script], { env, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, text: stdout + stderr });
    });
  });
}
