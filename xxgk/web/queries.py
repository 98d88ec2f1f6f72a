"""The SQL of the web workbench: the Chinese view over findings and the clerk's canned queries.

Every query reads the same derived rows the command line does (``finding_reviews``, written by
``audits.review``), so ``xxgk review`` and the web view count the same findings. A period's
crawls are those a 通报 of that period uses: per site the latest audited crawl whose run started
in the month (``finding_reviews.in_period = 1``). An empty ``:period`` means the latest period.
"""

from __future__ import annotations

from audits.bulletin.catalogue import SEVERITY_NAMES, catalogue

SEVERITY_SQL = ("case f.severity " + " ".join(f"when '{k}' then '{v}'" for k, v in
                {**SEVERITY_NAMES, "warn": "预警"}.items()) + " else f.severity end")

#: A Chinese view of every finding with its review state; facets and links are set on it.
PROBLEM_VIEW = "problem_review"
PROBLEM_VIEW_SQL = f"""
create view {PROBLEM_VIEW} as
select f.id as 编号, r.period as 监测期, r.in_period as 本期通报, coalesce(s.name, f.site_id) as 单位,
       f.site_id as 站点, r.check_name as 问题类型, {SEVERITY_SQL} as 严重程度,
       f."column" as 栏目, f.year as 年度, f.detail as 问题描述, f.url as 网址,
       r.state_name as 审核状态, r.reason as 驳回理由, r.reviewer as 审核人, r.decided_at as 审核时间,
       f.run_id as 运行, f."check" as 检查项
from findings f join finding_reviews r on r.finding_id = f.id left join sites s on s.id = f.site_id
"""

PERIOD = "coalesce(nullif(:period, ''), (select max(period) from finding_reviews))"


def _names_cte() -> str:
    """``names(check_id, name)``: the catalogue as a VALUES list (Chinese veto names in SQL)."""
    rows = ", ".join(f"('{c}', '{n}')" for c, n in catalogue())
    return f"names(check_id, name) as (values {rows})"


#: The reviewed vetoes of verdict ``v`` as Chinese names (needs the ``names`` CTE).
VETOES = """(select group_concat(coalesce(n.name, j.value), '、')
        from json_each(coalesce(v.reviewed_vetoes, v.vetoes)) j left join names n on n.check_id = j.value)"""

PERIOD_CRAWLS = """period_crawls as (
    select c.site_id, max(c.run_id) as run_id, substr(r.started_at, 1, 7) as period
    from crawls c join runs r on r.id = c.run_id
    join verdicts v on v.run_id = c.run_id and v.site_id = c.site_id
    group by c.site_id, substr(r.started_at, 1, 7))"""


def canned_queries() -> dict[str, dict]:
    """Datasette canned queries (name → {title, description, sql})."""
    unqualified = f"""with {_names_cte()}, {PERIOD_CRAWLS}
select s.name as 单位, pc.site_id as 站点, pc.period as 监测期,
       coalesce(v.reviewed_verdict, v.verdict) as 结论,
       {VETOES} as 否决项,
       v.verdict as 自动检查结论, s.url as 网址
from period_crawls pc join verdicts v on v.run_id = pc.run_id and v.site_id = pc.site_id
left join sites s on s.id = pc.site_id
where pc.period = {PERIOD} and coalesce(v.reviewed_verdict, v.verdict) = '不合格'
order by s.name"""
    problems = f"""select 编号, 单位, 站点, 问题类型, 严重程度, 栏目, 年度, 问题描述, 网址, 审核状态
from {PROBLEM_VIEW}
where 本期通报 = 1 and 监测期 = {PERIOD} and 审核状态 != '已驳回'
  and (:site = '' or 站点 = :site) and (:check = '' or 检查项 = :check)
order by 单位, 问题类型, 编号"""
    by_unit_type = f"""select 单位, 站点, 问题类型, count(*) as 问题数
from {PROBLEM_VIEW}
where 本期通报 = 1 and 监测期 = {PERIOD} and 审核状态 != '已驳回' and 严重程度 != '提示'
group by 单位, 站点, 问题类型 order by 单位, 问题数 desc"""
    tracking = f"""with {PERIOD_CRAWLS},
cur as (select {PERIOD} as p),
prev as (select strftime('%Y-%m', (select p from cur) || '-01', '-1 month') as p),
seen as (
    select r.period, f.site_id, r.problem_key, min(f.id) as id
    from findings f join finding_reviews r on r.finding_id = f.id
    where r.in_period = 1 and r.state != 'dismissed' and f.severity != 'info'
    group by r.period, f.site_id, r.problem_key),
now_ as (select * from seen where period = (select p from cur)),
before as (select * from seen where period = (select p from prev)
           and site_id in (select site_id from period_crawls where period = (select p from cur))),
keys as (select site_id, problem_key, id from now_
         union select site_id, problem_key, id from before
         where problem_key not in (select problem_key from now_)),
first_seen as (select problem_key, min(period) as first, count(distinct period) as n from seen group by problem_key)
select case when k.problem_key in (select problem_key from now_)
             and k.problem_key in (select problem_key from before) then '未整改'
            when k.problem_key in (select problem_key from now_) then '新发现'
            else '已整改' end as 整改状态,
       pr.单位, pr.站点, pr.问题类型, pr.栏目, pr.年度, pr.问题描述, pr.网址,
       fs.first as 首次发现, fs.n as 出现期数
from keys k join {PROBLEM_VIEW} pr on pr.编号 = k.id
left join first_seen fs on fs.problem_key = k.problem_key
order by 整改状态, pr.单位, pr.问题类型"""
    site_history = f"""with {_names_cte()}, {PERIOD_CRAWLS}
select pc.period as 监测期, substr(r.started_at, 1, 10) as 监测日期, s.name as 单位,
       coalesce(v.reviewed_verdict, v.verdict) as 结论,
       {VETOES} as 否决项,
       (select count(*) from finding_reviews fr join findings f on f.id = fr.finding_id
        where fr.run_id = pc.run_id and fr.site_id = pc.site_id and fr.state != 'dismissed'
          and f.severity != 'info') as 问题数,
       (select count(*) from finding_reviews fr where fr.run_id = pc.run_id and fr.site_id = pc.site_id
          and fr.state = 'dismissed') as 驳回数
from period_crawls pc join runs r on r.id = pc.run_id
join verdicts v on v.run_id = pc.run_id and v.site_id = pc.site_id
left join sites s on s.id = pc.site_id
where pc.site_id = :site order by pc.period desc"""
    pending = f"""select 编号, 单位, 站点, 问题类型, 严重程度, 栏目, 年度, 问题描述, 网址
from {PROBLEM_VIEW}
where 本期通报 = 1 and 监测期 = {PERIOD} and 审核状态 = '待审核' and (:site = '' or 站点 = :site)
order by 单位, 问题类型, 编号"""
    return {
        "unqualified": {"title": "本期不合格单位及否决项", "sql": unqualified,
                        "description": "监测期（留空为最近一期）内结论为不合格的单位及其单项否决项；"
                                       "结论已剔除审核驳回的问题。"},
        "problems": {"title": "本期问题清单（按单位、类型）", "sql": problems,
                     "description": "本期通报所用监测中的全部问题（不含已驳回），可按站点、检查项筛选。"},
        "problems_by_unit_type": {"title": "本期问题数（按单位、类型）", "sql": by_unit_type,
                                  "description": "各单位各类问题的条数（不含已驳回和提示）。"},
        "tracking": {"title": "整改跟踪（新发现/未整改/已整改）", "sql": tracking,
                     "description": "本期与上一个自然月相比：每个问题是新发现、未整改还是已整改，"
                                    "以及首次发现的监测期和出现期数。"},
        "site_history": {"title": "某单位历次监测结论", "sql": site_history,
                         "description": "输入站点 id（如 songling），列出每个监测期的结论、否决项和问题数。"},
        "pending": {"title": "待审核问题", "sql": pending,
                    "description": "本期尚未审核的问题；审核请到“问题审核”页面（xxgk serve --review）。"},
    }


def dashboard_queries() -> dict[str, str]:
    """SQL of the dashboard charts (datasette-dashboards)."""
    rate = f"""with {PERIOD_CRAWLS}
select pc.period as 监测期, round(100.0 * sum(coalesce(v.reviewed_verdict, v.verdict) = '合格')
       / count(*), 1) as 合格率
from period_crawls pc join verdicts v on v.run_id = pc.run_id and v.site_id = pc.site_id
where coalesce(v.reviewed_verdict, v.verdict) in ('合格', '不合格')   -- 未能自动检查 is no verdict
group by pc.period order by pc.period"""
    by_type = f"""select 监测期, 问题类型, count(*) as 问题数 from {PROBLEM_VIEW}
where 本期通报 = 1 and 审核状态 != '已驳回' and 严重程度 != '提示'
group by 监测期, 问题类型 order by 监测期"""
    per_unit = f"""select 监测期, 单位, count(*) as 问题数 from {PROBLEM_VIEW}
where 本期通报 = 1 and 审核状态 != '已驳回' and 严重程度 != '提示' [[ and 站点 = :site ]]
group by 监测期, 单位 order by 监测期"""
    pending = f"""select count(*) as n from {PROBLEM_VIEW}
where 本期通报 = 1 and 审核状态 = '待审核' and 监测期 = (select max(period) from finding_reviews)"""
    return {"rate": rate, "by_type": by_type, "per_unit": per_unit, "pending": pending}
