"""Log in with a Swedish e-ID (BankID, Freja eID+) through an OpenID Connect broker, following the
Sweden Connect OIDC profile (ADR 0060). Sits beside the password login: its own URLs, services and
pages. `client` speaks the protocol, `services` writes, `views` ties them to requests."""
