import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type ReceivedRequest = { path: string; headers: http.IncomingHttpHeaders; body: string };

/** A webhook receiver on loopback: records every request, answers `status(request, n)` (200 unless told), n counting the tries of one delivery id. */
export async function startWebhookReceiver(): Promise<{
  url: (path: string) => string;
  received: ReceivedRequest[];
  answer: (status: (request: ReceivedRequest, count: number) => number) => void;
  stop: () => Promise<void>;
}> {
  const received: ReceivedRequest[] = [];
  let status: (request: ReceivedRequest, count: number) => number = () => 200;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = { path: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      received.push(request);
      const tries = received.filter((r) => r.path === request.path && r.headers["x-portal-delivery"] === req.headers["x-portal-delivery"]).length;
      res.writeHead(status(request, tries));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    answer: (fn) => (status = fn),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type ReceivedMail = { from: string; to: string[]; data: string; user: string | null };

/** An SMTP server on loopback (no TLS: the portal allows that only to this machine in demo mode). */
export async function startSmtpReceiver(credentials?: {
  user: string;
  pass: string;
}): Promise<{ port: number; mails: ReceivedMail[]; stop: () => Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: credentials ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !credentials,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (credentials && auth.username === credentials.user && auth.password === credentials.pass) return callback(null, { user: auth.username });
      callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString("utf8"),
          user: typeof session.user === "string" ? session.user : null,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
