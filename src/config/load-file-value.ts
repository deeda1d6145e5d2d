import { readFileSync } from 'node:fs';
import { parsePythonJson } from '../compat/python/python-json-parse';
import { parseYaml } from '../compat/yaml/yaml';
import { resolvePath } from './resolve-path';

/**
 * The value of a `file://` set: the file parsed as JSON, else as YAML, else its raw text, as cicdstatemgr does.
 * Undefined when the file does not exist, so the caller keeps the literal `file://…` text.
 * Only operator input (CLI flags, config) may name files; data from Slack or HTTP never reaches this.
 */
export function loadFileValue(path: string, cwd: string): unknown {
  if (path === '') return undefined;
  let text: string;
  try {
    text = readFileSync(resolvePath(path, cwd), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return parsePythonJson(text);
  } catch {
    // not JSON: fall through to YAML
  }
  try {
    return parseYaml(text);
  } catch {
    return text;
  }
}
