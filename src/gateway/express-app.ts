import express, { type Express, type RequestHandler, type Router } from 'express';

/**
 * The gateway's one importer of express (eslint.config.mjs, LIBRARIES): Bolt's ExpressReceiver needs an express
 * app to mount on, and health, metrics and the run cards' endpoint are served beside it. The rest of the gateway
 * builds its routes with what this exports, and imports express's types only.
 */

/** An app that does not announce itself (no X-Powered-By). */
export function expressApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  return app;
}

export function expressRouter(): Router {
  return express.Router();
}

/** Reads the whole body as bytes into `req.body`, whatever its content type; errors go to `next`. */
export function rawBodyParser(limit: number): RequestHandler {
  return express.raw({ type: () => true, limit });
}
