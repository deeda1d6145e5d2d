import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { loadGatewayConfig } from '../config/load-gateway-config';
import { resolvePath } from '../config/resolve-path';
import { ConfigError, SlacklineError, UsageError } from '../core/errors';
import { SLACKLINE_VERSION } from '../core/version';
import { createGateway } from '../gateway/create-gateway';
import { listenWithGracefulShutdown } from '../gateway/graceful-shutdown';
import { createJsonLogger } from '../gateway/json-logger';
import { createMetrics } from '../gateway/metrics';
import { createHttpClient } from '../http/http-client';
import { openPrimaryStore } from '../store/open-datasources';
import type { CliIo } from './run-cicdstatemgr';

/** Every Redis command of the gateway settles within this: answered, failed, or timed out. */
const GATEWAY_REDIS_TIMEOUT_MS = 5_000;

export const SLACKLINE_USAGE = `usage: slackline serve [--config FILE]
       slackline --version

Runs the Slack gateway: verifies Slack clicks and slash commands, records decisions, forwards them to Tekton
EventListeners. Settings come from FILE (env SLACKLINE_CONFIG) and the environment: SLACK_SIGNING_SECRET,
SLACK_BOT_TOKEN, REDIS_URL, SLACKLINE_EVENT_LISTENER_URL, SLACKLINE_FORWARD_SECRET, PORT, TLS_CERT_FILE and
TLS_KEY_FILE (HTTPS), … (docs/configuration.md, docs/interceptors.md).
`;

/**
 * `slackline serve`: resolves once the gateway listens (it then runs until SIGTERM/SIGINT), or to an exit code
 * when it cannot start.
 */
export async function runSlackline(io: CliIo): Promise<number | undefined> {
  try {
    const [command, ...rest] = io.argv;
    if (command === undefined || command === '--help' || command === '-h') {
      io.stdout(SLACKLINE_USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version') {
      io.stdout(`slackline ${SLACKLINE_VERSION}\n`);
      return 0;
    }
    if (command === 'serve' && rest.some((arg) => arg === '--help' || arg === '-h')) {
      io.stdout(SLACKLINE_USAGE);
      return 0;
    }
    if (command !== 'serve') throw new UsageError(`unknown command "${command}" (try: slackline serve)`);
    const configFile = parseServeArgs(rest) ?? io.env['SLACKLINE_CONFIG'];
    const config = loadGatewayConfig({
      configPath: configFile ? resolvePath(configFile, io.cwd) : undefined,
      env: io.env,
      cwd: io.cwd,
    });
    const tls = config.tls && readTls(config.tls);
    const logger = createJsonLogger(config.logLevel);
    const metrics = createMetrics();
    // The gateway outlives Redis restarts: it reconnects instead of failing fast as the CLI does, and every
    // command still settles within a few seconds, so no work waits on a connection for ever.
    const store = openPrimaryStore(config.store, logger, {
      redis: { reconnect: true, commandTimeoutMs: GATEWAY_REDIS_TIMEOUT_MS },
    });
    const http = createHttpClient({
      timeoutMs: config.forwarding.timeoutMs,
      maxAttempts: config.forwarding.maxAttempts,
      logger,
    });
    const gateway = createGateway(config, { store, http, logger, metrics });
    // In Socket Mode this connects to Slack in the background: health, metrics and the interceptors are served
    // whether or not Slack answers, and /readyz says whether it did.
    gateway.start();
    const { server } = await listenWithGracefulShutdown(gateway.app, {
      port: config.port,
      host: config.host,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
      logger,
      ...(tls ? { tls } : {}),
      onShutdownStart: () => {
        gateway.health.markShuttingDown();
        // No new entries are taken; what is left in the log is taken by another replica, or after a restart.
        void gateway.stop();
      },
      work: gateway.work,
      onClose: async () => {
        await gateway.stop();
        await http.close();
        await store.close();
      },
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info('slackline listening', {
      host: config.host,
      port,
      protocol: tls ? 'https' : 'http',
      endpoint: config.slack.socketMode ? 'socket mode' : config.slack.endpoint,
      store: store.description,
    });
    return undefined;
  } catch (error) {
    if (error instanceof SlacklineError) {
      io.stderr(`slackline: error: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`slackline: error: unexpected failure: ${(error as Error)?.message ?? String(error)}\n`);
    return 1;
  }
}

/**
 * Read once at start (a Kubernetes Secret's renewed certificate is picked up by restarting the pod), and tried
 * at once, so that a damaged file or a key that does not match is a configuration error, not a failed start.
 */
function readTls(files: { certFile: string; keyFile: string }): { cert: Buffer; key: Buffer } {
  let tls: { cert: Buffer; key: Buffer };
  try {
    tls = { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) };
  } catch (error) {
    throw new ConfigError(`cannot read the TLS certificate or key: ${(error as NodeJS.ErrnoException).code}`);
  }
  try {
    createSecureContext(tls);
  } catch (error) {
    throw new ConfigError(`the TLS certificate and key are not usable: ${(error as Error).message}`);
  }
  return tls;
}

function parseServeArgs(args: readonly string[]): string | undefined {
  if (args.length === 0) return undefined;
  const [flag, value, ...extra] = args;
  if (flag?.startsWith('--config=') && value === undefined) return flag.slice('--config='.length);
  if (flag === '--config' && value && extra.length === 0) return value;
  throw new UsageError(`slackline serve takes only --config FILE, got: ${args.join(' ')}`);
}
