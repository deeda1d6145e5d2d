/** What an interceptor answers, before any server writes it: the one shape both endpoints return. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

export function jsonAnswer(status: number, value: unknown): HttpAnswer {
  const body = JSON.stringify(value);
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  };
}
