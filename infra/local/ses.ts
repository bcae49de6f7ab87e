// Local SES: aws-ses-v2-local in this process (SES v1 + v2 API, a mail viewer, GET /store).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as sesLocal from 'aws-ses-v2-local';
import { closeServer } from './http-server';
import { assertPortFree } from './ports';

export interface LocalSes {
  url: string;
  port: number;
  /** The web viewer of sent mail. */
  viewerUrl: string;
  /** JSON of every mail sent since start. */
  storeUrl: string;
  stop(): Promise<void>;
}

export interface SentMail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  /** Parts of a raw email other than its bodies (e.g. a calendar event); content in base64. */
  attachments?: { content: string; contentType: string; filename?: string; size: number }[];
  at: number;
}

type ServerFn = (config?: { host?: string; port?: number }) => Promise<Server>;

// The package is CommonJS with `exports.default`; from ESM that function sits one level deeper.
function serverFunction(): ServerFn {
  const mod = sesLocal as unknown as { default: ServerFn | { default: ServerFn } };
  return typeof mod.default === 'function' ? mod.default : mod.default.default;
}

export async function startLocalSes(
  options: { port?: number; host?: string } = {},
): Promise<LocalSes> {
  const host = options.host ?? '127.0.0.1';
  // The package never rejects on a busy port (its server just emits 'error'): check first.
  if (options.port) {
    await assertPortFree('local SES', options.port, 'set LIANDONG_SES_PORT to another port', host);
  }
  const server = await serverFunction()({ host, port: options.port ?? 0 });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  return {
    url,
    port,
    viewerUrl: `${url}/`,
    storeUrl: `${url}/store`,
    stop: () => closeServer(server),
  };
}

/** The mail sent so far (optionally since an epoch second), oldest first. */
export async function readSentMail(url: string, since?: number): Promise<SentMail[]> {
  const base = url.replace(/\/store\/?$/, '').replace(/\/$/, '');
  const res = await fetch(`${base}/store${since === undefined ? '' : `?since=${since}`}`);
  if (!res.ok) throw new Error(`local SES store answered ${res.status}`);
  const { emails } = (await res.json()) as { emails: SentMail[] };
  return emails;
}
