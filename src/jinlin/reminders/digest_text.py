"""The words of a daily digest 每日提醒 on each channel: plain data in, text out (no Django).

The page gets a one-line title; email and WeCom leave the building, so they carry counts, links
and masked items only: a name as 张**, a place, a due date; never an ID number, a phone number
or a sensitive group (困难、大病、失独; docs/security.md, "Reminders").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


def mask_name(name: str) -> str:
    """张建国 → 张**: the surname, one star a character after it."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


@dataclass(frozen=True)
class Section:
    label: str  # 待走访 …
    count: int
    unit: str  # 户, 项, 件
    link: str  # a path inside Jinlin
    overdue: int = 0  # of `count`, how many are overdue (shown when the section has a deadline)
    items: tuple[str, ...] = ()  # masked lines, the first few


@dataclass(frozen=True)
class Digest:
    on: date
    user_name: str
    sections: tuple[Section, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not any(section.count for section in self.sections)

    @property
    def shown(self) -> tuple[Section, ...]:
        return tuple(section for section in self.sections if section.count)


def _count(section: Section) -> str:
    text = f"{section.label} {section.count} {section.unit}"
    if section.overdue:
        text += f"（其中逾期 {section.overdue} {section.unit}）"
    return text


def page_title(digest: Digest) -> str:
    """每日提醒 12月4日：待走访 2 户（其中逾期 1 户）；个案措施 1 项"""
    parts = "；".join(_count(section) for section in digest.shown)
    return f"每日提醒 {digest.on.month}月{digest.on.day}日：{parts}"


def email_subject(digest: Digest) -> str:
    return f"近邻 · 每日提醒 {digest.on:%Y-%m-%d}"


def email_body(digest: Digest, base_url: str) -> str:
    lines = [f"{digest.user_name}，您好：", "", f"{digest.on:%Y-%m-%d} 需要您处理的事项："]
    for section in digest.shown:
        lines += ["", f"■ {_count(section)}", f"  {base_url}{section.link}"]
        lines += [f"  - {item}" for item in section.items]
    lines += ["", "为保护居民隐私，邮件中的姓名已遮盖；详情请登录近邻查看。"]
    return "\n".join(lines)


def wecom_markdown(digest: Digest, base_url: str) -> str:
    """A WeCom group-robot markdown message (at most 4096 bytes; a digest is far shorter)."""
    lines = [f"**每日提醒 {digest.on:%m-%d} · {digest.user_name}**"]
    for section in digest.shown:
        lines.append(f"> [{_count(section)}]({base_url}{section.link})")
        lines += [f"> - {item}" for item in section.items]
    return "\n".join(lines)[:4000]
