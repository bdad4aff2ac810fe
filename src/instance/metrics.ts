import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The process-wide metrics registry; modules add their counters here. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

type DurationChild = ReturnType<typeof httpRequestDuration.labels>;
const durationChildren = new Map<string, DurationChild>();

/**
 * Records one answered request. The labelled child of each (method, route template, status) is made once and
 * kept: a request allocates no label object and hashes no label set.
 */
export function observeHttpRequest(method: string, route: string, status: number, seconds: number): void {
  const key = `${method} ${status} ${route}`;
  let child = durationChildren.get(key);
  if (!child) {
    child = httpRequestDuration.labels(method, route, String(status));
    durationChildren.set(key, child);
  }
  child.observe(seconds);
}

/** Counter factory bound to the registry (idempotent per name, for repeated app creation in tests). */
export function counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
  const existing = metricsRegistry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [metricsRegistry] });
}

/** Gauge factory bound to the registry (idempotent per name). */
export function gauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> {
  const existing = metricsRegistry.getSingleMetric(name);
  if (existing) return existing as Gauge<L>;
  return new Gauge({ name, help, labelNames, registers: [metricsRegistry] });
}
