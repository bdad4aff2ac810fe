import pino from 'pino';
import { AppLogger } from './app-logger';

function capture(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = new AppLogger(pino({ level }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) }));
  return { logger, lines };
}

describe("Nest's logger over pino", () => {
  it('writes fields, message and context as one JSON line', () => {
    const { logger, lines } = capture();
    // what `new Logger('Jobs').warn({ job_id: 7 }, 'job failed')` hands the logger
    logger.warn({ job_id: 7 }, 'job failed', 'Jobs');
    logger.log('listening on http://127.0.0.1:8080', 'Main');
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, context: 'Jobs', job_id: 7, msg: 'job failed' }),
      expect.objectContaining({ level: 30, context: 'Main', msg: 'listening on http://127.0.0.1:8080' }),
    ]);
  });

  it("keeps an error and Nest's (message, stack, context) form as `err`", () => {
    const { logger, lines } = capture();
    logger.error(new Error('boom'), 'Errors');
    logger.error('unhandled', 'Error: unhandled\n    at somewhere (file.js:1:1)', 'ExceptionsHandler');
    expect(lines[0]).toMatchObject({ level: 50, context: 'Errors', err: { message: 'boom' } });
    expect(lines[1]).toMatchObject({
      level: 50,
      context: 'ExceptionsHandler',
      err: { message: 'unhandled', stack: expect.stringContaining('at somewhere') },
    });
  });

  it('writes nothing below its level', () => {
    const { logger, lines } = capture('warn');
    logger.log('quiet', 'Main');
    logger.debug('quieter', 'Main');
    expect(lines).toEqual([]);
  });
});
