"""Walk the URL resolver: every registered route, with its qualified name and kwargs.

Used by the isolation tests so that routes added by later issues are covered without
editing the tests.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str | None  # "namespace:name", None for an unnamed route
    namespace: str  # the outermost namespace, "" if none
    kwargs: frozenset[str]
    route: str  # the pattern text, for messages
    public: bool = False  # marked with alliedup.permissions.public_page


def all_routes(resolver: URLResolver | None = None, namespaces=(), kwargs=frozenset(), prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern_kwargs = frozenset(entry.pattern.regex.groupindex)
        text = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from all_routes(entry, ns, kwargs | pattern_kwargs, text)
        elif isinstance(entry, URLPattern):
            name = ":".join(namespaces + (entry.name,)) if entry.name else None
            namespace = namespaces[0] if namespaces else ""
            public = bool(getattr(entry.callback, "public_page", False))
            yield Route(name=name, namespace=namespace, kwargs=kwargs | pattern_kwargs, route=text, public=public)
