"""The page list beside the URL conf (jinlin.pages) keeps up with it: a page added without an
entry there, or an entry for a page that is gone, fails here (docs/accessibility.md)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

from jinlin.pages import EXEMPT, EXEMPT_PREFIXES, PAGES


def _named_patterns(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def _covered(name: str) -> bool:
    listed = {page.name for page in PAGES}
    return name in listed or name in EXEMPT or name.startswith(tuple(EXEMPT_PREFIXES))


def test_every_named_url_is_a_listed_page_or_exempt_with_a_reason():
    missing = sorted(name for name in _named_patterns(get_resolver()) if not _covered(name))
    assert not missing, (
        "these URL names are neither in jinlin.pages.PAGES (checked with axe-core) nor in "
        f"EXEMPT with a reason: {missing}"
    )


def test_every_listed_page_still_exists_and_is_listed_once():
    names = _named_patterns(get_resolver())
    listed = [page.name for page in PAGES]
    assert sorted(set(listed) - names) == []
    assert sorted(set(EXEMPT) - names) == []
    assert len(listed) == len(set(listed))
    assert set(listed).isdisjoint(EXEMPT)
    assert all(reason for reason in EXEMPT.values())


def test_every_listed_page_names_who_reaches_it():
    personas = {"jiedao", "shuji", "shegong", "zhibu", "xiaozu", "bianji", "dangyuan", "louzu"}
    for page in PAGES:
        assert page.personas, page.name
        assert set(page.personas) <= personas | {None}, page.name
