/**
 * Base's real logger with its destination swapped for memory, so a test reads every line it writes.
 * In a test file (jest hoists the mock above the imports):
 *
 *     jest.mock('pino', () => jest.requireActual('../support/log-capture').pinoToMemory());
 *     const lines = capturedLines();
 */
type Global = { __logLines?: string[] };

export function capturedLines(): string[] {
  return ((globalThis as Global).__logLines ??= []);
}

export function pinoToMemory(): unknown {
  const actual = jest.requireActual('pino');
  const { Writable } = jest.requireActual('node:stream');
  const sink = new Writable({
    write(chunk: Buffer, _enc: string, done: () => void) {
      capturedLines().push(chunk.toString('utf8'));
      done();
    },
  });
  const wrapped = (options: unknown, destination?: unknown) => actual(options, destination ?? sink);
  Object.assign(wrapped, actual);
  Object.assign(wrapped, { default: wrapped, pino: wrapped, __esModule: true });
  return wrapped;
}
