"""The OpenAPI document names each component after its schema class (issue #11)."""


def test_no_two_api_schemas_share_a_name():
    """The document names a component by its class name: a second class of the same name silently
    replaces the first one's schema, so one operation's answers are then checked against the other's."""
    import gc

    from ninja import Schema

    import civsam.api  # noqa: F401  (every router, so every schema class, is loaded)

    gc.collect()
    by_name: dict[str, set[str]] = {}
    pending = list(Schema.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("civsam.") and "[" not in cls.__name__:
            by_name.setdefault(cls.__name__, set()).add(cls.__module__)
    assert by_name, "no API schemas found"
    clashes = {name: sorted(modules) for name, modules in by_name.items() if len(modules) > 1}
    assert not clashes, clashes
