"""Pages for social value: the proxy library (proxies), the analyses with their reports (analyses,
pdfs) and the socio-economic account (socioeconomic)."""
