// Calls to the JSON API from the workspace: the session's CSRF token goes
// with every change (X-CSRF-Token), the cookie goes by itself (same origin),
// and a problem reply becomes an Error carrying its detail, status and field.

let csrf = null;

export function setCsrf(token) {
  csrf = token;
}

// call('PUT', '/api/v1/assessments?...', {scores: [...]}) for JSON;
// call('POST', url, file, file.type) for raw bytes (a File or a string).
export async function call(method, path, body, type) {
  const headers = { Accept: 'application/json' };
  let payload;
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  if (type !== undefined) {
    payload = body;
    headers['Content-Type'] = type || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  const r = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  let data = null;
  if (r.status !== 204) {
    try {
      data = await r.json();
    } catch (e) {
      data = null;
    }
  }
  if (!r.ok) {
    const err = new Error((data && data.detail) || `${r.status} ${r.statusText}`);
    err.status = r.status;
    err.field = data && data.field;
    throw err;
  }
  return data;
}

// A query string from an object, leaving out empty values.
export function qs(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  return q.toString();
}
