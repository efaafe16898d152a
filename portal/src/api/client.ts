// The one way the portal reaches the API: a client generated from docs/openapi.json
// (openapi-typescript + openapi-fetch). A path, parameter or field the document lacks does not
// type-check, so a breaking change of the API fails `npm run build`.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";
import { served } from "./operations.gen";

export type Schemas = components["schemas"];
export type ApplicationView = Schemas["ApplicationView"];
export type ApplicationKind = Schemas["ApplicationKind"];
export type DocumentType = Schemas["DocumentType"];

/** A refusal of the API: its problem+json `code`, Chinese `detail` and field problems. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: Record<string, string[]> = {},
  ) {
    super(message);
  }
}

let baseUrl = "";
let tokenSource: () => Promise<string | null> = async () => null;

const bearer: Middleware = {
  async onRequest({ request }) {
    const token = await tokenSource();
    if (token) request.headers.set("authorization", `Bearer ${token}`);
    return request;
  },
};

export let api = createClient<paths>();

/** Points the client at the API; `token` is asked before every request (MSAL renews it silently). */
export function connect(apiBaseUrl: string, token: () => Promise<string | null>): void {
  baseUrl = apiBaseUrl;
  tokenSource = token;
  api = createClient<paths>({ baseUrl: apiBaseUrl || location.origin });
  api.use(bearer);
}

/** The body of a successful answer; a problem becomes an ApiError. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw toApiError(response.status, error);
  return data as T;
}

function toApiError(status: number, problem: unknown): ApiError {
  const p = (problem ?? {}) as { code?: string; detail?: string; title?: string; errors?: Record<string, string[]> };
  const fallback = status === 401 ? "登录已过期，请重新登录" : status === 403 ? "无权进行此操作" : `请求失败（HTTP ${status}）`;
  return new ApiError(status, p.code ?? `http_${status}`, p.detail ?? p.title ?? fallback, p.errors ?? {});
}

/**
 * A file the API streams (a document, a PDF), fetched with the token: a link cannot carry the
 * bearer header, so the portal shows it from a blob URL.
 */
export async function fetchBlob(path: string): Promise<Blob> {
  const token = await tokenSource();
  const response = await fetch((baseUrl || location.origin) + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) {
    const problem = response.headers.get("content-type")?.includes("json") ? await response.json().catch(() => null) : null;
    throw toApiError(response.status, problem);
  }
  return response.blob();
}

/** Whether the API document the portal was built against has this operation, e.g. `GET /api/reviews/summary`. */
export function serves(operation: string): boolean {
  return operation in served;
}

/** The query parameters an operation takes, by the API document. */
export function queryParameters(operation: string): readonly string[] {
  return served[operation] ?? [];
}

/** A path segment as the API expects it (a certificate number is percent-encoded UTF-8). */
export const segment = encodeURIComponent;

/** The query parameters of an operation, as the API document declares them. */
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
/** The JSON body of an operation. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;
