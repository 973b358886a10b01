// Demo mode's notification sink: where the demo's channels point, so a newcomer sees a notification
// arrive without a Teams, Slack or mail account. Webhooks arrive at POST /sink/<channel> on the
// browser-facing HTTP port, mail at a loopback SMTP server; GET /sink lists what arrived (newest
// first, kept in memory) and can create a High incident in a consented customer to set one off.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { escapeHtml } from "./html-layout";
import { readForm, redirect, sendHtml, sendJson, sendRaw, type Route } from "./http-router";
import type { DirectoryTenant } from "./model";
import type { LogEvent } from "./server";

export type SinkArrival = { id: number; at: string; channel: string; title: string; headers: Record<string, string>; body: string };

type SinkStore = {
  tenantState(tenantId: string): { servicePrincipalId: string | null };
  addIncidents(tenantId: string, count: number, overrides?: { severity?: string; incidentName?: string }[]): { incidentId: number }[];
};

const KEPT = 200;
const SHOWN_HEADERS = ["content-type", "user-agent", "x-portal-delivery", "x-portal-timestamp", "x-portal-signature", "subject", "from", "to"];

function titleOf(channel: string, body: string): string {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    if (channel === "teams") {
      const card = (json.attachments as { content?: { body?: { text?: string }[] } }[] | undefined)?.[0]?.content;
      return card?.body?.[0]?.text?.replace(/\\(.)/g, "$1") ?? "(Adaptive Card)";
    }
    if (channel === "slack") return ((json.blocks as { text?: { text?: string } }[] | undefined)?.[0]?.text?.text ?? String(json.text ?? "")).slice(0, 300);
    const incident = json.incident as { name?: string } | null | undefined;
    return `${String(json.event ?? "message")}${incident?.name ? `: ${incident.name}` : ""}`;
  } catch {
    return "(not JSON)";
  }
}

/** "=?UTF-8?B?…?=" and "=?UTF-8?Q?…?=" in a mail header, decoded enough to read. */
function decodeHeader(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
    encoding.toLowerCase() === "b"
      ? Buffer.from(text, "base64").toString("utf8")
      : Buffer.from(
          text.replace(/_/g, " ").replace(/=([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          "latin1",
        ).toString("utf8"),
  );
}

function mailHeaders(raw: string): Record<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? "";
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const at = line.indexOf(":");
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = decodeHeader(line.slice(at + 1).trim());
  }
  return headers;
}

export async function startNotificationSink(opts: {
  host: string;
  smtpPort: number;
  customers: DirectoryTenant[];
  store: SinkStore;
  log: LogEvent;
}): Promise<{ routes: Route[]; smtpPort: number; arrivals: SinkArrival[]; close: () => Promise<void> }> {
  const arrivals: SinkArrival[] = [];
  let serial = 0;
  const record = (arrival: Omit<SinkArrival, "id" | "at">) => {
    arrivals.unshift({ id: ++serial, at: new Date().toISOString(), ...arrival });
    arrivals.length = Math.min(arrivals.length, KEPT);
    opts.log({ event: "sink.received", channel: arrival.channel, title: arrival.title });
  };

  const smtp = new SMTPServer({
    secure: false,
    disabledCommands: ["STARTTLS", "AUTH"],
    authOptional: true,
    logger: false,
    size: 1_000_000,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const headers = mailHeaders(raw);
        record({ channel: "email", title: headers.subject ?? "(no subject)", headers, body: raw.slice(0, 20_000) });
        callback();
      });
    },
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      smtp.server.once("error", reject);
      smtp.listen(port, opts.host, () => {
        smtp.server.off("error", reject);
        resolve();
      });
    });
  // The demo's fixed port may be taken (another demo, a test run): the sink is a convenience, so take any.
  await listen(opts.smtpPort).catch(() => listen(0));
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const consented = () => opts.customers.filter((tenant) => opts.store.tenantState(tenant.id).servicePrincipalId !== null);

  const routes: Route[] = [
    {
      method: "GET",
      path: "/sink",
      handler: (rc) => {
        const items = arrivals
          .map(
            (a) => `<li class="arrival" data-channel="${escapeHtml(a.channel)}">
<h2>${escapeHtml(a.title)}</h2>
<p class="note">${escapeHtml(a.at)} · ${escapeHtml(a.channel)}${Object.entries(a.headers)
              .filter(([name]) => SHOWN_HEADERS.includes(name))
              .map(([name, value]) => ` · <code>${escapeHtml(name)}: ${escapeHtml(value.slice(0, 120))}</code>`)
              .join("")}</p>
<details><summary>Body</summary><pre>${escapeHtml(a.channel === "email" ? a.body : prettyJson(a.body))}</pre></details>
</li>`,
          )
          .join("\n");
        const tenants = consented();
        const create = tenants.length
          ? `<form method="post" action="/sink/incident"><label>Create a High incident in
<select name="tenantId">${tenants.map((t) => `<option value="${escapeHtml(t.id)}">${escapeHtml(t.displayName)}</option>`).join("")}</select></label>
<button type="submit">Create</button></form><p class="note">The portal syncs it within about 30 seconds; a rule that wants it sends it here.</p>`
          : `<p class="note">No customer has consented yet: onboard one in the portal, then create an incident here.</p>`;
        sendHtml(
          rc.res,
          200,
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>Notification sink</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
ul{list-style:none;padding:0}li.arrival{border:1px solid #ddd;border-radius:.5rem;padding:.5rem 1rem;margin:.5rem 0}
h2{font-size:1rem;margin:.25rem 0}.note{color:#5e5e5e;font-size:.85rem}pre{white-space:pre-wrap;word-break:break-all;font-size:.8rem;background:#f6f6f6;padding:.5rem}</style></head>
<body><h1>Notification sink (demo)</h1>
<p class="note">Webhooks sent to <code>/sink/teams</code>, <code>/sink/slack</code> and <code>/sink/webhook</code> on this address and mail sent to
SMTP <code>${escapeHtml(opts.host)}:${smtpPort}</code> appear here (newest first, the last ${KEPT}; refreshes every 5 seconds).</p>
${create}
<h2>${arrivals.length === 0 ? "Nothing has arrived yet." : `${arrivals.length} arrived`}</h2>
<ul>${items}</ul></body></html>`,
        );
      },
    },
    { method: "GET", path: "/sink/messages", handler: (rc) => sendJson(rc.res, 200, arrivals) },
    {
      method: "POST",
      path: "/sink/incident",
      handler: async (rc) => {
        const tenantId = (await readForm(rc)).get("tenantId") ?? "";
        if (!consented().some((t) => t.id === tenantId)) return sendHtml(rc.res, 400, "<p>Choose a consented customer.</p>");
        const [added] = opts.store.addIncidents(tenantId, 1, [
          { severity: "High", incidentName: "Demo: ransomware behaviour on FS01 (created from the sink page)" },
        ]);
        opts.log({ event: "sink.incident_created", tenantId, incidentId: added?.incidentId });
        redirect(rc.res, "/sink");
      },
    },
    {
      method: "POST",
      path: "/sink/:channel",
      handler: async (rc) => {
        const body = await rc.body();
        const channel = rc.param("channel");
        const headers = Object.fromEntries(Object.entries(rc.req.headers).map(([name, value]) => [name, String(value)]));
        record({ channel, title: titleOf(channel, body), headers, body: body.slice(0, 50_000) });
        sendRaw(rc.res, 200, "text/plain; charset=utf-8", "ok");
      },
    },
  ];
  return { routes, smtpPort, arrivals, close: () => new Promise<void>((resolve) => smtp.close(() => resolve())) };
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
