"""What an import tells: counts, the problems found, and its one-line summary (the page, the
`jinlin import` command and its --json output all read it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jinlin.people import sheet
from jinlin.people.sheet import Problem


@dataclass
class ImportReport:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Problem] = field(default_factory=list)
    rows: int = 0
    new_compounds: list[str] = field(default_factory=list)
    new_buildings: list[str] = field(default_factory=list)
    new_households: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    total_rows: list[int] = field(default_factory=list)  # 合计/总计 rows skipped
    header_row: int = 0
    written: bool = False
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        """Exactly the document the issue names: counts and errors."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [
                {"row": p.row, "column": p.column, "message": p.message} for p in self.errors
            ],
        }

    def summary(self) -> str:
        label = sheet.KIND_LABELS[self.kind]
        if self.dry_run:
            head = "试导入（未写入）："
        elif self.written:
            head = "已导入："
        else:
            head = "有错误，未写入任何数据："
        text = f"{head}新建{label} {self.created}，更新 {self.updated}，未变 {self.unchanged}，错误 {len(self.errors)} 处"
        extras = []
        if self.new_compounds:
            extras.append("新建小区：" + "、".join(self.new_compounds))
        if self.new_buildings:
            extras.append(f"新建楼组 {len(self.new_buildings)} 个")
        if self.new_households and self.kind != sheet.KIND_HOUSEHOLDS:
            extras.append(f"新建户 {self.new_households}")
        if self.total_rows:
            extras.append("已跳过合计行：" + "、".join(f"第{n}行" for n in self.total_rows))
        if self.ignored_columns:
            extras.append("未识别的列（已忽略）：" + "、".join(self.ignored_columns))
        return "；".join([text, *extras])
