"""The talent rule: words of a need's text → skills of the pool (no Django, no database)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jinlin.chain.needs.matching import KEYWORD_SKILLS, KNOWN_SKILLS, needed_skills, shared_skills
from jinlin.people.groups import TALENT_SKILLS

WORDS = [word for word, _ in KEYWORD_SKILLS]
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=6).map("".join)


def test_hand_worked_needs():
    assert needed_skills("陪同独居老人就医") == {"医疗"}
    assert needed_skills("给三年级孩子辅导功课") == {"教育"}
    assert needed_skills("帮老人修水电、教用手机网上挂号") == {"维修", "电脑"}
    assert needed_skills("春节写春联") == {"书法"}
    assert needed_skills("邻里矛盾调解") == {"调解"}
    assert needed_skills("帮独居老人买菜") == frozenset()


def test_a_talent_matches_with_the_skills_it_shares_in_the_pools_order():
    assert shared_skills("陪同就医，顺便谈心", ["心理疏导", "医疗", "摄影"]) == ["医疗", "心理疏导"]
    assert shared_skills("楼道清理", ["维修"]) == []
    assert shared_skills("书法课", [" 书法 "]) == ["书法"]


def test_every_skill_of_the_table_is_one_of_the_pool():
    assert {skill for _, skill in KEYWORD_SKILLS} <= set(TALENT_SKILLS)


@given(texts)
def test_suggested_skills_are_always_known_ones(text):
    assert needed_skills(text) <= KNOWN_SKILLS


@given(texts, texts)
def test_more_text_never_loses_a_match(text, more):
    assert needed_skills(text) <= needed_skills(text + more)
    assert needed_skills(text) <= needed_skills(more + text)


@given(texts, st.lists(st.sampled_from(TALENT_SKILLS), max_size=4))
def test_shared_skills_are_the_talents_and_the_needs(text, skills):
    shared = set(shared_skills(text, skills))
    assert shared == set(skills) & needed_skills(text)
