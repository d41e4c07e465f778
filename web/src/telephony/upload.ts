import { apiErrorOf, apiHeaders, ApiError, type Json } from '@/api/client';

export type Prompt = Json<'/api/v1/telephony/prompts/{id}', 'get'>;

/**
 * Sends a multipart form with XMLHttpRequest, because fetch cannot report upload progress:
 * `onProgress` gets 0..1 as the bytes leave the browser. Resolves with the JSON answer;
 * rejects with an `ApiError` as the typed client does.
 */
export function sendForm<T>(method: 'POST' | 'PUT', url: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.withCredentials = true;
    for (const [name, value] of Object.entries(apiHeaders())) xhr.setRequestHeader(name, value);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.response as T);
      else reject(apiErrorOf(xhr.status, xhr.response));
    };
    xhr.onerror = () => reject(new ApiError(0, 'unreachable', 'the server could not be reached'));
    xhr.send(form);
  });
}
