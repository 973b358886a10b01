// The load benchmark's Markdown section (bench/load-bench.ts).
import { REQUEST_KINDS, type LatencySummary, type LoadBenchResult } from "./load-bench-types";
import { ms } from "./stats";

const count = (n: number) => n.toLocaleString("en-US");

function row(name: string, s: LatencySummary): string {
  return `| ${name} | ${count(s.requests + s.failed)} | ${count(s.failed)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} |`;
}

export function loadReport(r: LoadBenchResult): string {
  const roles = Object.entries(r.sessions.byRole)
    .map(([role, n]) => `${n} ${role.replace("Portal.", "")}`)
    .join(", ");
  const failed = r.totals.non2xx + r.totals.errors + r.totals.timeouts;
  const lines = [
    `### Load: ${r.connections} signed-in staff on ${r.webProcesses} web processes while ${r.workers} workers sync ${count(r.tenants)} tenants (PostgreSQL)`,
    "",
    `${count(r.tenants)} tenants × ${count(r.incidentsPerTenant)} incidents (${count(r.seed.incidents)} seeded in ${(r.seed.seedMs / 1000).toFixed(0)} s) in one PostgreSQL database; two production web processes (\`next build\`, scripts/portal-server.mjs) on loopback ports and two \`npm run worker\` processes syncing from the emulator's Microsoft Graph. ${r.sessions.count} staff sessions (${roles}; ${r.sessions.staff} people) signed in through the real flow (next-auth → the emulator's account picker → callback) at one web process and used at the other, one per connection. autocannon, one request at a time per connection for ${r.durationSeconds.toFixed(0)} s (at most ${count(r.maxRequests)} requests; a request unanswered after ${r.timeoutSeconds} s fails), asks for full HTML pages: the queue (${r.targets.queue} filter and sort views), incident pages (${r.targets.incident} real incidents across the tenants) and searches (${r.targets.search} queries: IPs, UPNs, incident ids, name words) in a 40 : 35 : 25 mix. Milliseconds, 2xx responses only; failed = not 2xx, connection errors and timeouts.`,
    "",
    `**${count(r.totals.requests)} requests, ${r.totals.perSecond.toFixed(1)} per second, ${count(failed)} failed** (non-2xx ${r.totals.non2xx}, connection errors ${r.totals.errors}, timeouts ${r.totals.timeouts}; statuses ${Object.entries(
      r.totals.statusCounts,
    )
      .map(([status, n]) => `${status}: ${count(n)}`)
      .join(", ")}).`,
    "",
    "| Requests | n | failed | p50 | p95 | p99 | max |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    row("all", r.overall),
    ...REQUEST_KINDS.map((kind) => row(kind === "incident" ? "incident page" : kind, r.byKind[kind])),
    ...Object.entries(r.byWeb).map(([name, s]) => row(name, s)),
    "",
    `One request at a time before the load (${r.alone.queue.requests} of each kind, both processes, the sync running): ${REQUEST_KINDS.map(
      (kind) => `${kind === "incident" ? "incident page" : kind} p50 ${ms(r.alone[kind].p50)}, max ${ms(r.alone[kind].max)}`,
    ).join("; ")}.`,
    "",
    `The sync during the load: ${count(r.sync.listCalls)} Graph list calls and ${count(r.sync.tokenRequests)} token requests; ${count(r.sync.tenantsSynced)} of ${count(r.tenants)} tenants finished a pass, ${count(r.sync.rowsWritten)} incident rows written. ${count(r.sync.added)} new incidents created at the emulator during the load (about one a second): ${count(r.sync.storedAtEnd)} stored when it ended, ${count(r.sync.storedAfterGrace)} within ${r.sync.graceSeconds} s after. 1-minute load average ${r.machine.loadBefore.toFixed(1)} before, ${r.machine.loadAfter.toFixed(1)} after.`,
  ];
  return lines.join("\n");
}
