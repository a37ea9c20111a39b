"""The secretary uploads a sheet with two bad rows, sees both errors by row, fixes it, imports."""

from datetime import date

from playwright.sync_api import expect

from jinlin.people.models import Resident
from tests.browser.conftest import shoot
from tests.factories import valid_id
from tests.people.sheets import HEADINGS, xlsx

GOOD = [
    valid_id(date(1948, 2, 3), "F"),
    valid_id(date(1979, 9, 9), "M"),
    valid_id(date(2001, 5, 4), "F"),
]


def rows(second_id: str, third_building: str) -> list[list]:
    return [
        HEADINGS,
        [
            "周丽华",
            "女",
            GOOD[0],
            "1948.2.3",
            "13611112222",
            "绿园八村",
            "12号楼",
            "401",
            "户主",
            "群众",
            "",
        ],
        ["钱建军", "男", second_id, "", "", "绿园八村", "12号楼", "402", "户主", "中共党员", ""],
        [
            "钱晓雯",
            "女",
            GOOD[2],
            "2001年5月4日",
            "",
            "绿园八村",
            third_building,
            "402",
            "子女",
            "共青团员",
            "",
        ],
    ]


def test_upload_shows_both_bad_rows_then_the_fixed_sheet_imports(
    page_as, world, secretary, tmp_path
):
    bad = tmp_path / "居民信息表.xlsx"
    bad.write_bytes(xlsx(rows("31010519790909", "东边那幢"), title="绿八居民区居民信息表"))
    page = page_as(secretary)
    page.goto(f"{page.base_url}/areas/{world.area.pk}/import/")
    page.set_input_files("input[name=file]", str(bad))
    page.get_by_role("button", name="检查文件").click()
    errors = page.locator("table.import-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("第4行")
    expect(errors.nth(0)).to_contain_text("身份证号")
    expect(errors.nth(1)).to_contain_text("第5行")
    expect(errors.nth(1)).to_contain_text("楼号")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    shoot(page, "import-errors")
    assert not Resident.objects.filter(name="周丽华").exists()

    fixed = tmp_path / "居民信息表（已改）.xlsx"
    fixed.write_bytes(xlsx(rows(GOOD[1], "12号楼"), title="绿八居民区居民信息表"))
    page.set_input_files("input[name=file]", str(fixed))
    page.get_by_role("button", name="检查文件").click()
    expect(page.locator(".import-preview .import-summary")).to_contain_text("新建居民 3")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".import-summary")).to_contain_text("已导入")
    shoot(page, "import-done")
    assert Resident.objects.filter(id_number__in=GOOD, area=world.area).count() == 3
