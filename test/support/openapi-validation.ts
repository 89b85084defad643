import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * Every REST answer the suite receives, held to the OpenAPI document of the Base that answered:
 * the operation is found by method and path template, the status must be one it declares (or 500,
 * a bug, in the error shape), and a JSON body must match the declared schema strictly — an object
 * may carry no property the document does not declare (`additionalProperties: false` wherever the document leaves it open). The
 * document is the one the server serves (the committed one, plus a test's fixture families).
 * Validators are compiled once per operation and status, when first needed.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = Record<string, any>;

interface Template {
  path: string;
  pattern: RegExp;
}

export class OpenApiValidator {
  private readonly ajv: Ajv2020;
  private readonly templates: Template[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly doc: Json) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    this.ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
    this.ajv.addFormat('binary', true);
    this.ajv.addSchema(closeObjects(structuredClone(doc)), 'openapi');
    // A literal segment before a parameter (`/avails/ladder` before `/avails/{id}`).
    this.templates = Object.keys(doc.paths)
      .map((path) => ({ path, params: (path.match(/\{/g) ?? []).length, pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '[^/]+')}$`) }))
      .sort((a, b) => a.params - b.params);
  }

  /** What is wrong with an answer, or null; routes the document does not have (a retired group, a 404 path, a 405 method) are not its business. */
  problem(method: string, url: string, status: number, contentType: string | null, body: unknown): string | null {
    let path: string;
    try {
      path = decodeURI(new URL(url, 'http://x').pathname);
    } catch {
      return null; // broken percent-encoding: no operation's path
    }
    const template = this.templates.find((t) => t.pattern.test(path));
    const operation = template && this.doc.paths[template.path][method.toLowerCase()];
    if (!template || !operation) return null;
    const label = `${method} ${template.path} answered ${status}`;
    // A bug is no status an operation declares; its answer still has the error shape.
    const response = operation.responses[String(status)] ?? (status === 500 ? { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } : undefined);
    if (!response) return `${label}, a status its operation (${operation.operationId}) does not declare (${Object.keys(operation.responses).join(', ')})`;
    if (!response.content) return body === undefined || body === '' ? null : `${label} with a body, where the document declares none`;
    if (!response.content['application/json']) return null; // bytes, in whatever type they were stored
    // Another media type the operation declares (a list as text/csv): the document describes it as text.
    const mediaType = contentType?.split(';')[0].trim();
    if (mediaType && !mediaType.includes('json') && mediaType in response.content) return null;
    if (!contentType?.includes('json')) return `${label} with ${contentType ?? 'no content type'}, where the document declares JSON`;
    const declared = String(status) in operation.responses;
    const key = declared ? `${method.toLowerCase()} ${template.path} ${status}` : 'error';
    let validate = this.compiled.get(key);
    if (!validate) {
      const pointer = declared
        ? ['paths', template.path, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema'].map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')
        : 'components/schemas/Error';
      validate = this.ajv.compile({ $ref: `openapi#/${pointer}` });
      this.compiled.set(key, validate);
    }
    if (validate(body)) return null;
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(body)'} ${e.message}${e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : ''}`);
    return `${label} with a body the document does not describe: ${errors.join('; ')}\n${JSON.stringify(body).slice(0, 2000)}`;
  }
}

/** Every object schema that lists its properties and says nothing of others takes no others. */
function closeObjects(node: any): any {
  if (Array.isArray(node)) node.forEach(closeObjects);
  else if (node && typeof node === 'object') {
    if (node.properties && typeof node.properties === 'object' && !('additionalProperties' in node)) node.additionalProperties = false;
    for (const value of Object.values(node)) closeObjects(value);
  }
  return node;
}
