"""crawler/content.py: the body text of a page, without navigation and page furniture."""

from pathlib import Path

import pytest

from crawler.content import main_text

REALPAGES = Path(__file__).resolve().parents[1].parent / "shared" / "realpages"


def _real(name: str) -> str:
    if not REALPAGES.exists():
        pytest.skip("../shared/realpages is missing (it is not part of a user's clone)")
    return (REALPAGES / name).read_text(encoding="utf-8")


NAV = "<div class='nav'><ul><li><a href='/'>首页</a></li><li><a href='/xxgk/'>信息公开</a></li>" \
      "<li><a href='/zmhd/'>政民互动</a></li><li><a href='/bsfw/'>办事服务</a></li></ul></div>"
FOOTER = "<div class='foot'><p>主办单位：某市人民政府办公室</p><p>网站标识码 1304000009</p></div>"


def _page(body: str) -> str:
    return f"<html><head><title>t</title><style>p{{color:red}}</style></head><body>{body}</body></html>"


# --- real pages ---------------------------------------------------------------------------

def test_gov_cn_guofa_body_starts_with_the_document():
    text = main_text(_real("gov-cn-zhengce-content-guofa-2019-5-fragment.html"))
    lines = text.splitlines()
    assert lines[0] == "国务院关于在市场监管领域全面推行"
    assert "国发〔2019〕5号" in lines[:4]
    assert "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：" in lines
    assert lines[-1] == "（此件公开发布）"
    for furniture in ("扫一扫在手机打开当前页", "索 引 号", "主题分类", "000014349/2019-00007"):
        assert furniture not in text


def test_gov_cn_gongbao_after_premature_html_close():
    text = main_text(_real("gov-cn-gongbao-article.html"))
    assert text.startswith("全国人民代表大会常务委员会")
    assert "批准发行15500亿元特别国债购买外汇" in text
    assert "EN" not in text.splitlines() and "无障碍" not in text


def test_shanxi_trs_editor_inside_printer_wrapper():
    text = main_text(_real("shanxi-gov-portal-article.html"))
    assert text.startswith("图为山西品牌丝路行（南美站）启动仪式")
    assert "外交部" not in text and "分享" not in text and "国防部" not in text


def test_hanweb_zoom_body():
    text = main_text(_real("zhejiang-fgw-hanweb-jcms-article.html"))
    assert text.startswith("1-10月，全县固定资产投资完成246.79亿元")
    assert text.endswith("（德清县发改局）")


def test_shanghai_body_without_its_metadata_table():
    text = main_text(_real("shanghai-wsjkw-detail-suoquhao-CLONE.html"))
    assert text.startswith("各区卫生健康委")
    assert "索取号" not in text and "076478684Q/2024-00112" not in text
    assert text.splitlines()[-1] == "2024年5月10日"


# --- synthetic ----------------------------------------------------------------------------

def test_known_container_wins_over_navigation_and_footer():
    html = _page(NAV + "<div id='zoom'><p>第一段正文内容，关于政府信息公开工作的安排。</p>"
                 "<p>第二段正文内容。</p></div>" + FOOTER)
    assert main_text(html) == "第一段正文内容，关于政府信息公开工作的安排。\n第二段正文内容。"


@pytest.mark.parametrize("selector_attr", [
    "id='UCAP-CONTENT'", "class='TRS_Editor'", "id='ivs_content'", "class='Article_content'",
    "class='article-content'", "class='xxgk_content'",
])
def test_each_known_container(selector_attr):
    html = _page(NAV + f"<div {selector_attr}><p>正文：本机关2023年共主动公开政府信息1200条。</p></div>"
                 "<div class='side'><p>这是侧栏里一段很长很长很长很长很长很长很长很长很长很长的无关文字。</p>"
                 "<p>侧栏第二段很长很长很长很长很长很长很长很长很长很长很长很长的文字。</p></div>")
    assert main_text(html) == "正文：本机关2023年共主动公开政府信息1200条。"


def test_densest_block_without_known_container():
    paragraphs = "".join(f"<p>第{i}段：这是正文的一段较长的文字，用来说明年度工作情况。</p>" for i in range(5))
    html = _page(NAV + f"<div class='wrap'><div class='left'>{paragraphs}</div></div>" + FOOTER)
    text = main_text(html)
    assert text.splitlines()[0] == "第0段：这是正文的一段较长的文字，用来说明年度工作情况。"
    assert len(text.splitlines()) == 5
    assert "首页" not in text and "主办单位" not in text


def test_scripts_styles_comments_are_dropped():
    html = _page("<div id='zoom'><script>var a='脚本文字';</script><style>.x{}</style>"
                 "<!-- 注释里的诱饵文字 --><p>真正的正文段落，内容足够长以便识别。</p><noscript>请启用脚本</noscript></div>")
    assert main_text(html) == "真正的正文段落，内容足够长以便识别。"


def test_furniture_lines_are_dropped():
    html = _page("<div id='zoom'><p>正文第一段，内容足够长以便识别为正文。</p>"
                 "<div>【字体：大 中 小】</div><div>扫一扫在手机打开当前页</div><p>【打印本页】 【关闭窗口】</p>"
                 "<p>分享到：微信 微博</p><p>相关词条：政务公开 年报</p>"
                 "<div class='bdsharebuttonbox'><a>QQ好友</a><a>新浪</a></div><p>正文第二段。</p></div>")
    assert main_text(html) == "正文第一段，内容足够长以便识别为正文。\n正文第二段。"


def test_table_rows_become_pipe_separated_lines():
    html = _page("<div class='TRS_Editor'><p>二、主动公开政府信息情况</p><table>"
                 "<tr><th>信息内容</th><th>本年制发件数</th><th>本年废止件数</th><th>现行有效件数</th></tr>"
                 "<tr><td>规章</td><td>2</td><td>0</td><td>15</td></tr>"
                 "<tr><td><p>行政</p><p>规范性文件</p></td><td>10</td><td></td><td>88</td></tr>"
                 "</table><p>三、收到和处理政府信息公开申请情况</p></div>")
    assert main_text(html).splitlines() == [
        "二、主动公开政府信息情况",
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数",
        "规章 | 2 | 0 | 15",
        "行政 规范性文件 | 10 |  | 88",
        "三、收到和处理政府信息公开申请情况",
    ]


def test_layout_table_around_paragraphs_keeps_paragraph_lines():
    html = _page("<table><tr><td><div id='zoom'><p>第一段正文，足够长的一句话。</p><p>第二段正文。</p>"
                 "<table><tr><td>甲</td><td>1</td></tr></table></div></td></tr></table>")
    assert main_text(html).splitlines() == ["第一段正文，足够长的一句话。", "第二段正文。", "甲 | 1"]


def test_br_breaks_lines_and_traditional_text_is_kept_as_is():
    html = _page("<div id='zoom'>第一行正文，足夠長的一句話。<br>第二行正文。<br/>第三行</div>")
    assert main_text(html) == "第一行正文，足夠長的一句話。\n第二行正文。\n第三行"


@pytest.mark.parametrize("junk", ["", None, "   ", "<<<>>>", "\x00\x01", b"\xff\xfe\xd6\xd0", "<div>" * 3000])
def test_garbage_gives_empty_or_plain_text(junk):
    assert isinstance(main_text(junk), str)


def test_empty_page_is_empty_string():
    assert main_text("") == ""
    assert main_text(_page("")) == ""
