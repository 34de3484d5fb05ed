/** The two steps of a call, with this service's own addresses (docs/API.md says more). */
export function HowToCall({ clientId }: { clientId: string | undefined }) {
  const origin = window.location.origin;
  return (
    <section aria-labelledby="how-heading">
      <h2 id="how-heading">How to call the API</h2>
      <ol className="steps">
        <li>
          <p>
            Exchange the client's ID and secret for an access token (OAuth 2.0 client credentials) at <code>{origin}/oauth/token</code>. A token lasts 15 minutes: keep it and ask again when it
            expires.
          </p>
          <pre tabIndex={0}>
            <code>{`curl -s -u "${clientId ?? '$CLIENT_ID'}:$CLIENT_SECRET" \\\n  -d grant_type=client_credentials -d scope=monitors:read \\\n  ${origin}/oauth/token`}</code>
          </pre>
        </li>
        <li>
          <p>Send the token with every request:</p>
          <pre tabIndex={0}>
            <code>{`curl -s -H "Authorization: Bearer $TOKEN" ${origin}/api/v1/monitors`}</code>
          </pre>
        </li>
      </ol>
      <p>
        Every endpoint is described at <a href="/api/v1/docs">{origin}/api/v1/docs</a> (OpenAPI: <a href="/api/v1/openapi.json">openapi.json</a>).
      </p>
    </section>
  );
}
