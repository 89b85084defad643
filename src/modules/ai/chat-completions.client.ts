import { z } from 'zod';
import { AiUnavailableError } from '../../shared/errors';
import { fetchOutside } from '../../core/outside-call';

/**
 * A client of an OpenAI-compatible chat-completions endpoint (`POST {url}/chat/completions`).
 * Every way it can fail (not configured, refused connection, timeout, redirect, non-2xx status,
 * a body that is not the wire format, an empty or cut-off answer) is one `AiUnavailableError`:
 * a caller never gets a made-up answer. The reason goes to the log, never the key or the answer.
 */
export interface ChatSettings {
  /** The base URL (`https://api.openai.com/v1`); null: not configured. */
  url: string | null;
  apiKey: string | null;
  model: string;
  /** Longest wait for the whole answer, body included. */
  timeoutMs: number;
}

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Ask for JSON matching this schema (structured output, `strict`). */
  json?: { name: string; schema: Record<string, unknown> };
  temperature?: number;
}

export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface ChatAnswer {
  content: string;
  model: string;
  usage: ChatUsage;
}

/** What the client needs of a logger (pino's shape). */
interface WarnLog {
  warn(obj: object, msg: string): void;
}

const tokens = z.number().int().min(0);
const wireAnswer = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({ role: z.string(), content: z.string().nullable() }),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: tokens, completion_tokens: tokens, total_tokens: tokens.optional() }),
});

/** Most bytes of an answer read: a provider answering endlessly is a failure, not a memory problem. */
const MAX_ANSWER_BYTES = 2 * 1024 * 1024;

export class ChatCompletionsClient {
  constructor(
    private readonly settings: ChatSettings,
    private readonly log?: WarnLog,
  ) {}

  get configured(): boolean {
    return this.settings.url !== null;
  }

  get model(): string {
    return this.settings.model;
  }

  async complete(request: ChatRequest): Promise<ChatAnswer> {
    const { url, apiKey, model, timeoutMs } = this.settings;
    if (!url) throw new AiUnavailableError('The AI service is not configured (AI_API_URL)');
    const body = {
      model,
      messages: request.messages,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.json ? { response_format: { type: 'json_schema', json_schema: { name: request.json.name, schema: request.json.schema, strict: true } } } : {}),
    };
    const signal = AbortSignal.timeout(timeoutMs);
    let text: string;
    try {
      const res = await fetchOutside(`${url}/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        },
        body: JSON.stringify(body),
        signal,
      });
      text = await readLimited(res);
      if (res.status < 200 || res.status >= 300) return this.fail(`status ${res.status}`, text.slice(0, 200));
    } catch (err) {
      if (err instanceof AiUnavailableError) throw err;
      const reason = signal.aborted ? `no answer within ${timeoutMs} ms` : `request failed: ${(err as Error).cause ?? (err as Error).message}`;
      return this.fail(reason);
    }
    let parsed: z.infer<typeof wireAnswer>;
    try {
      parsed = wireAnswer.parse(JSON.parse(text));
    } catch {
      return this.fail('an answer that is not the chat-completions format', text.slice(0, 200));
    }
    const choice = parsed.choices[0];
    if (choice.finish_reason && choice.finish_reason !== 'stop') return this.fail(`an unfinished answer (${choice.finish_reason})`);
    if (!choice.message.content?.trim()) return this.fail('an empty answer');
    const usage = parsed.usage;
    return {
      content: choice.message.content,
      model: parsed.model ?? model,
      usage: {
        promptTokens: usage.prompt_tokens,
        completionTokens: usage.completion_tokens,
        totalTokens: usage.total_tokens ?? usage.prompt_tokens + usage.completion_tokens,
      },
    };
  }

  private fail(reason: string, excerpt?: string): never {
    this.log?.warn({ reason, ...(excerpt !== undefined ? { excerpt } : {}) }, 'AI provider unavailable');
    throw new AiUnavailableError(`The AI service is unavailable (${reason}); try again later`);
  }
}

async function readLimited(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new AiUnavailableError('The AI service is unavailable (an answer too large); try again later');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
