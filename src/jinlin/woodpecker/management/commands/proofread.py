"""`jinlin proofread FILE | --issue N [--publication NAME] [--json]`: the proofreading pass over a
text file or an issue's catalogued articles, printed as one line per flag (or JSON)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jinlin.woodpecker import selectors
from jinlin.woodpecker.selectors.proofreading import ProofreadArticle

if TYPE_CHECKING:
    from jinlin.woodpecker.models import Issue

MSG_FILE_OR_ISSUE = "请给出一个文本文件，或用 --issue 指定期号（二者选一）"
MSG_FILE_UNREADABLE = "无法读取 {path}：请给出 UTF-8 或 GBK 编码的 .txt 文件"
MSG_ISSUE_UNKNOWN = "没有找到第{number}期"
MSG_ISSUE_AMBIGUOUS = "有多份报刊的第{number}期（{names}），请用 --publication 指定"


class Command(BaseCommand):
    help = "校对: flag likely errors in FILE, or in the articles of issue N, with suggestion and reason."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="a .txt file (UTF-8 or GBK)")
        parser.add_argument("--issue", type=int, metavar="N", help="the issue's number (期号)")
        parser.add_argument("--publication", default="", help="the newspaper, when numbers repeat")
        parser.add_argument("--date", default="", metavar="YYYY-MM-DD", help="FILE's issue date")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["file"]) == (options["issue"] is not None):
            raise CommandError(MSG_FILE_OR_ISSUE)
        results: list[tuple[str | None, ProofreadArticle]]
        if options["file"]:
            results = [(None, self._file_result(options["file"], options["date"]))]
        else:
            issue = self._issue(options["issue"], options["publication"])
            results = [
                (str(result.article.page) + "《" + result.article.title + "》", result)
                for result in selectors.proofread_issue(issue)
                if result.article is not None
            ]
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    [_as_json(heading, result) for heading, result in results],
                    ensure_ascii=False,
                    indent=1,
                )
            )
            return
        total = 0
        for heading, result in results:
            if heading:
                self.stdout.write(heading)
            for shown in result.flags:
                flag = shown.flag
                line, column = _line_and_column(result.text, flag.start)
                suggestion = flag.suggestion or "删去或核实"
                done = "（已采纳）" if shown.verdict else ""
                self.stdout.write(
                    f"  {line}:{column} [{flag.kind_label}] {flag.text} → {suggestion}{done}　{flag.reason}"
                )
            total += len(result.flags)
        self.stdout.write(f"共 {total} 处。")

    def _file_result(self, name: str, day: str) -> ProofreadArticle:
        path = Path(name)
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(MSG_FILE_UNREADABLE.format(path=name)) from error
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise CommandError(MSG_FILE_UNREADABLE.format(path=name))
        try:
            issue_date = date.fromisoformat(day) if day else None
        except ValueError as error:
            raise CommandError("--date 应写成 YYYY-MM-DD") from error
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return selectors.proofread_pasted(text, issue_date=issue_date)

    def _issue(self, number: int, publication: str) -> Issue:
        found = selectors.issues_numbered(number, publication)
        if not found:
            raise CommandError(MSG_ISSUE_UNKNOWN.format(number=number))
        if len(found) > 1:
            names = "、".join(issue.publication.name for issue in found)
            raise CommandError(MSG_ISSUE_AMBIGUOUS.format(number=number, names=names))
        return found[0]


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _as_json(heading: str | None, result: ProofreadArticle) -> dict[str, Any]:
    article = result.article
    return {
        "article_id": article.pk if article is not None else None,
        "title": article.title if article is not None else None,
        "flags": [
            {
                "start": shown.flag.start,
                "length": shown.flag.length,
                "text": shown.flag.text,
                "suggestion": shown.flag.suggestion,
                "kind": shown.flag.kind,
                "reason": shown.flag.reason,
                "decision": shown.verdict,
            }
            for shown in result.flags
        ],
        "dismissed": result.dismissed,
    }
