import { h } from './dom.js';

const KEY = 'cxray-token';

/**
 * The server's access token, when it has one (`cxray serve` with
 * CXRAY_TOKEN): asked for once and kept for this browser tab only
 * (sessionStorage), then sent with every API call.
 */
export function storedToken(): string | null {
  try {
    const token = sessionStorage.getItem(KEY);
    return token === null || token === '' ? null : token;
  } catch {
    return null;
  }
}

/** A form asking for the token; `onSaved` runs once it is kept. */
export function tokenForm(onSaved: () => void): HTMLElement {
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', required: true, 'aria-label': 'Access token' });
  const form = h(
    'form',
    { class: 'token-form' },
    h('p', {}, 'This server needs an access token: the one in CXRAY_TOKEN or the --token-file of `cxray serve`. It is kept for this tab only.'),
    input,
    h('button', { type: 'submit' }, 'Use this token'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    try {
      sessionStorage.setItem(KEY, input.value.trim());
    } catch {
      // A browser that refuses storage keeps asking; nothing else to do.
    }
    onSaved();
  });
  return form;
}
