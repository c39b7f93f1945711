// A real OpenID Provider (npm oidc-provider) for the e-ID tests, shaped like a Swedish e-ID broker
// under the Sweden Connect OIDC profile: authorization code with PKCE, private_key_jwt client
// authentication only, the personal identity number and the level of assurance in the ID token.
//
// Started by the pytest fixture in civsam/accounts/tests/oidc_provider.py. Reads its client from
// the environment variable OIDC_TEST_CLIENT (JSON: client_id, redirect_uri, jwks_uri), listens on
// a free port of 127.0.0.1, prints one line of JSON ({"issuer": ...}) when ready, and exits when
// its standard input closes, so that it never outlives the test run.
//
// Test-only: the login page lets the test pick a test person, consent is given automatically, and
// POST /__test__/tamper {"tamper": "..."} makes the next token response carry a broken ID token,
// re-signed with the provider's own key, for the cases the provider cannot be made to issue.
import crypto from 'node:crypto';
import http from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const PNR_CLAIM = 'https://id.oidc.se/claim/personalIdentityNumber';
const SCOPE_NUMBER = 'https://id.oidc.se/scope/naturalPersonNumber';
const SCOPE_NAME = 'https://id.oidc.se/scope/naturalPersonInfo';
const LOA2 = 'http://id.elegnamnden.se/loa/1.0/loa2';
const LOA3 = 'http://id.elegnamnden.se/loa/1.0/loa3';

// Test persons, with made-up personal identity numbers that have a valid check digit.
const PEOPLE = {
  anna: { pnr: '198112289874', given_name: 'Anna', family_name: 'Andersson', acr: LOA3 },
  bertil: { pnr: '199001012393', given_name: 'Bertil', family_name: 'Berg', acr: LOA3 },
  // Holds only an e-ID at level 2, which Civsam must refuse.
  cecilia: { pnr: '197802022389', given_name: 'Cecilia', family_name: 'Carlsson', acr: LOA2 },
};

const TAMPERS = new Set(['aud', 'exp', 'nonce', 'iss', 'none', 'foreign-key']);

const client = JSON.parse(process.env.OIDC_TEST_CLIENT || '{}');
for (const key of ['client_id', 'redirect_uri', 'jwks_uri']) {
  if (!client[key]) {
    console.error(`OIDC_TEST_CLIENT lacks ${key}`);
    process.exit(2);
  }
}

const signingKey = await jose.generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await jose.exportJWK(signingKey.privateKey)), kid: 'op-signing-1', alg: 'RS256', use: 'sig' };

let nextTamper = null;

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function tamperIdToken(idToken, tamper, issuer) {
  const [, payloadPart] = idToken.split('.');
  const payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  const now = Math.floor(Date.now() / 1000);
  switch (tamper) {
    case 'aud': payload.aud = 'another-client'; break;
    case 'exp': payload.iat = now - 3600; payload.auth_time = now - 3600; payload.exp = now - 1800; break;
    case 'nonce': payload.nonce = 'a-nonce-from-another-login'; break;
    case 'iss': payload.iss = `${issuer}/another-issuer`; break;
    default: break;
  }
  if (tamper === 'none') {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    return `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
  }
  // Signed with the provider's key (every check but the altered claim passes), or with a key of
  // the same id that the provider never published.
  const key = tamper === 'foreign-key'
    ? (await jose.generateKeyPair('RS256')).privateKey
    : signingKey.privateKey;
  return new jose.SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: signingJwk.kid }).sign(key);
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: client.client_id,
      redirect_uris: [client.redirect_uri],
      jwks_uri: client.jwks_uri,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'RS256',
      id_token_signed_response_alg: 'RS256',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    }],
    clientAuthMethods: ['private_key_jwt'],
    jwks: { keys: [signingJwk] },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    acrValues: [LOA2, LOA3],
    scopes: ['openid', SCOPE_NAME, SCOPE_NUMBER],
    claims: {
      acr: null,
      auth_time: null,
      [SCOPE_NAME]: ['given_name', 'family_name', 'name'],
      [SCOPE_NUMBER]: [PNR_CLAIM],
    },
    // The Swedish profile delivers the claims of its scopes in the ID token.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    // Our client's JWKS is on the loopback address, which the provider's SSRF guard refuses by
    // default; this provider only ever talks to the test's own live server.
    fetch: (url, options) => {
      const { dispatcher, ...rest } = options;
      return globalThis.fetch(url, rest);
    },
    features: { devInteractions: { enabled: false } },
    ttl: { IdToken: 300, AccessToken: 300, AuthorizationCode: 60, Interaction: 600, Session: 600, Grant: 600 },
    async findAccount(ctx, sub) {
      const person = PEOPLE[sub];
      if (!person) return undefined;
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            given_name: person.given_name,
            family_name: person.family_name,
            name: `${person.given_name} ${person.family_name}`,
            [PNR_CLAIM]: person.pnr,
          };
        },
      };
    },
    // Consent is given automatically for everything the client asked for.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(ctx.oidc.params.scope);
      await grant.save();
      return grant;
    },
  });

  provider.use(async (ctx, next) => {
    if (ctx.path === '/__test__/tamper' && ctx.method === 'POST') {
      const chunks = [];
      for await (const chunk of ctx.req) chunks.push(chunk);
      const { tamper } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      if (tamper !== null && !TAMPERS.has(tamper)) {
        ctx.status = 400;
        ctx.body = { error: `unknown tamper ${tamper}` };
        return;
      }
      nextTamper = tamper;
      ctx.status = 204;
      return;
    }

    const interaction = ctx.path.match(/^\/interaction\/([^/]+)$/);
    if (interaction) {
      const details = await provider.interactionDetails(ctx.req, ctx.res);
      if (details.uid !== interaction[1]) ctx.throw(400, 'interaction mismatch');
      if (ctx.method === 'GET') {
        const options = Object.entries(PEOPLE)
          .map(([id, p]) => `<option value="${id}">${escapeHtml(`${p.given_name} ${p.family_name}`)}</option>`)
          .join('');
        ctx.type = 'html';
        ctx.body = `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Test-e-legitimation</title></head>
<body><main><h1>Test-e-legitimation</h1>
<form method="post" action="/interaction/${escapeHtml(details.uid)}">
<label for="person">Testperson</label> <select id="person" name="person">${options}</select>
<button type="submit">Legitimera</button></form></main></body></html>`;
        return;
      }
      if (ctx.method === 'POST') {
        const form = await readForm(ctx.req);
        const personId = form.get('person');
        const person = PEOPLE[personId];
        if (!person) ctx.throw(400, 'unknown test person');
        const returnTo = await provider.interactionResult(ctx.req, ctx.res, {
          login: { accountId: personId, acr: person.acr, amr: ['test'] },
        }, { mergeWithLastSubmission: false });
        ctx.status = 303;
        ctx.redirect(returnTo);
        return;
      }
    }

    await next();

    if (ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token && nextTamper) {
      const tamper = nextTamper;
      nextTamper = null;
      ctx.body = { ...ctx.body, id_token: await tamperIdToken(ctx.body.id_token, tamper, issuer) };
    }
  });

  for (const event of ['grant.error', 'authorization.error', 'server_error', 'jwks.error']) {
    provider.on(event, (ctx, error) => {
      console.error(`${event}: ${error.error || error.name}: ${error.error_description || error.message}`
        + `${error.cause ? ` (${error.cause.message})` : ''}`);
    });
  }
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
