import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/errors';
import { parseYaml } from '../compat/yaml/yaml';

/** Reads and parses a YAML file the user pointed at; `what` names it in the error ("config file"). */
export function readYamlFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError(`${what} not found: ${path}`);
    if (code === 'EISDIR') throw new ConfigError(`${what} is a directory, not a file: ${path}`);
    throw new ConfigError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
  try {
    return parseYaml(text, path);
  } catch (error) {
    throw new ConfigError(`${what} ${path} is not valid YAML: ${(error as Error).message}`);
  }
}
