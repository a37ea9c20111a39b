"""Forms of the woodpecker pages: shapes, labels and choices; the rules are in services.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone

from jinlin.core.throttle import honeypot_field, is_bot
from jinlin.core.web import choices
from jinlin.woodpecker import selectors
from jinlin.woodpecker.conf import setting
from jinlin.woodpecker.models import Article, Issue, Page, Publication, ReportStatus, Severity
from jinlin.woodpecker.services import (
    CONTACT_MAX,
    CORRECTION_MAX,
    EXPLANATION_MAX,
    NAME_MAX,
    QUOTED_MAX,
    TITLE_MAX,
)

MSG_UPLOAD_NOT_TEXT = "请上传 .txt 纯文本文件（UTF-8 或 GBK 编码）"
MSG_UPLOAD_TOO_LARGE = "文件过大（最多 {n} KB）"
MSG_HONEYPOT = "提交未被受理，请刷新页面后重试"
OTHER_ARTICLE = "other"

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"
)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ReportForm(forms.Form):
    """The reader's form. Its lists depend on what is picked: publication → its open issues →
    their pages → the page's articles (the picker re-renders through htmx)."""

    # Plain numbers behind the lists: an issue whose round closed since the page was loaded gets
    # the service's clear message, not a form's "not a valid choice".
    publication = forms.IntegerField(label="报刊", required=False, widget=forms.Select)
    issue = forms.IntegerField(label="期数", required=False, widget=forms.Select)
    page_number = forms.IntegerField(label="版面", required=False)
    article = forms.CharField(label="文章", required=False, widget=forms.Select)
    article_title = forms.CharField(
        label="文章标题", required=False, max_length=TITLE_MAX, help_text="列表里没有这篇文章时填写"
    )
    quoted = forms.CharField(
        label="报上原文",
        max_length=QUOTED_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="照报上原样抄录有错的那几个字或那句话",
    )
    correction = forms.CharField(
        label="应改为",
        max_length=CORRECTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="正确的写法，或怎么改（如：少了一个“未”字）",
    )
    explanation = forms.CharField(
        label="理由（可不填）",
        max_length=EXPLANATION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reader_name = forms.CharField(
        label="姓名或微信昵称",
        max_length=NAME_MAX,
        required=False,
        help_text="获奖名单将刊登这个名字",
    )
    is_nickname = forms.BooleanField(
        label="这是微信昵称", required=False, help_text="公布获奖名单时昵称后注明(昵称)"
    )
    contact = forms.CharField(
        label="联系方式",
        max_length=CONTACT_MAX,
        required=False,
        help_text="手机号、微信号或邮箱，只有编辑能看到，获奖时联系您",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "text"}),
    )
    website = honeypot_field()

    REQUIRED = (
        "publication",
        "issue",
        "page_number",
        "quoted",
        "correction",
        "reader_name",
        "contact",
    )

    def __init__(self, *args: Any, now: datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        for name in self.REQUIRED:
            self.fields[name].widget.attrs["aria-required"] = "true"
        picker_url = reverse("woodpecker_picker")
        self.publications = selectors.open_publications(self.now)
        self.fields["publication"].widget.choices = [("", "请选择报刊")] + [
            (p.pk, p.name) for p in self.publications
        ]
        publication_id = _int(self._raw("publication"))
        issues = (
            list(selectors.open_issues(self.now).filter(publication_id=publication_id))
            if publication_id
            else []
        )
        self.fields["issue"].widget.choices = [("", "请选择期数" if issues else "请先选择报刊")] + [
            (i.pk, f"第{i.number}期 · {i.published_on.month}月{i.published_on.day}日")
            for i in issues
        ]
        issue_id = _int(self._raw("issue"))
        issue = next((i for i in issues if i.pk == issue_id), None)
        # Django's form metaclass takes the declared field `issue` off the class: the
        # attribute is free to hold the Issue chosen, which the page shows.
        self.issue = issue  # type: ignore[assignment]  # see above
        self.pages: list[Page] = selectors.issue_pages(issue) if issue else []
        if self.pages:
            self.fields["page_number"].widget = forms.Select(
                choices=[("", "请选择版面")] + [(p.number, str(p)) for p in self.pages]
            )
        else:
            self.fields["page_number"].widget = forms.NumberInput(
                attrs={"min": 1, "max": 99, "inputmode": "numeric", "placeholder": "如 3"}
            )
        page_number = _int(self._raw("page_number"))
        self.page = next((p for p in self.pages if p.number == page_number), None)
        self.articles: list[Article] = selectors.page_articles(self.page) if self.page else []
        self.fields["article"].widget.choices = (
            [("", "请选择文章")]
            + [(str(a.pk), a.title) for a in self.articles]
            + [(OTHER_ARTICLE, "列表里没有，手动填写标题")]
        )
        for name in ("publication", "issue", "page_number", "article"):
            widget = self.fields[name].widget
            if isinstance(widget, forms.Select):
                widget.attrs.update(
                    {
                        "hx-get": picker_url,
                        "hx-include": "#picker",
                        "hx-target": "#picker",
                        "hx-swap": "outerHTML",
                    }
                )
        chosen = self._raw("article")
        self.article_chosen = bool(chosen) and chosen != OTHER_ARTICLE
        self.show_title = not self.articles or chosen == OTHER_ARTICLE

    def _raw(self, name: str) -> Any:
        if self.is_bound:
            return self.data.get(name)
        return self.initial.get(name)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if is_bot(cleaned):
            raise forms.ValidationError(MSG_HONEYPOT)
        return cleaned

    @property
    def closed(self) -> bool:
        return not self.publications


class MessageForm(forms.Form):
    message = forms.CharField(
        label="粘贴您的留言",
        max_length=4000,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": "如：10月12日社区晨报第3版《十月红》第二句‘快马加鞭下鞍’少了一个‘未’字 —— 小飞 13812345678",
            }
        ),
    )


class ReceiptForm(forms.Form):
    number = forms.CharField(label="回执号", max_length=20)


# --- editors --------------------------------------------------------------------------------------


class JudgeForm(forms.Form):
    verdict = forms.ChoiceField(
        label="评判",
        widget=forms.RadioSelect,
        choices=[
            (ReportStatus.VALID, "有效"),
            (ReportStatus.INVALID, "无效"),
            (ReportStatus.DUPLICATE, "重复"),
        ],
    )
    severity = forms.ChoiceField(
        label="错误等级（有效时）", widget=forms.RadioSelect, required=False
    )
    duplicate_of = forms.TypedChoiceField(
        label="重复于（重复时）", coerce=int, empty_value=None, required=False
    )
    note = forms.CharField(label="评语（可不填）", max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        candidates: Sequence[Any] = (),
        points: dict[str, int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        points = points or {}
        choices(
            self,
            "severity",
            [(value, f"{label} · {points.get(value, 0)} 分") for value, label in Severity.choices],
        )
        choices(
            self,
            "duplicate_of",
            [("", "请选择更早的有效报告")]
            + [(c.pk, f"{c.receipt} · {c.reader_name} · “{c.quoted[:20]}”") for c in candidates],
        )


class LinkArticleForm(forms.Form):
    article = forms.TypedChoiceField(label="对应文章", coerce=int, empty_value=None, required=False)

    def __init__(self, *args: Any, issue: Issue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        articles = selectors.issue_articles(issue)
        choices(
            self,
            "article",
            [("", "（不对应任何文章）")] + [(a.pk, f"{a.page} · {a.title}") for a in articles],
        )


class RevealForm(forms.Form):
    reason = forms.CharField(label="事由", max_length=200)


class PublicationForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = ["name", "description"]


class IssueForm(forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["publication", "number", "published_on"]
        widgets = {"published_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["publication"].queryset = selectors.publications_by_name()  # type: ignore[attr-defined]  # a ModelChoiceField's
        self.fields["publication"].empty_label = "请选择报刊"  # type: ignore[attr-defined]  # a ModelChoiceField's


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ["number", "name"]


class ArticleForm(forms.Form):
    page = forms.TypedChoiceField(label="版面", coerce=int)
    title = forms.CharField(label="标题", max_length=TITLE_MAX)
    author = forms.CharField(label="作者", max_length=60, required=False)
    section = forms.CharField(label="栏目", max_length=40, required=False)
    text = forms.CharField(
        label="正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="粘贴正文，或上传 .txt 文件（上传的文件优先）",
    )
    upload = forms.FileField(label="上传 .txt", required=False)

    def __init__(self, *args: Any, issue: Issue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "page", [(p.pk, str(p)) for p in selectors.issue_pages(issue)])
        self.fields["upload"].widget.attrs["accept"] = ".txt,text/plain"

    def clean_upload(self) -> str | None:
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        limit = int(setting("MAX_UPLOAD_BYTES"))
        if upload.size > limit:
            raise forms.ValidationError(MSG_UPLOAD_TOO_LARGE.format(n=limit // 1024))
        if not upload.name.lower().endswith(".txt"):
            raise forms.ValidationError(MSG_UPLOAD_NOT_TEXT)
        return decode_text(upload.read())


def decode_text(raw: bytes) -> str:
    """A .txt as Chinese editors save it: UTF-8 (with or without BOM), else GB18030 (GBK)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise forms.ValidationError(MSG_UPLOAD_NOT_TEXT)


class RoundSettingsForm(forms.Form):
    deadline = forms.DateTimeField(
        label="截止时间", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]
    )
    excellent_count = forms.IntegerField(label="优秀名额", min_value=0, max_value=100)
    cash_yuan = forms.IntegerField(label="最佳奖金（元）", min_value=0, max_value=100000)
    souvenir = forms.CharField(label="优秀纪念品", max_length=60)


class LedgerForm(forms.Form):
    handed_over_on = forms.DateField(label="发放日期", widget=DATE)
    received_by = forms.CharField(label="领取人", max_length=40)
    cash_yuan = forms.IntegerField(label="金额（元）", min_value=0, required=False)
    souvenir = forms.CharField(label="纪念品", max_length=60, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)


MSG_PROOFREAD_TEXT_NEEDED = "请粘贴文章正文，或上传 .txt 文件"
MSG_PROOFREAD_TOO_LONG = "正文过长（最多 {n} 字），请分篇校对"
PROOFREAD_TEXT_MAX = 20000


class ProofreadForm(forms.Form):
    """校对: a pasted or uploaded text, and the issue's date for checking weekdays."""

    text = forms.CharField(
        label="正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="粘贴一篇文章的正文，或上传 .txt 文件（上传的文件优先）",
    )
    upload = forms.FileField(label="上传 .txt", required=False)
    issue_date = forms.DateField(
        label="出版日期",
        required=False,
        widget=DATE,
        help_text="填写后可核对文中“几月几日（星期几）”",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["upload"].widget.attrs["accept"] = ".txt,text/plain"

    def clean_upload(self) -> str | None:
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        limit = int(setting("MAX_UPLOAD_BYTES"))
        if upload.size > limit:
            raise forms.ValidationError(MSG_UPLOAD_TOO_LARGE.format(n=limit // 1024))
        if not upload.name.lower().endswith(".txt"):
            raise forms.ValidationError(MSG_UPLOAD_NOT_TEXT)
        return decode_text(upload.read())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("upload") or data.get("text") or ""
        text = chosen.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()
        if "upload" in self.errors:
            return data
        if not text:
            self.add_error("text", MSG_PROOFREAD_TEXT_NEEDED)
        elif len(text) > PROOFREAD_TEXT_MAX:
            self.add_error("text", MSG_PROOFREAD_TOO_LONG.format(n=PROOFREAD_TEXT_MAX))
        data["text"] = text
        return data


class ProofreadDecisionForm(forms.Form):
    """One flag's accept or dismiss, with what identifies the flag (the page's hidden fields)."""

    article = forms.IntegerField(required=False, min_value=1)
    kind = forms.CharField(max_length=20)
    wrong = forms.CharField(max_length=200, strip=False)
    suggestion = forms.CharField(max_length=200, required=False, strip=False)
    reason = forms.CharField(max_length=300, required=False)
    context = forms.CharField(max_length=240, strip=False)
    number = forms.IntegerField(required=False, min_value=0)
    verdict = forms.CharField(max_length=10)
    # A pasted text travels with its decision, so the page can be shown again without JavaScript.
    text = forms.CharField(required=False, strip=False, max_length=PROOFREAD_TEXT_MAX)
    issue_date = forms.DateField(required=False)
