import { inBatches } from './postgres-invalidations';

describe('inBatches', () => {
  const sender = () => {
    const batches: number[][] = [];
    const waiting: Array<() => void> = [];
    const send = (items: number[]) => {
      batches.push([...items]);
      return new Promise<void>((resolve) => waiting.push(resolve));
    };
    const finishOne = async () => {
      waiting.shift()?.();
      await new Promise((r) => setImmediate(r));
    };
    return { batches, send, finishOne };
  };

  it('when nothing is on its way, then an item goes at once, with the others of the same tick', async () => {
    const { batches, send, finishOne } = sender();
    const add = inBatches(send);
    const sent = [add(1), add(2)];
    await Promise.resolve();
    expect(batches).toEqual([[1, 2]]);
    await finishOne();
    await Promise.all(sent);
  });

  it('when a batch is on its way, then later items wait for it and go together in the next', async () => {
    const { batches, send, finishOne } = sender();
    const add = inBatches(send);
    let firstDone = false;
    const first = add(1).then(() => (firstDone = true));
    await new Promise((r) => setImmediate(r));
    const later = [add(2), add(3), add(4)];
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1]]);
    await finishOne();
    expect(firstDone).toBe(true);
    expect(batches).toEqual([[1], [2, 3, 4]]);
    await finishOne();
    await Promise.all([first, ...later]);
  });

  it('when more items wait than a batch may take, then they go in several batches, one after the other', async () => {
    const { batches, send, finishOne } = sender();
    const add = inBatches(send, 2);
    const all = [1, 2, 3, 4, 5].map(add);
    await Promise.resolve();
    expect(batches).toEqual([[1, 2]]);
    await finishOne();
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    await finishOne();
    await finishOne();
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    await Promise.all(all);
  });

  it('when a batch fails, then its callers see the error and the next batch still goes', async () => {
    const batches: number[][] = [];
    const add = inBatches(async (items: number[]) => {
      batches.push([...items]);
      if (items.includes(1)) throw new Error('connection lost');
    });
    await expect(add(1)).rejects.toThrow('connection lost');
    await expect(add(2)).resolves.toBeUndefined();
    expect(batches).toEqual([[1], [2]]);
  });
});
