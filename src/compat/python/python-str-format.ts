import { formatFloat } from './python-format';
import { isPyFloat, isPyInt, pythonFloatRepr } from './python-number';
import { pythonRepr, pythonStr } from './python-str';
import { pythonTypeName } from './python-type-name';

/** Python's `str.format` (`'{}-{}'.format(a, b)`, `'{name:>8}'.format(name=x)`) and its format mini-language. */

/** One field's spec, parsed: [[fill]align][sign][#][0][width][,][.precision][type]. */
interface FormatSpec {
  fill: string | undefined;
  align: string | undefined;
  sign: string | undefined;
  alternate: boolean;
  zero: boolean;
  width: number;
  grouping: string | undefined;
  precision: number | undefined;
  type: string | undefined;
}

function parseFormatSpec(spec: string): FormatSpec {
  const match = /^(?:(.)?([<>=^]))?([-+ ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/su.exec(
    spec,
  );
  if (!match) throw new Error(`ValueError: Invalid format specifier '${spec}'`);
  const [, fill, align, sign, alternate, zero, widthText, grouping, precisionText, type] = match;
  return {
    fill,
    align,
    sign,
    alternate: alternate !== undefined,
    zero: zero !== undefined,
    width: widthText === undefined ? 0 : Number(widthText),
    grouping,
    precision: precisionText === undefined ? undefined : Number(precisionText),
    type,
  };
}

/** The errors Python raises for a spec that does not fit the value's type, in the order it checks them. */
function checkSpecFits(value: unknown, spec: FormatSpec, numeric: boolean): void {
  const { sign, zero, grouping, precision, type } = spec;
  if (!numeric && typeof value !== 'string') {
    throw new TypeError(`unsupported format string passed to ${pythonTypeName(value)}.__format__`);
  }
  if (typeof value === 'string' && (grouping || sign || zero)) {
    throw new Error(`ValueError: Cannot specify '${grouping ?? sign ?? '0'}' with 's'.`);
  }
  if ((isPyFloat(value) && type !== undefined && 'dxXobc'.includes(type)) || (numeric && type === 's')) {
    throw new Error(
      `ValueError: Unknown format code '${type}' for object of type '${pythonTypeName(value)}'`,
    );
  }
  const integral = !isPyFloat(value) && (type === undefined || 'dxXobcn'.includes(type));
  if (numeric && integral && precision !== undefined) {
    throw new Error('ValueError: Precision not allowed in integer format specifier');
  }
}

/** The digits of a number with no sign, grouping or padding yet. */
function numberBody(value: unknown, spec: FormatSpec, magnitude: number, negative: boolean): string {
  const { alternate, precision, type } = spec;
  if (type === undefined || type === 'd' || type === 'n') {
    if (isPyFloat(value) && type === 'n') return formatFloat('g', magnitude, precision ?? 6, false);
    if (isPyFloat(value)) {
      // No type on a float: repr, or with a precision 'g' that keeps a digit after the point.
      if (precision === undefined) return pythonFloatRepr(magnitude);
      const body = formatFloat('g', magnitude, precision, false);
      return /^\d+$/.test(body) ? `${body}.0` : body;
    }
    const int = typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value)));
    return (int < 0n ? -int : int).toString();
  }
  if ('xXob'.includes(type)) {
    let body = BigInt(Math.trunc(magnitude)).toString(type === 'o' ? 8 : type === 'b' ? 2 : 16);
    if (type === 'X') body = body.toUpperCase();
    return alternate ? `0${type}${body}` : body;
  }
  if (type === 'c') {
    if (negative || magnitude > 0x10ffff) throw new Error('OverflowError: %c arg not in range(0x110000)');
    return String.fromCodePoint(magnitude);
  }
  if (type === '%') return `${formatFloat('f', magnitude * 100, precision ?? 6, false)}%`;
  return formatFloat(type, magnitude, precision ?? 6, false);
}

function formatNumber(value: unknown, spec: FormatSpec): string {
  const { fill, align, sign, zero, width, grouping } = spec;
  const n = Number(value);
  const negative = n < 0 || Object.is(n, -0);
  let body = numberBody(value, spec, Math.abs(n), negative);
  if (grouping) {
    const [whole = '', fraction] = body.split('.');
    body = whole.replace(/\B(?=(\d{3})+(?!\d))/g, grouping) + (fraction === undefined ? '' : `.${fraction}`);
  }
  const signText = negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
  if ((zero && !align) || align === '=') {
    const f = align === '=' ? (fill ?? ' ') : '0';
    return signText + body.padStart(Math.max(0, width - signText.length), f);
  }
  return aligned(signText + body, spec, '>');
}

function aligned(text: string, { fill, align, width }: FormatSpec, defaultAlign: string): string {
  const f = fill ?? ' ';
  const direction = align ?? defaultAlign;
  const margin = width - [...text].length;
  if (margin <= 0) return text;
  // format()'s centring puts the odd space on the right (str.center's rule differs).
  const left = Math.floor(margin / 2);
  if (direction === '^') return f.repeat(left) + text + f.repeat(margin - left);
  return direction === '<' ? text + f.repeat(margin) : f.repeat(margin) + text;
}

/** `str.format`'s mini-language for one field. */
function formatField(value: unknown, specText: string, conversion: string | undefined): string {
  if (conversion === 'r') value = pythonRepr(value);
  else if (conversion === 's') value = pythonStr(value);
  const spec = parseFormatSpec(specText);
  // format(x, '') is str(x) for every type; a non-empty spec is only for text and numbers.
  if (specText === '') return pythonStr(value);
  const numeric = typeof value === 'boolean' || isPyInt(value) || isPyFloat(value);
  checkSpecFits(value, spec, numeric);
  if (numeric) return formatNumber(value, spec);
  if (spec.type !== undefined && spec.type !== 's') {
    throw new Error(`ValueError: Unknown format code '${spec.type}' for object of type 'str'`);
  }
  const text = pythonStr(value);
  return aligned(
    spec.precision === undefined ? text : [...text].slice(0, spec.precision).join(''),
    spec,
    '<',
  );
}

export function strFormat(format: string, args: unknown[]): string {
  const last = args[args.length - 1];
  const keywords =
    typeof last === 'object' && last !== null && (last as Record<string, unknown>)['__keywords'] === true
      ? (last as Record<string, unknown>)
      : {};
  const positional = keywords === last ? args.slice(0, -1) : args;
  let auto = 0;
  return format.replace(
    /\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}/g,
    (whole, field: string, conversion, spec) => {
      if (whole === '{{') return '{';
      if (whole === '}}') return '}';
      let value: unknown;
      if (field === '') value = positional[auto++];
      else if (/^\d+$/.test(field)) value = positional[Number(field)];
      else if (Object.hasOwn(keywords, field) && field !== '__keywords') value = keywords[field];
      else throw new Error(`KeyError: '${field}'`);
      if (value === undefined && (field === '' || /^\d+$/.test(field))) {
        throw new Error('IndexError: Replacement index out of range for positional args tuple');
      }
      return formatField(value, spec ?? '', conversion);
    },
  );
}
