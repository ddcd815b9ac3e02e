/** The HTTP client: every call carries the host's bearer token; errors keep the API's codes and fields. */
import { createContext, useContext } from 'react';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Upload<T> {
  done: Promise<T>;
  abort(): void;
}

export interface Api {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
  upload<T>(path: string, metadata: unknown, file: File, onProgress: (fraction: number) => void): Upload<T>;
  /** Fetches a protected file for download (the browser cannot add the bearer header to a link). */
  blob(path: string): Promise<Blob>;
}

interface ErrorBody {
  error?: { code?: string; message?: string; fields?: Record<string, string> };
}

function toApiError(status: number, body: unknown): ApiError {
  const err = (body as ErrorBody | null)?.error;
  const fallback = status === 0 ? 'The server could not be reached. Check your connection and try again.' : `The server answered ${status}.`;
  return new ApiError(status, err?.code ?? 'unknown', err?.message ?? fallback, err?.fields);
}

async function parse(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { error: { message: text.slice(0, 300) } };
  }
}

export function createApi(getToken: () => Promise<string>, base = ''): Api {
  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const token = await getToken();
    let response: Response;
    try {
      response = await fetch(base + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw toApiError(0, null);
    }
    const parsed = await parse(response);
    if (!response.ok) throw toApiError(response.status, parsed);
    return parsed as T;
  }

  return {
    get: (path) => request('GET', path),
    send: (method, path, body) => request(method, path, body),
    blob: async (path) => {
      const token = await getToken();
      const response = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw toApiError(response.status, await parse(response));
      return response.blob();
    },
    upload<T>(path: string, metadata: unknown, file: File, onProgress: (fraction: number) => void): Upload<T> {
      // XMLHttpRequest, not fetch: only it reports upload progress.
      const xhr = new XMLHttpRequest();
      const done = getToken().then(
        (token) =>
          new Promise<T>((resolve, reject) => {
            xhr.open('POST', base + path);
            xhr.setRequestHeader('authorization', `Bearer ${token}`);
            xhr.upload.onprogress = (e) => {
              if (e.lengthComputable) onProgress(e.loaded / e.total);
            };
            xhr.onload = () => {
              let body: unknown = null;
              try {
                body = xhr.responseText ? (JSON.parse(xhr.responseText) as unknown) : null;
              } catch {
                body = null;
              }
              if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
              else reject(toApiError(xhr.status, body));
            };
            xhr.onerror = () => reject(toApiError(0, null));
            xhr.onabort = () => reject(new ApiError(0, 'aborted', 'Upload cancelled.'));
            const form = new FormData();
            // The server reads metadata before the file so it can refuse early.
            form.append('metadata', JSON.stringify(metadata));
            form.append('file', file, file.name);
            xhr.send(form);
          }),
      );
      return { done, abort: () => xhr.abort() };
    },
  };
}

export const ApiContext = createContext<Api | null>(null);

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiContext');
  return api;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
