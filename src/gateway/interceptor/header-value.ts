/** Headers as Node gives them (lower-case names) or as Tekton does (canonical names, arrays of values). */
export type Headers = Record<string, string | string[] | undefined>;

/** Header names in any case (Tekton canonicalizes them, Node lower-cases them); one value, or none. */
export function headerValue(headers: Headers, name: string): string | undefined {
  const values = headerValues(headers, name);
  return values.length === 1 ? values[0] : undefined;
}

/** Every value of a header, in any case, for checks that must tell a repeated header from a missing one. */
export function headerValues(headers: Headers, name: string): string[] {
  return Object.entries(headers)
    .filter(([key]) => key.toLowerCase() === name)
    .flatMap(([, value]) => value ?? []);
}

export function hasHeader(headers: Headers, name: string): boolean {
  return Object.entries(headers).some(([key, value]) => key.toLowerCase() === name && value !== undefined);
}
