"""Demo newspaper data for 纠错有奖: 新泾社区报 and 社区晨报, their monthly issues, pages and
articles (with the kind of slips readers write in about), and readers' reports.

September 2022 is judged and confirmed, giving the SPEC's announcement; the previous month is
partly judged; this month's reports wait in the queue. Everything goes through the services,
as an editor's work would. Run once per database: a second call changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from jinlin.core.models import Role, User
from jinlin.woodpecker import services
from jinlin.woodpecker.conf import programme_zone
from jinlin.woodpecker.models import Article, Issue, Page, Publication, Report

PAGE_NAMES = {1: "要闻", 2: "社区", 3: "副刊", 4: "生活"}


@dataclass
class NewspaperReport:
    publications: int = 0
    issues: int = 0
    articles: int = 0
    reports: int = 0
    announcement: str = ""


# (page, title, author, section, text) of the September 2022 issues, errors as printed.
SEPTEMBER_XINJING = [
    (
        1,
        "新泾镇召开生活垃圾分类推进会",
        "本报记者 陆佳怡",
        "要闻",
        "9月6日下午，新泾镇召开生活垃圾分类工作推进会，镇党委付书记顾敏出席会议并讲话。\n"
        "会议通报了今年以来各居民区的分类实效，绿八居民区、天山居民区被评为优秀。"
        "会议要求，各居民区要坚持“两定一督”，做好湿垃圾破带工作，确保分类达标率稳定在百分之九十五以上。",
    ),
    (
        2,
        "邻里一家亲 共度中秋节",
        "通讯员 周晓东",
        "社区",
        "9月9日上午，绿八居民区在社区活动中心举办“邻里一家亲”中秋联欢会，八十多为居民参加了活动。\n"
        "居委会主任沈建化为大家介绍了今年的垃圾分类和加装电梯工作。"
        "通过这次联欢会，使居民们感受到了邻里之间的温暖。\n"
        "活动最后，居民们一起包了饺子、品了月饼，现场气氛热列。",
    ),
    (
        3,
        "桂花香里忆童年",
        "叶玲",
        "副刊",
        "小时候，外婆家门前有一棵桂花树。每到八月，满院飘香，不径意间就落了一地细碎的金黄。\n"
        "外婆把桂花收起来，拌上白糖，装进玻璃瓶里。等到中秋，我们迫不急待地打开瓶盖，"
        "一股甜香扑鼻而来。如今外婆已经不在了，可每当闻到桂花香，我总会想起那个小院。",
    ),
    (
        4,
        "秋季养生小贴士",
        "社区卫生服务中心",
        "生活",
        "秋季天气干躁，老年人要多喝水，每天饮水1500至2000升为宜。\n"
        "饮食上可以多吃梨、银耳、百合等润燥的食物，少吃辛辣。早晚温差大，要及时添加衣物，避免着凉感冒。",
    ),
]
SEPTEMBER_MORNING = [
    (
        1,
        "绿园八村12号楼加装电梯签约",
        "本报记者 徐国庆",
        "要闻",
        "绿园八村12号楼加装电梯签约仪式在9月31日举行，全楼居民全部签字同意。\n"
        "加装电梯是一项民生实事工程，受到广大居民的一至好评。居民们说，以后再也不用扶着栏杆一步步爬楼梯了。",
    ),
    (
        3,
        "重阳敬老活动预告",
        "绿八居民区居委会",
        "通知",
        "重阳节将至，绿八居民区定于10月4日（星期三）上午九点在社区活动中心举办敬老活动，"
        "为八十岁以上老人送上重阳糕和慰问品。需要报名的居民请于9月30日前到居委会登记。",
    ),
]

# (article index in the list above, publication key, printed, correction, severity) per reader,
# in the order sent; a reader is its contact, so 风行 and 风行天下 are one reader.
SEPTEMBER_READERS = [
    (
        "小飞",
        False,
        "13816602231",
        [
            ("x", 1, "沈建化", "沈建华", "major"),
            ("m", 1, "10月4日（星期三）", "10月4日（星期二）", "major"),
            ("x", 3, "天气干躁", "天气干燥", "minor"),
        ],
    ),
    (
        "叶玲珠",
        False,
        "13901775120",
        [
            ("m", 0, "9月31日", "9月30日（9月没有31日）", "major"),
            ("x", 1, "通过这次联欢会，使居民们感受到了", "这次联欢会使居民们感受到了", "moderate"),
        ],
    ),
    (
        "陈霖源",
        False,
        "15921308846",
        [
            ("x", 3, "1500至2000升", "1500至2000毫升", "major"),
            ("x", 0, "湿垃圾破带", "湿垃圾破袋", "minor"),
        ],
    ),
    (
        "严志彬",
        False,
        "yanzhibin@163.com",
        [
            ("x", 0, "镇党委付书记", "镇党委副书记", "minor"),
            ("x", 2, "不径意间", "不经意间", "minor"),
            ("x", 2, "迫不急待", "迫不及待", "minor"),
        ],
    ),
    ("风行", True, "fengxing_tx", [("x", 1, "八十多为居民", "八十多位居民", "minor")]),
    ("风行天下", True, "fengxing_tx", [("x", 1, "气氛热列", "气氛热烈", "minor")]),
    ("abbill", True, "abbill2008", [("m", 0, "一至好评", "一致好评", "minor")]),
]
# Later reports of errors already reported (duplicates), and one that is not an error.
SEPTEMBER_OTHERS = [
    ("张阿姨", False, "13761500872", "x", 1, "居委会主任沈建化", "沈建华", "duplicate"),
    ("叶玲珠", False, "13901775120", "x", 3, "干躁", "干燥", "duplicate"),
    ("老顾", False, "13501983367", "x", 0, "两定一督", "两定一监督", "invalid"),
]

# Articles of the recent months' issues: {month} is the issue's month.
RECENT_XINJING = [
    (
        1,
        "{month}月份“美丽楼道”评比结果揭晓",
        "本报记者 陆佳怡",
        "要闻",
        "本月，新泾镇各居民区开展“美丽楼道”评比活动，共有四十二个楼组报名参加。\n"
        "经过居民互评和专家打分，绿园八村12号楼、天山五村3号楼等十个楼组获评“美丽楼道”。"
        "评审组认为，这些楼道没有堆物，绿植摆放整齐，宣传栏内容常换常新。\n"
        "获奖楼组将获得五百元奖励金，用于楼道的日常维户。",
    ),
    (
        2,
        "睦邻点里的“银发课堂”",
        "通讯员 周晓东",
        "社区",
        "每周二下午，绿八居民区睦邻点都会传出阵阵笑声。这里是社区为老年人开设的“银发课堂”，"
        "志愿者们手把手交老人使用智能手机，挂号、付款、视频通话，一样一样地学。\n"
        "七十六岁的李秀英阿姨说：“以前去医院要排老长的队，现在在手机上就能挂号，真是方便多了。”"
        "据了解，“银发课堂”已开办两年，累计服务老人一千余人次。",
    ),
    (
        3,
        "弄堂里的早点摊",
        "林晓",
        "副刊",
        "清晨六点，弄堂口的早点摊已经支了起来。大饼、油条、粢饭、豆浆，是老上海人最熟悉的“四大金钢”。\n"
        "摊主老周在这里做了二十多年，街坊邻居都认得他。他说：“只要大家吃得开心，我再辛苦也值得。”"
        "热气腾腾的油锅旁，排队的人越来越多，一天的烟火气就从这里开始了。",
    ),
    (
        4,
        "用电安全提示",
        "新泾镇消防站",
        "生活",
        "天气变化，取暖器、电热毯等电器的使用越来越多。消防部门提醒：不要在楼道内为电动自行车充电，"
        "严禁私拉电线“飞线充电”；取暖器周围一米内不要堆放可燃物；外出时请关闭电源。\n"
        "如发现火情，请立即拔打119。",
    ),
]
RECENT_MORNING = [
    (
        1,
        "“小巷总理”的一天",
        "本报记者 徐国庆",
        "要闻",
        "早上七点半，居委会主任沈建华已经到了办公室。八点，她和社工一起巡查小区，"
        "查看楼道堆物和垃圾箱房；十点，接待来访居民，调解一起楼上漏水引发的邻里纠纷；"
        "下午，她又挨家挨户走访了三户独居老人。\n"
        "“居民的事没有小事。”这是她常挂在嘴边的一句话。",
    ),
    (
        2,
        "楼组长王阿姨",
        "通讯员 朱秀英",
        "社区",
        "王阿姨当了十几年楼组长，楼里哪家有老人、哪家有小孩，她心里一清二楚。\n"
        "去年冬天，三楼的独居老人半夜摔倒，是王阿姨第一个发现并打了120。"
        "邻居们都说：“有王阿姨在，我们放心。”",
    ),
]
RECENT_REPORTS = [
    # (publication key, article index, printed, correction, name, is nickname, contact)
    ("x", 0, "日常维户", "日常维护", "小飞", False, "13816602231"),
    ("x", 1, "手把手交老人", "手把手教老人", "风行天下", True, "fengxing_tx"),
    ("x", 0, "用于楼道的日常维户", "维护", "林晓燕", False, "13611987240"),
    ("x", 2, "四大金钢", "四大金刚", "叶玲珠", False, "13901775120"),
    ("x", 3, "拔打119", "拨打119", "abbill", True, "abbill2008"),
    ("m", 0, "调解一起楼上漏水引发的邻里纠纷", "楼上漏水引起", "老顾", False, "13501983367"),
]


def generate_newspaper(*, seed: int = 2026, today: date | None = None) -> NewspaperReport:
    """Catalogue, reports and awards of the demo newspapers; nothing if they exist already."""
    summary = NewspaperReport()
    if Publication.objects.filter(name="新泾社区报").exists():
        return summary
    editor = User.objects.filter(role=Role.EDITOR, is_active=True).order_by("id").first()
    if editor is None:
        editor, _ = User.objects.get_or_create(
            username="bianji", defaults={"role": Role.EDITOR, "display_name": "社区报编辑 叶玲"}
        )
    rng = random.Random(seed)
    today = today or timezone.localdate()
    # "Now" of the demo: the real clock, or noon of the day asked for.
    now = (
        timezone.now()
        if today == timezone.localdate()
        else datetime.combine(today, time(12, 0), tzinfo=programme_zone())
    )
    xinjing = services.publication_save(
        actor=editor, name="新泾社区报", description="新泾镇社区报，每月出版"
    )
    morning = services.publication_save(
        actor=editor, name="社区晨报", description="绿八居民区社区晨报"
    )
    summary.publications = 2

    september = {
        "x": _issue(editor, xinjing, 256, date(2022, 9, 14), SEPTEMBER_XINJING, {}, summary),
        "m": _issue(editor, morning, 119, date(2022, 9, 20), SEPTEMBER_MORNING, {}, summary),
    }
    _september_reports(editor, september, summary)

    months_since = (today.year - 2022) * 12 + today.month - 9
    for back in (1, 0):
        offset = months_since - back
        if offset <= 0:
            continue
        year, month = 2022 + (8 + offset) // 12, (8 + offset) % 12 + 1
        day = min(8, today.day) if back == 0 else 8
        published = date(year, month, day)
        issues = {
            "x": _issue(
                editor, xinjing, 256 + offset, published, RECENT_XINJING, {"month": month}, summary
            ),
            "m": _issue(
                editor, morning, 119 + offset, published, RECENT_MORNING, {"month": month}, summary
            ),
        }
        _recent_reports(editor, issues, rng, judge=back == 1, now=now, summary=summary)
    return summary


def _issue(
    editor: User,
    publication: Publication,
    number: int,
    published_on: date,
    articles: list[tuple[int, str, str, str, str]],
    values: dict[str, object],
    summary: NewspaperReport,
) -> list[Article]:
    issue = services.issue_save(
        actor=editor, publication=publication, number=number, published_on=published_on
    )
    summary.issues += 1
    pages: dict[int, Page] = {}
    for number_, name in PAGE_NAMES.items():
        pages[number_] = services.page_save(actor=editor, issue=issue, number=number_, name=name)
    saved = []
    for page_number, title, author, section, text in articles:
        saved.append(
            services.article_save(
                actor=editor,
                page=pages[page_number],
                title=title.format(**values),
                author=author,
                section=section,
                text=text.format(**values),
            )
        )
        summary.articles += 1
    return saved


def _send(
    article: Article,
    *,
    printed: str,
    correction: str,
    name: str,
    is_nickname: bool,
    contact: str,
    at: datetime,
    title: str = "",
) -> Report:
    issue: Issue = article.page.issue
    return services.report_submit(
        data=services.ReportInput(
            issue_id=issue.pk,
            page_number=article.page.number,
            article_id=None if title else article.pk,
            article_title=title,
            quoted=printed,
            correction=correction,
            reader_name=name,
            is_nickname=is_nickname,
            contact=contact,
        ),
        client_key="demo",
        now=at,
    )


def _september_reports(
    editor: User, issues: dict[str, list[Article]], summary: NewspaperReport
) -> None:
    zone = programme_zone()
    at = datetime.combine(date(2022, 9, 21), time(8, 30), tzinfo=zone)
    sent: dict[str, Report] = {}
    for name, is_nickname, contact, errors in SEPTEMBER_READERS:
        for key, index, printed, correction, severity in errors:
            at += timedelta(minutes=47)
            report = _send(
                issues[key][index],
                printed=printed,
                correction=correction,
                name=name,
                is_nickname=is_nickname,
                contact=contact,
                at=at,
            )
            services.report_judge(actor=editor, report=report, verdict="valid", severity=severity)
            sent[printed] = report
            summary.reports += 1
    for name, is_nickname, contact, key, index, printed, correction, verdict in SEPTEMBER_OTHERS:
        at += timedelta(hours=5)
        report = _send(
            issues[key][index],
            printed=printed,
            correction=correction,
            name=name,
            is_nickname=is_nickname,
            contact=contact,
            at=at,
        )
        original = next(
            (r for quoted, r in sent.items() if printed in quoted or quoted in printed), None
        )
        if verdict == "duplicate" and original is not None:
            services.report_judge(
                actor=editor,
                report=report,
                verdict="duplicate",
                duplicate_of=original,
                note="已有读者更早报告",
            )
        else:
            services.report_judge(actor=editor, report=report, verdict="invalid", note="原文无误")
        summary.reports += 1
    round_ = issues["x"][0].page.issue.round
    round_ = services.round_confirm_awards(
        actor=editor, round_=round_, now=datetime(2022, 10, 8, 10, 0, tzinfo=zone)
    )
    summary.announcement = round_.announcement
    for award in round_.awards.order_by("position")[:4]:
        services.ledger_record(
            actor=editor,
            award=award,
            handed_over_on=date(2022, 10, 18),
            received_by=award.display_name,
            note="社区报编辑部领取",
        )


def _recent_reports(
    editor: User,
    issues: dict[str, list[Article]],
    rng: random.Random,
    *,
    judge: bool,
    now: datetime,
    summary: NewspaperReport,
) -> None:
    zone = programme_zone()
    first_day = issues["x"][0].page.issue.published_on
    start = datetime.combine(first_day, time(7, 0), tzinfo=zone)
    end = now if not judge else start + timedelta(days=12)
    end = max(end, start + timedelta(minutes=len(RECENT_REPORTS) + 1))
    span = (end - start).total_seconds()
    moments = sorted(start + timedelta(seconds=rng.uniform(0, span * 0.9)) for _ in RECENT_REPORTS)
    reports = []
    for (key, index, printed, correction, name, is_nickname, contact), at in zip(
        RECENT_REPORTS, moments, strict=True
    ):
        if at > now:
            continue
        title = "沈主任的一天" if key == "m" else ""
        reports.append(
            _send(
                issues[key][index],
                printed=printed,
                correction=correction,
                name=name,
                is_nickname=is_nickname,
                contact=contact,
                at=at,
                title=title,
            )
        )
        summary.reports += 1
    if not judge:
        return
    by_printed = {r.quoted: r for r in reports}
    for report in reports[:4]:
        if report.quoted == "用于楼道的日常维户" and "日常维户" in by_printed:
            services.report_judge(
                actor=editor,
                report=report,
                verdict="duplicate",
                duplicate_of=by_printed["日常维户"],
            )
        elif report.article_id is None:
            services.report_judge(actor=editor, report=report, verdict="invalid", note="原文无误")
        else:
            services.report_judge(actor=editor, report=report, verdict="valid", severity="minor")
