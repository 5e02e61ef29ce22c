import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { firstAnswer, freePorts, stopChild, waitForStatus, waitUntilReady } from './index';

const node = (code: string) => spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
/** Resolves once the child has printed `ready` (its signal handlers are in place). */
const ready = (child: ReturnType<typeof node>) => new Promise((resolve) => child.stdout?.once('data', resolve));

describe('process helpers', () => {
  it('when several ports are asked for, then they are distinct and each can be listened on', async () => {
    const ports = await freePorts(3);
    expect(new Set(ports).size).toBe(3);
    for (const port of ports) {
      const server = createServer();
      await new Promise<void>((listening) => server.listen(port, '127.0.0.1', listening));
      await new Promise((closed) => server.close(closed));
    }
  });

  it('when a child ignores SIGTERM, then stopChild kills it after the grace time and resolves', async () => {
    const child = node("process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('ready')");
    await ready(child);
    const started = Date.now();
    expect(await stopChild(child, { graceMs: 300 })).toBeNull();
    expect(child.signalCode).toBe('SIGKILL');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('when a child exits on SIGTERM with a code, then stopChild resolves to that code, and again once it has exited', async () => {
    const child = node("process.on('SIGTERM', () => process.exit(3)); setInterval(() => {}, 1000); console.log('ready')");
    await ready(child);
    expect(await stopChild(child)).toBe(3);
    expect(await stopChild(child)).toBe(3);
  });

  it('when a server answers 503 then 200, then the polls see each answer and readiness waits for the 200', async () => {
    let status = 503;
    const server = createServer((_req, res) => res.writeHead(status).end());
    const [port] = await freePorts(1);
    await new Promise<void>((listening) => server.listen(port, '127.0.0.1', listening));
    const child = node('setInterval(() => {}, 1000)');
    try {
      const url = `http://127.0.0.1:${port}/`;
      expect(await firstAnswer(url, child, 2000)).toBe(503);
      expect(await waitForStatus(url, 200, 200)).toBe(503);
      setTimeout(() => (status = 200), 150);
      await expect(waitUntilReady(url, child, { timeoutMs: 3000, intervalMs: 20, describe: () => 'the server' })).resolves.toBeUndefined();
    } finally {
      await stopChild(child);
      await new Promise((closed) => server.close(closed));
    }
  });

  it('when the child exits before it is ready, then readiness fails naming it', async () => {
    const [port] = await freePorts(1);
    const child = node('process.exit(4)');
    await new Promise((r) => child.once('exit', r));
    await expect(waitUntilReady(`http://127.0.0.1:${port}/`, child, { timeoutMs: 1000, intervalMs: 20, describe: () => 'users' })).rejects.toThrow(
      'users exited with code 4 during start-up',
    );
    expect(await firstAnswer(`http://127.0.0.1:${port}/`, child, 500)).toBe(0);
  });
});
