import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

/**
 * The token a request presents: `Authorization: Bearer <token>`, or a `token` query parameter, because
 * Tekton's CloudEvents sink is a bare URL and its sender cannot add a header.
 */
export function presentedToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  const bearer = header && /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (bearer) return bearer;
  return new URL(req.originalUrl, 'http://gateway').searchParams.get('token') ?? undefined;
}

/** Constant time whatever the lengths: both sides are hashed first. */
export function sameToken(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
