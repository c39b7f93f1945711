"""Starts and stops the test OpenID Provider (provider.mjs, npm oidc-provider) for the e-ID tests.

The provider is a real one: our client speaks the whole protocol to it over HTTP. Node and the npm
packages (`npm ci`) are required; without them the tests fail rather than skip, since they are
the only proof that e-ID login works.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("provider.mjs")
START_TIMEOUT = 30  # seconds


class ProviderUnavailable(RuntimeError):
    pass


@dataclass
class OidcTestProvider:
    issuer: str
    process: subprocess.Popen
    log_path: Path
    people: dict[str, str] = field(
        default_factory=lambda: {"anna": "198112289874", "bertil": "199001012393", "cecilia": "197802022389"}
    )

    def tamper(self, mode: str | None) -> None:
        """Make the next token response carry an ID token broken in the given way (provider.mjs)."""
        request = urllib.request.Request(  # noqa: S310 (the local test provider, http on purpose)
            f"{self.issuer}/__test__/tamper",
            data=json.dumps({"tamper": mode}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            assert response.status == 204

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()  # the script exits when its input closes
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                self.process.wait(timeout=5)
        self.process.stdout.close()
        self.log_path.unlink(missing_ok=True)


def start_provider(*, client_id: str, redirect_uri: str, jwks_uri: str) -> OidcTestProvider:
    node = shutil.which("node")
    if node is None:
        raise ProviderUnavailable("node is not installed; the e-ID tests need Node.js")
    if not (ROOT / "node_modules" / "oidc-provider").is_dir():
        raise ProviderUnavailable("npm package oidc-provider missing: run `npm ci` in the project root")
    log = tempfile.NamedTemporaryFile(prefix="oidc-provider-", suffix=".log", delete=False)  # noqa: SIM115
    env = {
        **os.environ,
        "OIDC_TEST_CLIENT": json.dumps({"client_id": client_id, "redirect_uri": redirect_uri, "jwks_uri": jwks_uri}),
    }
    process = subprocess.Popen(
        [node, str(SCRIPT)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    log.close()
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready:
            line = process.stdout.readline()
            if line:
                return OidcTestProvider(issuer=json.loads(line)["issuer"], process=process, log_path=Path(log.name))
        if process.poll() is not None:
            break
    process.kill()
    raise ProviderUnavailable(f"the test OpenID Provider did not start:\n{Path(log.name).read_text()}")
