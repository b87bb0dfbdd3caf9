import { requestLogLevel } from './request-log-level.js';

describe('requestLogLevel', () => {
  it('logs failures by severity, whatever the method', () => {
    expect(requestLogLevel('GET', 500)).toBe('error');
    expect(requestLogLevel('GET', 200, new Error('aborted'))).toBe('error');
    expect(requestLogLevel('GET', 404)).toBe('warn');
    expect(requestLogLevel('POST', 409)).toBe('warn');
  });

  it('logs 503s (draining, saturated, database away) as warnings, not errors', () => {
    expect(requestLogLevel('GET', 503)).toBe('warn');
    expect(requestLogLevel('POST', 503, new Error('Service Unavailable'))).toBe('warn');
  });

  it('logs successful writes at info and successful reads at debug', () => {
    expect(requestLogLevel('POST', 201)).toBe('info');
    expect(requestLogLevel('DELETE', 204)).toBe('info');
    expect(requestLogLevel('GET', 200)).toBe('debug');
    expect(requestLogLevel('GET', 304)).toBe('debug');
    expect(requestLogLevel('HEAD', 200)).toBe('debug');
  });
});
