"""Section check: does a 年报 contain what the format of its year requires?

From 2019 on (国办公开办函〔2019〕60号, 〔2021〕30号) a report has six sections: 总体情况;
主动公开政府信息情况; 收到和处理政府信息公开申请情况; 政府信息公开行政复议、行政诉讼情况;
存在的主要问题及改进情况; 其他需要报告的事项. Up to 2018 the 2008 条例 (第三十二条) asked for
contents rather than a layout: 主动公开, 依申请公开 (申请的办理情况), 收费及减免, 行政复议和
行政诉讼, 存在的主要问题及改进情况 — old reports group them freely ("二、政府信息公开情况" with
"(一)主动公开情况" inside), so for them a topic also counts as covered when a sentence reports
it with a figure or a plain "未收到/未发生" statement.

Headings are found in every numbering style (一、 (一) 1. 第一部分, or a short unnumbered line)
and matched on keywords, after 繁→简, so wording variants ("概述", "依申请公开情况",
"存在问题及下一步工作打算") are accepted. Precision first: a topic merely named in passing
("健全依申请公开制度") does not count, but any heading naming it does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from audits.reports.model import Problem
from audits.reports.textprep import Line, sentences, shorten

_NUMBERING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十]+(?:部分|章|节)|[一二三四五六七八九十]+\s*[、.．,]|"
    r"\(\s*[一二三四五六七八九十]+\s*\)|[0-9]{1,2}\s*[、.．](?!\d)|\([0-9]{1,2}\)|[IVXⅠ-Ⅻ]+\s*[、.])")
_HEADING_MAX = 40


def heading_text(line: Line) -> str | None:
    """The heading a line starts with, or None.

    A numbered line's heading is its text up to the first 。/：/; a short line without sentence
    punctuation is a heading as a whole ("总体情况", "行政复议 | 行政诉讼").
    """
    text = line.text.strip()
    if _NUMBERING.match(text):
        head = re.split(r"[。:;!?]", text, maxsplit=1)[0]
        if len(head) > _HEADING_MAX and not line.is_table_row:
            # A heading run into its first sentence ("一、总体情况2019年，在…", one-line page
            # texts): the heading ends where the prose starts — a figure or a comma.
            head = re.split(r"[,\d\s]", head, maxsplit=1)[0]
            if len(head) > _HEADING_MAX and re.match(r"^[一二三四五六七八九十]、", head):
                # a section heading run into table header cells (flattened table text)
                return head[:_HEADING_MAX]
            return head if len(head) <= _HEADING_MAX else None
        return head if len(head) <= _HEADING_MAX else None
    if len(text) <= 30 and not re.search(r"[。,;!?]", text):
        return text
    return None


@dataclass(frozen=True)
class Topic:
    key: str
    label: str            # how the bulletin names it
    heading: re.Pattern   # matched against headings
    sentence: re.Pattern | None = None   # matched against sentences that report a figure
    context: re.Pattern | None = None    # and, if set, the sentence must also contain this


_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:万|千)?\s*(?:条|件|项|个|次|起|宗|人次|元|份|期)|"
                     r"(?:未|没有|均未|无)(?:发生|收到|出现|受理|接到|产生|收取|提起|有)|为零|零件")

TOPICS_NEW = (
    Topic("overview", "总体情况", re.compile(r"总体情况|概述|概况|总体|基本情况")),
    Topic("active", "主动公开政府信息情况", re.compile(r"主动公开")),
    Topic("requests", "收到和处理政府信息公开申请情况",
          re.compile(r"收到和处理|依申请|公开申请|申请公开|申请情况|申请的?办理|处理.{0,8}申请")),
    Topic("appeals", "政府信息公开行政复议、行政诉讼情况", re.compile(r"复议|诉讼")),
    Topic("problems", "存在的主要问题及改进情况", re.compile(r"问题|不足|改进")),
    Topic("other", "其他需要报告的事项", re.compile(r"其他(?:需要|需|应当|应)?(?:报告|说明)|其他事项")),
)

TOPICS_2008 = (
    Topic("active", "主动公开政府信息情况", re.compile(r"主动公开"), re.compile(r"主动公开")),
    Topic("requests", "依申请公开政府信息情况",
          re.compile(r"依申请|公开申请|申请公开|申请情况|申请的?办理|处理.{0,8}申请"),
          re.compile(r"依申请公开|公开申请|申请公开")),
    Topic("fees", "政府信息公开的收费及减免情况", re.compile(r"收费|费用|减免|收取"),
          re.compile(r"减免|收费|收取.{0,10}费|费用"), re.compile(r"信息|申请")),
    Topic("appeals", "因政府信息公开申请行政复议、提起行政诉讼情况", re.compile(r"复议|诉讼"),
          re.compile(r"复议|诉讼")),
    Topic("problems", "存在的主要问题及改进情况",
          re.compile(r"问题|不足|改进|打算|计划|思路|努力方向|下一步|展望"),
          re.compile(r"存在的(?:主要)?(?:问题|不足)|不足之处")),
)


def topics_for(year: int | None, text_is_new_format: bool) -> tuple[str, tuple[Topic, ...]]:
    """The format that applies: by year when known, else by the content's shape."""
    if year is not None:
        return ("2021" if year >= 2021 else "2019", TOPICS_NEW) if year >= 2019 else ("2008", TOPICS_2008)
    return ("2019", TOPICS_NEW) if text_is_new_format else ("2008", TOPICS_2008)


def headings(lines: list[Line]) -> list[tuple[Line, str]]:
    return [(line, head) for line in lines if (head := heading_text(line))]


def covered(topic: Topic, heads: list[str], lines: list[Line]) -> bool:
    """A heading names the topic, or (2008 contents) a sentence reports it with a figure."""
    if any(topic.heading.search(h) for h in heads):
        return True
    if topic.sentence is None:
        return False
    for line in lines:
        for _, sent in sentences(line):
            if topic.sentence.search(sent) and (topic.key == "problems" or _FIGURE.search(sent)) \
                    and (topic.context is None or topic.context.search(sent)):
                return True
    return False


#: 2019/2021 format: what the body of a section holds, to tell a missing heading from missing content.
_CONTENT = {
    "active": re.compile(r"第二十条第\(一\)项|本年制发件数|本年新制作数量"),
    "requests": re.compile(r"本年新收|收到[^。]{0,12}申请\d+件"),
    "appeals": re.compile(r"结果维持|行政复议\d+(?:件|起)"),
    "problems": re.compile(r"存在的?(?:主要)?(?:问题|不足)|仍存在|有待(?:进一步)?(?:加强|提高|提升)"),
    "other": re.compile(r"信息处理费|其他需要报告"),
}


_OUTLINE = re.compile(r"(?:包括|共分|分为|由).{0,20}总体情况")


def _content_line(topic: Topic, lines: list[Line]) -> Line | None:
    """A line carrying the section's content; the introduction listing all sections is none."""
    pattern = _CONTENT.get(topic.key)
    if pattern is None:
        return None
    return next((ln for ln in lines if pattern.search(ln.text) and not _OUTLINE.search(ln.text)), None)


def check_sections(lines: list[Line], topics: tuple[Topic, ...], fmt: str) -> tuple[dict[str, bool], list[Problem]]:
    """Which required sections are present; one problem naming all the missing ones, and one
    per section whose heading is missing although its content is there."""
    heads_found = headings(lines)
    heads = [h for _, h in heads_found]
    # The title is no section heading ("…年度报告" would name every topic's words).
    heads = [h for h in heads if not re.search(r"报告$|年报$", h)]
    found = {t.label: covered(t, heads, lines) for t in topics}
    headless = []
    if fmt != "2008":
        for topic in topics:
            if not found[topic.label] and (line := _content_line(topic, lines)) is not None:
                found[topic.label] = True     # the content is there: only its heading is not
                headless.append(Problem(
                    "section_heading_missing",
                    f"年报未设“{topic.label}”部分的标题（相关内容在正文中）",
                    shorten(line.orig, 120)))
    missing = [label for label, ok in found.items() if not ok]
    if not missing:
        return found, headless
    basis = ("《政府信息公开工作年度报告格式》（国办公开办函〔2019〕60号、〔2021〕30号）"
             if fmt != "2008" else "2008年《政府信息公开条例》第三十二条")
    numbered = [h for line, h in heads_found if _NUMBERING.match(line.text)]
    quote = "；".join(numbered) if numbered else "（全文无分节标题）"
    detail = f"年报缺少{basis}要求的内容：{'、'.join(missing)}"
    return found, [Problem("section_missing", detail, shorten("本报告各部分标题：" + quote, 300)), *headless]
