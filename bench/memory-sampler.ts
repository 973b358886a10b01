/** Peak RSS and heap of this process, sampled every 100 ms (plus on demand at phase ends). */
export function startMemorySampler(intervalMs = 100) {
  const peak = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal);
    peak.external = Math.max(peak.external, m.external);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    /** Peak since start (or the last reset). */
    read: () => (sample(), { ...peak }),
    reset: () => {
      peak.rss = 0;
      peak.heapUsed = 0;
      peak.heapTotal = 0;
      peak.external = 0;
      sample();
    },
    stop: () => clearInterval(timer),
  };
}
