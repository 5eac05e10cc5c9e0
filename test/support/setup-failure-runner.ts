import { TestRunner, type RunnerTestCase, type RunnerTestSuite, type VitestTestRunner } from 'vitest';

/** Every test case under a suite, nested suites included. */
function testsUnder(suite: RunnerTestSuite): RunnerTestCase[] {
  return suite.tasks.flatMap((task) => (task.type === 'test' ? [task] : task.type === 'suite' ? testsUnder(task) : []));
}

/**
 * vitest's test runner, except for tests that did not run because a `beforeAll` hook of their
 * suite failed (a database or a Redis that cannot be reached, a server that did not start).
 * vitest reports those tests as skipped, so a run whose services are gone shows no failed test;
 * this runner reports each of them as failed, with the hook's error.
 *
 * Tests skipped on purpose (`it.skip`, `.todo`, a name filter) keep their state.
 */
export class SetupFailureRunner extends TestRunner {
  /** Sends task results to the main process; vitest sets it on every runner it creates. */
  declare readonly onTaskUpdate?: VitestTestRunner['onTaskUpdate'];
  /** Tests that were going to run when their suite started. */
  readonly #planned = new WeakSet<RunnerTestCase>();

  override async onBeforeRunSuite(suite: RunnerTestSuite): Promise<void> {
    await super.onBeforeRunSuite(suite);
    for (const test of testsUnder(suite)) {
      if (test.mode === 'run' || test.mode === 'queued') this.#planned.add(test);
    }
  }

  override async onAfterRunSuite(suite: RunnerTestSuite): Promise<void> {
    const [cause] = suite.result?.state === 'fail' ? (suite.result.errors ?? []) : [];
    // A test that never started has no start time; one that started and skipped itself has one.
    const notRun = cause
      ? testsUnder(suite).filter((test) => this.#planned.has(test) && test.result?.state === 'skip' && test.result.startTime === undefined)
      : [];
    if (cause && notRun.length > 0) {
      const error = { ...cause, message: `not run: a beforeAll hook of "${suite.name}" failed: ${cause.message}` };
      for (const test of notRun) {
        this.#planned.delete(test);
        // In place: an update vitest queued with the skipped state holds this same object.
        Object.assign(test.result!, { state: 'fail', errors: [error] });
      }
      await this.onTaskUpdate?.(
        notRun.map((test) => [test.id, test.result, test.meta]),
        notRun.map((test) => [test.id, 'test-finished', undefined]),
      );
    }
    await super.onAfterRunSuite(suite);
  }
}

/** vitest loads a custom runner from the default export of its module. */
export default SetupFailureRunner;
