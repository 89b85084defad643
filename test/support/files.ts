import type { Caller, Answer, TestBase } from './harness';

/** One upload through `POST /api/files/upload` (multipart/form-data, fields before the file, as browsers and curl send them). */
export async function uploadFile(
  base: TestBase,
  as: Caller | null,
  bytes: Uint8Array,
  options: { name?: string; type?: string; fields?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const form = new FormData();
  for (const [key, value] of Object.entries(options.fields ?? {})) form.append(key, value);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: options.type ?? 'application/octet-stream' }), options.name ?? 'data.bin');
  const res = await fetch(`${base.url}/api/files/upload`, { method: 'POST', headers: { ...(as?.headers ?? {}), ...(options.headers ?? {}) }, body: form });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, headers: res.headers };
}

/** The bytes of `GET /api/files/{id}/content`, with the answer's status and headers. */
export async function download(base: TestBase, as: Caller, id: string, headers: Record<string, string> = {}): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await fetch(`${base.url}/api/files/${id}/content`, { headers: { ...as.headers, ...headers } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}
