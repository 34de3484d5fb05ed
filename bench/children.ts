import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Starts a child process that prints `LISTENING <port>` once ready, and returns its port. Its
 * stderr is passed through; the child is ended by its own pid with `stop()`.
 */
export async function startChild(
  command: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ port: number; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')}: not listening after 60 s`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited early (${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^LISTENING (\d+)$/.exec(line.trim());
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { port, child, stop };
}

/** A target that answers 200 "ok" at once, on 127.0.0.1, in a process of its own. */
export const TARGET_SCRIPT = `
const http = require('node:http');
const s = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' }); res.end('ok'); });
s.keepAliveTimeout = 5000;
s.listen(0, '127.0.0.1', () => console.log('LISTENING ' + s.address().port));
`;

export const startTarget = () => startChild(process.execPath, ['-e', TARGET_SCRIPT]);
