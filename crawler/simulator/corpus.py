"""Word banks for realistic titles, publishers, bodies and 索引号 of a simulated unit.

Everything is drawn from a caller's ``random.Random`` so a portal is reproducible from its
seed. Titles follow the shapes seen on real portals (会议/检查 news, 关于…的通知, 印发《…》的通知
with a 〔year〕 文号, 招聘公告, 工作要点, 预算公开, 建议答复); none is copied from a real page.
"""

from __future__ import annotations

import random
from datetime import date

TOPICS = ("安全生产", "森林防火", "防汛抗旱", "优化营商环境", "乡村振兴", "河湖长制", "文明城市创建",
          "民生实事", "招商引资", "生态环境保护", "重点项目建设", "消防安全", "冬季供暖保障", "食品安全",
          "信访维稳", "政务公开", "农村人居环境整治", "秸秆禁烧", "燃气安全", "稳就业保民生",
          "防范电信网络诈骗", "耕地保护", "营商环境评价", "数字政府建设", "法治政府建设", "城市更新")

NEWS = ("{base}召开{t}工作推进会", "{base}开展{t}专项检查", "{base}部署{t}重点工作",
        "{base}{t}工作取得阶段性成效", "{base}主要负责同志调研{t}工作", "{base}举办{t}业务培训班",
        "{base}召开{m}月份{t}工作调度会")
NOTICE = ("关于做好{y}年{t}工作的通知", "关于开展{t}专项行动的通告", "{base}{y}年{t}工作情况公示",
          "关于{t}有关事项的公告", "关于{y}年度{t}检查结果的通报")
POLICY = ("{office}关于印发《{base}{t}实施方案》的通知", "{office}关于进一步加强{t}工作的意见",
          "{office}关于印发《{base}{t}管理办法》的通知", "{office}关于印发《{base}{t}应急预案》的通知")
PERSONNEL = ("{base}{y}年公开招聘事业单位工作人员公告", "关于{person}等同志职务任免的通知",
             "{base}{y}年公益性岗位拟聘用人员公示", "{base}{y}年度公务员拟录用人员名单公示",
             "关于{person}同志试用期满考核合格的公示", "{base}{y}年第{n}批引进急需紧缺人才公告")
PLANNING = ("{base}{y}年政务公开工作要点", "{base}{y}年{t}工作计划", "{base}{y}年度{t}实施计划",
            "{base}“十四五”{t}规划", "{base}{y}年{t}重点任务清单")
OTHER = {
    "gkzd": ("{base}政府信息公开{t}制度", ),
    "czyjs": ("{base}{y}年部门预算公开", "{base}{y}年财政决算公开说明",
              "{y}年{base}“三公”经费预算情况说明", "{base}{y}年政府性债务情况说明"),
    "jytabl": ("对区人大代表{y}年第{n}号建议的答复", "关于政协委员{y}年第{n}号提案的答复",
               "{base}{y}年建议提案办理工作总结"),
}
SYSTEMS = ("保密审查", "依申请公开办理", "信息发布协调", "主动公开", "责任追究", "社会评议", "工作考核",
           "公开属性源头认定", "政策解读", "舆情回应", "档案管理", "信息更正")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红娥玲峰建国志海斌宇鹏晨辉波宁"
TOPIC_CLASSES = ("综合政务\\政务公开", "城乡建设、环境保护\\环境监测、保护与治理", "劳动、人事、监察\\人事工作",
                 "财政、金融、审计\\财政", "综合政务\\应急管理", "农业、林业、水利\\农业、畜牧业、渔业",
                 "市场监管、安全生产监管\\安全生产监管", "公安、安全、司法\\公安", "综合政务\\规划计划")


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def office(base: str, name: str) -> str:
    """The issuing office of a unit's 规范性文件: 人民政府办公室 / 管委会办公室 / 办事处."""
    if name.endswith("人民政府"):
        return f"{name}办公室"
    if "管委会" in name or "管理委员会" in name:
        return f"{base}管委会办公室"
    return name


def doc_no_prefix(base: str, name: str) -> str:
    head = base[0]
    if name.endswith("人民政府"):
        return f"{head}政办发"
    if "管委" in name:
        return f"{head}管办"
    return f"{head}办发"


def title_for(rng: random.Random, category: str, key: str, base: str, name: str, when: date) -> str:
    """A title for a document of ``category`` (column ``key``) dated ``when``."""
    if category == "news":
        bank = NEWS
    elif category == "notice":
        bank = NOTICE
    elif category == "policy":
        bank = POLICY
    elif category == "personnel":
        bank = PERSONNEL
    elif category == "planning":
        bank = PLANNING
    else:
        bank = OTHER.get(key, OTHER["czyjs"] if "财" in key else ("{base}{y}年{t}工作情况", "{base}{t}工作制度"))
    template = rng.choice(bank)
    return template.format(base=base, t=rng.choice(SYSTEMS if key == "gkzd" else TOPICS), y=when.year,
                           m=when.month, n=rng.randint(1, 60), person=person(rng),
                           office=office(base, name))


def body_for(rng: random.Random, title: str, base: str) -> list[str]:
    """Two to four plain paragraphs that read like a short government notice."""
    t = rng.choice(TOPICS)
    pool = [
        f"为深入贯彻落实上级有关决策部署，进一步做好{t}工作，结合{base}实际，现将有关事项通知如下。",
        f"会议强调，各部门要提高政治站位，压实工作责任，细化工作措施，确保{t}各项任务落地见效。",
        f"近期，{base}组织相关部门对{t}工作进行了全面梳理，共排查问题{rng.randint(3, 60)}个，已整改{rng.randint(1, 3)}批次。",
        f"各单位要加强统筹协调，建立工作台账，实行销号管理，于每月{rng.randint(1, 28)}日前报送工作进展情况。",
        "联系人及电话：" + person(rng) + f"，0{rng.randint(310, 990)}-{rng.randint(2000000, 8999999)}。",
    ]
    rng.shuffle(pool)
    return pool[:rng.randint(2, 4)]


def org_code(rng: random.Random, style: str) -> str:
    """A 9-character organisation code or an 18-character 统一社会信用代码 (SPEC shapes)."""
    digits = "".join(str(rng.randint(0, 9)) for _ in range(8))
    nine = digits + rng.choice("0123456789X")
    if style == "18":
        region = str(rng.randint(110000, 659000))
        return f"11{region}{nine}{rng.choice('ABCDEFGHJKLMNPQRTUWXY')}"
    return nine


def index_no(code: str, style: str, when: date, serial: int) -> str:
    """A valid 索引号 in one of the real variants (``/YYYY-NNNNN``, ``-YYYY-N``, ``/YYYYMM-NNNNN``)."""
    if style == "dash":
        return f"{code}-{when.year}-{serial:06d}"       # 01527918X-2020-153077
    if style == "month":
        return f"{code}/{when.year}{when.month:02d}-{serial:05d}"
    return f"{code}/{when.year}-{serial:05d}"
