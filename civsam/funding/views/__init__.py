"""Pages of the funding app: sources and calls, the grant register and import, the statistics."""
