/** One API call as the CLI makes it. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

/** How the CLI reaches the API: over the network to a server, or in-process against the local store. */
export interface ApiTransport {
  readonly description: string;
  send(req: ApiRequest): Promise<ApiResponse>;
  close(): Promise<void>;
}

export function pathWithQuery(req: ApiRequest): string {
  const q = Object.entries(req.query ?? {}).filter(([, v]) => v !== undefined && v !== '');
  return q.length
    ? `${req.path}?${new URLSearchParams(q.map(([k, v]) => [k, String(v)])).toString()}`
    : req.path;
}
