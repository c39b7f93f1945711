"""Partnership agreements (issue #17): IOP, local överenskommelser and other collaboration
agreements, with parties of every sector, contributions, governance, follow-up and a legal
assessment before an IOP is signed (ADR 0131–0133)."""
