import type { RequestHandler } from 'express';

/**
 * When a Slack request reached the gateway (performance.now(), ms), carried to the listener in Bolt's
 * `context` through the receivers' customProperties. The ack histogram measures from here, as Slack's 3 s do:
 * reading the body and verifying its signature count too.
 */
const ARRIVED_AT = 'slacklineArrivedAt';
const arrivals = new WeakMap<object, number>();

/** First on the Slack endpoint in HTTP mode: notes the arrival before the body is read. */
export const noteArrival: RequestHandler = (req, _res, next) => {
  arrivals.set(req, performance.now());
  next();
};

/** ExpressReceiver's customPropertiesExtractor: the arrival noted for this request. */
export function httpArrival(req: object): Record<string, number> {
  return { [ARRIVED_AT]: arrivals.get(req) ?? performance.now() };
}

/** SocketModeReceiver's customPropertiesExtractor: it runs as the message comes off the WebSocket. */
export function socketArrival(): Record<string, number> {
  return { [ARRIVED_AT]: performance.now() };
}

/** The arrival in a listener's context, or now when a receiver did not note one. */
export function arrivedAt(context: Record<string, unknown>): number {
  const at = context[ARRIVED_AT];
  return typeof at === 'number' ? at : performance.now();
}
