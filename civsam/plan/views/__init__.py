"""Pages of the plan app: the plan tree, the follow-up (initiatives, indicators), imports and the report."""
