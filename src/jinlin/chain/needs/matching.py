"""Which talents (社区能人) suit a need: words of the need's text point to skills of the pool.

Plain data in, plain data out (no Django). A skill is suggested when one of its words occurs
in the need's title, description or place; a talent matches with the skills it shares.
"""

from __future__ import annotations

from collections.abc import Iterable

from jinlin.people.groups import TALENT_SKILLS

# Word in a need's text → the talent pool's skill (people.groups.TALENT_SKILLS).
KEYWORD_SKILLS: tuple[tuple[str, str], ...] = (
    ("就医", "医疗"),
    ("陪同", "医疗"),
    ("医", "医疗"),
    ("功课", "教育"),
    ("辅导", "教育"),
    ("学习", "教育"),
    ("修", "维修"),
    ("维修", "维修"),
    ("水电", "维修"),
    ("法律", "法律"),
    ("纠纷", "法律"),
    ("调解", "调解"),
    ("矛盾", "调解"),
    ("电脑", "电脑"),
    ("手机", "电脑"),
    ("网上", "电脑"),
    ("心理", "心理疏导"),
    ("谈心", "心理疏导"),
    ("书法", "书法"),
    ("春联", "书法"),
    ("演出", "文艺"),
    ("文艺", "文艺"),
    ("拍照", "摄影"),
    ("摄影", "摄影"),
)

KNOWN_SKILLS: frozenset[str] = frozenset(TALENT_SKILLS)


def needed_skills(text: str) -> frozenset[str]:
    """The skills a need's text asks for (each word found anywhere in the text)."""
    return frozenset(skill for word, skill in KEYWORD_SKILLS if word in text)


def shared_skills(text: str, talent_skills: Iterable[str]) -> list[str]:
    """The talent's skills the need asks for, in the pool's order (empty: no match)."""
    wanted = needed_skills(text)
    have = {str(skill).strip() for skill in talent_skills}
    return [skill for skill in TALENT_SKILLS if skill in wanted and skill in have]
