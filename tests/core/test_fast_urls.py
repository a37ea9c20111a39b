"""`{% url %}` and core.fasturls give exactly what Django's `reverse` gives (issue 18: 今日
reversed a URL for every row, a tenth of its time)."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.template import Context, Template
from django.test import override_settings
from django.urls import NoReverseMatch, get_resolver, path, re_path, reverse
from django.utils.functional import lazy
from hypothesis import given
from hypothesis import strategies as st

from jinlin.core.fasturls import fast_reverse, fast_reverser


def _view(request, **kwargs):  # pragma: no cover - never called, only reversed
    return HttpResponse()


# A URL conf of its own (override_settings(ROOT_URLCONF=__name__)): patterns the fast path
# must keep, and patterns it must leave to `reverse`.
urlpatterns = [
    path("items/<int:pk>/", _view, name="item"),
    path("items/<int:pk>/notes/<int:note>/edit/", _view, name="item_note"),
    re_path(r"^year/(?P<year>[0-9]{4})/$", _view, name="year"),
    path("pages/<str:slug>/", _view, name="page"),
    path("twice/<int:a>/", _view, name="twice"),
    path("twice/<int:a>/<int:b>/", _view, name="twice"),
]


def _names() -> list[str]:
    return sorted(key for key in get_resolver().reverse_dict if isinstance(key, str))


def test_every_url_of_the_product_reverses_alike():
    """Every named URL of the product, with 0 to 3 whole-number arguments of several sizes:
    the same URL, or the same NoReverseMatch."""
    compared = 0
    for name in _names():
        for count in range(4):
            for start in (0, 7, 123_456, 10**15):
                args = [start + i for i in range(count)]
                try:
                    expected = reverse(name, args=args)
                except NoReverseMatch:
                    with pytest.raises(NoReverseMatch):
                        fast_reverse(name, args)
                    continue
                assert fast_reverse(name, args) == expected, (name, args)
                compared += 1
    assert compared > 100  # the product's URLs were really walked


@override_settings(ROOT_URLCONF=__name__)
@given(st.lists(st.integers(min_value=0, max_value=10**20), min_size=1, max_size=2))
def test_whole_numbers_of_any_size(args):
    name = "item" if len(args) == 1 else "item_note"
    assert fast_reverse(name, args) == reverse(name, args=args)
    assert fast_reverse("twice", args) == reverse("twice", args=args)


@override_settings(ROOT_URLCONF=__name__)
def test_what_the_fast_path_must_leave_to_reverse():
    assert fast_reverse("year", [2026]) == "/year/2026/"  # {4} digits: not kept, still right
    with pytest.raises(NoReverseMatch):
        fast_reverse("year", [20261])
    assert fast_reverse("page", ["a-b"]) == "/pages/a-b/"  # text
    with pytest.raises(NoReverseMatch):
        fast_reverse("item", [-1])  # the int converter takes no sign
    with pytest.raises(NoReverseMatch):
        fast_reverse("item", [True])  # a bool is not a record's id
    with pytest.raises(NoReverseMatch):
        fast_reverse("nowhere", [1])


@override_settings(ROOT_URLCONF=__name__)
def test_the_template_tag_takes_the_same_forms():
    template = Template(
        "{% url 'item' pk %}|{% url 'item_note' pk 3 %}|{% url 'item' pk=pk %}|"
        "{% url 'page' slug %}|{% url 'item' pk as kept %}[{{ kept }}]|"
        "{% url 'nowhere' 1 as missing %}[{{ missing }}]"
    )
    rendered = template.render(Context({"pk": 42, "slug": "x&y"}))
    assert rendered == (
        "/items/42/|/items/42/notes/3/edit/|/items/42/|/pages/x&amp;y/|[/items/42/]|[]"
    )
    # A name that is not a plain string (a lazy one) goes to Django's own tag.
    name = lazy(lambda: "item", str)()
    assert Template("{% url name 7 %}").render(Context({"name": name})) == "/items/7/"
    with pytest.raises(NoReverseMatch):
        Template("{% url 'nowhere' 1 %}").render(Context({}))


def test_a_new_url_conf_is_seen_after_the_old_one_was_used():
    assert fast_reverse("household_detail", [5]) == reverse("household_detail", args=[5])
    with override_settings(ROOT_URLCONF=__name__):
        assert fast_reverse("item", [5]) == "/items/5/"
        with pytest.raises(NoReverseMatch):
            fast_reverse("household_detail", [5])
    assert fast_reverse("household_detail", [5]) == reverse("household_detail", args=[5])


@override_settings(ROOT_URLCONF=__name__)
@given(st.lists(st.integers(min_value=0, max_value=10**20), min_size=1, max_size=2))
def test_a_reverser_for_a_loop_gives_what_reverse_gives(args):
    assert fast_reverser("item")(args[0]) == reverse("item", args=args[:1])
    assert fast_reverser("twice", len(args))(*args) == reverse("twice", args=args)
    assert fast_reverser("item_note", 2)(args[0], 9) == reverse("item_note", args=[args[0], 9])


@override_settings(ROOT_URLCONF=__name__)
def test_a_reverser_leaves_what_it_cannot_join_to_reverse():
    assert fast_reverser("year")(2026) == "/year/2026/"
    assert fast_reverser("page")("a-b") == "/pages/a-b/"
    for reverser, args in (
        (fast_reverser("item"), (-1,)),
        (fast_reverser("item"), (True,)),
        (fast_reverser("item"), (1, 2)),  # more numbers than it was made for
        (fast_reverser("nowhere"), (1,)),
        (fast_reverser("item_note", 2), (1,)),
    ):
        with pytest.raises(NoReverseMatch):
            reverser(*args)


@override_settings(ROOT_URLCONF=__name__)
def test_the_tag_in_a_loop_gives_each_record_its_url():
    template = Template("{% for pk in pks %}{% url 'item' pk %} {% url 'year' pk %};{% endfor %}")
    rendered = template.render(Context({"pks": [1000, 2026, 7777]}))
    assert rendered == (
        "/items/1000/ /year/1000/;/items/2026/ /year/2026/;/items/7777/ /year/7777/;"
    )
