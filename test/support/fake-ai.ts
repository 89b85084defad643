import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { sleep } from './waiting';

/**
 * An OpenAI-compatible chat-completions provider over real HTTP for the tests: it records every
 * request (to assert what a prompt holds) and has a switch for every fault Base must survive.
 */
export type AiFault =
  /** Answers this status with an OpenAI-style error body. */
  | { kind: 'status'; status: number }
  /** Waits this long before answering (past Base's timeout). */
  | { kind: 'slow'; ms: number }
  /** A chat-completions answer whose message content is not JSON. */
  | { kind: 'invalid-json' }
  /** A body that is not the chat-completions format at all. */
  | { kind: 'not-chat' }
  /** The answer was cut off (`finish_reason: length`). */
  | { kind: 'truncated' }
  /** Redirects to itself (a client must not follow). */
  | { kind: 'redirect' };

export interface RecordedAiRequest {
  path: string;
  authorization: string | undefined;
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format?: { type: string; json_schema: { name: string; schema: Record<string, unknown>; strict: boolean } };
    temperature?: number;
  };
}

export class FakeAi {
  requests: RecordedAiRequest[] = [];
  fault: AiFault | null = null;
  /** What the assistant says (a string, or an object sent as JSON text); per request if a function. */
  reply: unknown | ((request: RecordedAiRequest) => unknown) = 'Hello.';
  usage = { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 };
  /** Added before every answer, to make concurrent callers overlap. */
  delayMs = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeAi> {
    const server = http.createServer((req, res) => void self.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const self = new FakeAi(server, `http://127.0.0.1:${port}/v1`);
    server.on('connection', (socket) => {
      self.sockets.add(socket);
      socket.on('close', () => self.sockets.delete(socket));
    });
    return self;
  }

  get last(): RecordedAiRequest {
    const last = this.requests.at(-1);
    if (!last) throw new Error('The fake AI received no request');
    return last;
  }

  /** Everything the provider was sent, system and user messages together. */
  get lastPrompt(): string {
    return this.last.body.messages.map((m) => m.content).join('\n');
  }

  reset(): void {
    this.requests = [];
    this.fault = null;
    this.reply = 'Hello.';
    this.delayMs = 0;
  }

  /** Up again on the same address after `close()`. */
  async listenAgain(): Promise<void> {
    const port = Number(new URL(this.url).port);
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
  }

  /** Down: the port is closed, connections are refused. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      return void res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
    }
    const recorded: RecordedAiRequest = {
      path: req.url,
      authorization: req.headers.authorization,
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
    };
    this.requests.push(recorded);
    // Real time: the provider is slow (overlapping calls, Base's timeout).
    if (this.delayMs) await sleep(this.delayMs);
    const fault = this.fault;
    if (fault?.kind === 'slow') await sleep(fault.ms);
    if (res.destroyed || res.socket?.destroyed) return;
    if (fault?.kind === 'status') {
      return void res.writeHead(fault.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'provider failure', type: 'server_error' } }));
    }
    if (fault?.kind === 'redirect') return void res.writeHead(307, { location: `${this.url}/chat/completions` }).end();
    if (fault?.kind === 'not-chat') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}');
    const reply = typeof this.reply === 'function' ? (this.reply as (r: RecordedAiRequest) => unknown)(recorded) : this.reply;
    const content = fault?.kind === 'invalid-json' ? 'Sure! Here is the expense: {category: oops' : typeof reply === 'string' ? reply : JSON.stringify(reply);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: `chatcmpl-${this.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: recorded.body.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: fault?.kind === 'truncated' ? 'length' : 'stop' }],
        usage: this.usage,
      }),
    );
  }
}

