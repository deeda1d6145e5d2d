import type { RequestHandler } from 'express';
import { rawBodyParser } from './express-app';

/**
 * Reads the whole body as bytes into `req.body` (a Buffer), whatever its content type: signatures are checked
 * over exactly what was sent, so nothing may parse it first. A body over `limit`, or one that cannot be read, is
 * answered at once with a JSON 413 or 400, after `onRefused`.
 */
export function readRawBody(limit: number, onRefused: () => void): RequestHandler {
  const readRaw = rawBodyParser(limit);
  return (req, res, next) =>
    readRaw(req, res, (error?: unknown) => {
      if (!error) return next();
      const status = (error as { status?: number }).status ?? 400;
      onRefused();
      res
        .status(status)
        .json({ error: status === 413 ? 'request body too large' : 'unreadable request body' });
    });
}
