// A real OpenID Connect provider (panva's oidc-provider) on loopback, for the single sign-on tests.
// Usage: node provider.mjs PORT CONFIG_JSON
//   CONFIG_JSON = {"clients": [{client_id, client_secret, redirect_uris}], "accounts": {login: claims}}
// Prints "ready" once it listens. Its development login screens accept any password for a known
// login; an unknown login gets no account. Nothing here is used outside the tests.
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const config = JSON.parse(process.argv[3]);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: config.clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    ...client,
  })),
  async findAccount(ctx, id) {
    const claims = config.accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
  },
  scopes: ['openid', 'email', 'profile'],
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['ceds-test-only-cookie-key'] },
  pkce: { required: () => true },
});
provider.proxy = false;
// Plain-HTTP loopback issuer: allowed for tests (oidc-provider only warns).
provider.listen(port, '127.0.0.1', () => {
  process.stdout.write('ready\n');
});
