import type { JinjaFilter } from './jinja-filter-arguments';
import { NUMBER_FILTERS } from './jinja-number-filters';
import { SEQUENCE_FILTERS } from './jinja-sequence-filters';
import { STRING_FILTERS } from './jinja-string-filters';

/**
 * Jinja2's built-in filters where nunjucks has none or gives other results: Python types, code-point
 * lengths, Jinja2's keyword arguments (`sort(attribute='age')`, `sum(attribute='v')`) and its defaults
 * (`truncate`'s leeway of 5). Filters that take a filter or test by name (`map('upper')`, `select('gt', 1)`)
 * look it up through `Lookup`, so that they see this environment's filters and tests.
 */

export const JINJA_FILTERS: Record<string, JinjaFilter> = {
  ...SEQUENCE_FILTERS,
  ...STRING_FILTERS,
  ...NUMBER_FILTERS,
};
