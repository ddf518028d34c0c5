/**
 * Sent with every answer of the server: the API's JSON, CSV and problems,
 * the dashboard's files, the status page, and the answers Node's parser
 * makes for requests it cannot read (client-errors.ts). As the status page
 * first had them: no sniffing, no framing, no referrer, same-origin
 * everything, nothing cached.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'",
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};
