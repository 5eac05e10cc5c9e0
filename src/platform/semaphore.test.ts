import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore.js';

describe('Semaphore', () => {
  it('runs at most `size` tasks at once, the rest in order of arrival, and frees a place when a task fails', async () => {
    const slots = new Semaphore(2);
    const started: number[] = [];
    const release: Array<() => void> = [];
    const task = (n: number, fail = false) => () =>
      new Promise<number>((resolve, reject) => {
        started.push(n);
        release[n] = () => (fail ? reject(new Error(`task ${n}`)) : resolve(n));
      });
    const runs = [slots.run(task(0, true)), slots.run(task(1)), slots.run(task(2)), slots.run(task(3))];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    expect(slots.inUse).toBe(2);
    expect(slots.queued).toBe(2);
    release[0]!();
    await expect(runs[0]).rejects.toThrow('task 0');
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    release[1]!();
    release[2]!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2, 3]);
    release[3]!();
    expect(await Promise.all(runs.slice(1))).toEqual([1, 2, 3]);
    expect(slots.inUse).toBe(0);
  });

  it('tells a caller that has to wait, and again when its place is granted', async () => {
    const slots = new Semaphore(1);
    const events: string[] = [];
    let release!: () => void;
    const first = slots.run(() => new Promise<void>((resolve) => (release = resolve)), () => {
      events.push('first queued');
      return () => events.push('first granted');
    });
    const second = slots.run(async () => events.push('second runs'), () => {
      events.push('second queued');
      return () => events.push('second granted');
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['second queued']);
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(['second queued', 'second granted', 'second runs']);
  });
});
