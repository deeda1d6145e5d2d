import { UsageError } from '../core/errors';

/** The flags of cicdstatemgr 1.2.4, parsed as argparse does (unique prefixes, `--flag=value`, `-lLEVEL`). */
export interface CicdstatemgrArgs {
  help: boolean;
  version: boolean;
  logLevel?: string;
  config?: string;
  secrets?: string;
  initNew?: string;
  initCicdContextName: string;
  initBasesDir?: string;
  initAppConfigFile?: string;
  id?: string;
  tmplCtxVar: string[];
  load: boolean;
  get?: string;
  set: string[];
  preSetForceReload: boolean;
  handleEvent?: string;
  generate?: string;
}

type Kind = 'value' | 'append' | 'flag';
const OPTIONS: Record<string, { key: keyof CicdstatemgrArgs; kind: Kind }> = {
  '--help': { key: 'help', kind: 'flag' },
  '--version': { key: 'version', kind: 'flag' },
  '--log-level': { key: 'logLevel', kind: 'value' },
  '--config': { key: 'config', kind: 'value' },
  '--secrets': { key: 'secrets', kind: 'value' },
  '--init-new': { key: 'initNew', kind: 'value' },
  '--init-cicd-context-name': { key: 'initCicdContextName', kind: 'value' },
  '--init-bases-dir': { key: 'initBasesDir', kind: 'value' },
  '--init-app-config-file': { key: 'initAppConfigFile', kind: 'value' },
  '--id': { key: 'id', kind: 'value' },
  '--tmpl-ctx-var': { key: 'tmplCtxVar', kind: 'append' },
  '--load': { key: 'load', kind: 'flag' },
  '--get': { key: 'get', kind: 'value' },
  '--set': { key: 'set', kind: 'append' },
  '--pre-set-force-reload': { key: 'preSetForceReload', kind: 'flag' },
  '--handle-event': { key: 'handleEvent', kind: 'value' },
  '--generate': { key: 'generate', kind: 'value' },
};
const SHORT: Record<string, string> = { '-l': '--log-level', '-h': '--help' };

export function parseCicdstatemgrArgs(argv: readonly string[]): CicdstatemgrArgs {
  const args: CicdstatemgrArgs = {
    help: false,
    version: false,
    initCicdContextName: 'stage',
    tmplCtxVar: [],
    load: false,
    set: [],
    preSetForceReload: false,
  };
  const record = args as unknown as Record<string, unknown>;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const { name, inline } = splitArg(arg);
    const option = OPTIONS[name];
    if (!option) throw new UsageError(`unrecognized argument: ${arg}`);
    if (option.kind === 'flag') {
      if (inline !== undefined) throw new UsageError(`${name} takes no value (got ${arg})`);
      record[option.key] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || looksLikeOption(next)) throw new UsageError(`${name} needs a value`);
      value = next;
      i++;
    }
    if (option.kind === 'append') (record[option.key] as string[]).push(value);
    else record[option.key] = value;
  }
  return args;
}

function splitArg(arg: string): { name: string; inline?: string } {
  const short = SHORT[arg.slice(0, 2)];
  if (short && !arg.startsWith('--')) {
    return arg.length > 2 ? { name: short, inline: arg.slice(2) } : { name: short };
  }
  if (!arg.startsWith('--')) throw new UsageError(`unexpected argument: ${arg} (every input is a --flag)`);
  const eq = arg.indexOf('=');
  const given = eq === -1 ? arg : arg.slice(0, eq);
  const inline = eq === -1 ? undefined : arg.slice(eq + 1);
  return inline === undefined ? { name: expandPrefix(given) } : { name: expandPrefix(given), inline };
}

/** argparse accepts any unambiguous prefix of a long option (`--init-app` for `--init-app-config-file`). */
function expandPrefix(given: string): string {
  if (OPTIONS[given]) return given;
  const matches = Object.keys(OPTIONS).filter((name) => name.startsWith(given));
  if (matches.length === 1) return matches[0] as string;
  if (matches.length > 1) throw new UsageError(`ambiguous option ${given}: could be ${matches.join(', ')}`);
  throw new UsageError(`unrecognized argument: ${given}`);
}

function looksLikeOption(value: string): boolean {
  return value.startsWith('-') && value.length > 1 && !/^-\d/.test(value);
}

export const CICDSTATEMGR_USAGE = `usage: cicdstatemgr [-h] [--version] [-l LEVEL] --config FILE [--secrets FILE] OPERATION

operations (one runs: the first of them in this order):
  --init-new ID            create a context from --init-app-config-file [--init-bases-dir DIR]
                           [--init-cicd-context-name NAME (default: stage)]
  --load                   load --id from the primary store into the local files
  --get JSONPATH           print a value of --id (strings are rendered as templates)
  --generate JSONPATH      run the generators at JSONPATH on --id
  --handle-event P=E       run the handlers of event E of pipeline P on --id
  --set KEY=VALUE          set values on --id (repeatable; VALUE may be file://PATH; '|' separates pairs)

options:
  --id ID                  context id (env CICDSTATEMGR_CONTEXT_DATA_ID)
  --config FILE            config.yaml (env CICDSTATEMGR_CONFIG_PATH)
  --secrets FILE           secrets.yaml (env CICDSTATEMGR_SECRETS_PATH)
  --init-app-config-file F app pipeline config (env CICDSTATEMGR_INIT_APP_CONFIG_PATH)
  --init-bases-dir DIR     directory of the app config's bases (env CICDSTATEMGR_BASES_DIR_PATH)
  --tmpl-ctx-var K=V       template variable; V is a JSONPath into the context, else literal (repeatable)
  --pre-set-force-reload   accepted for compatibility: every change already starts from the primary
  -l, --log-level LEVEL    DEBUG, INFO (default), WARNING, ERROR or CRITICAL
  --version                print cicdstatemgr's version and exit
`;
