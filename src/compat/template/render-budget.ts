import { TemplateError } from '../../core/errors';

/**
 * How much one template render may cost. Jinja2 has no limit, so two nested `range(100000)` loops in a stored
 * value pin a Task step's CPU until the step is killed; here such a template fails the command with an error
 * naming the limit. Loop iterations, `range()` items and repeated text or lists (`'a' * n`) all count against
 * `iterations` (a loop over `range(n)` costs 2n), so nothing large is built before it is paid for; the clock
 * is read every 1024 of them.
 */
export interface RenderBudget {
  /** wall-clock milliseconds per render: 2000 */
  timeMs: number;
  /** loop iterations and generated items per render: 1,000,000 */
  iterations: number;
}

export const DEFAULT_RENDER_BUDGET: Readonly<RenderBudget> = { timeMs: 2000, iterations: 1_000_000 };

let budget: RenderBudget = { ...DEFAULT_RENDER_BUDGET };
let active = false;
let deadline = 0;
let remaining = 0;
let sinceClock = 0;
let failure: RenderBudgetError | undefined;

/** Sets the budget of every later render (the CLI applies `cicdstatemgr.templateBudget` from config.yaml). */
export function configureRenderBudget(settings: Partial<RenderBudget>): void {
  budget = { ...DEFAULT_RENDER_BUDGET, ...settings };
}

/** Marks a budget-exceeded failure, which fails the command instead of becoming an error string. */
export class RenderBudgetError extends TemplateError {}

/** Starts the budget of one render (renders are synchronous, so one budget at a time is enough). */
export function startRenderBudget(): void {
  active = true;
  deadline = Date.now() + budget.timeMs;
  remaining = budget.iterations;
  sinceClock = 0;
  failure = undefined;
}

/**
 * Ends the current render's budget; returns the budget failure, if the render ran out (nunjucks wraps
 * what a render throws in its own error, so the failure is kept here rather than found in what it throws).
 */
export function endRenderBudget(): RenderBudgetError | undefined {
  active = false;
  return failure;
}

/** Charges `count` iterations or items to the current render. */
export function spendRenderBudget(count = 1): void {
  if (!active) return;
  remaining -= count;
  if (remaining < 0) {
    throw fail(
      `the template goes past ${budget.iterations.toLocaleString('en-US')} loop iterations or generated items` +
        ' (cicdstatemgr.templateBudget.loopLimit)',
    );
  }
  sinceClock += count;
  if (sinceClock >= 1024) {
    sinceClock = 0;
    if (Date.now() > deadline) {
      throw fail(
        `the template took more than ${budget.timeMs} ms to render (cicdstatemgr.templateBudget.timeLimitMs)`,
      );
    }
  }
}

function fail(message: string): RenderBudgetError {
  failure = new RenderBudgetError(message);
  return failure;
}
