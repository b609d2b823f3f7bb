"""SQL behind the web view's own pages (SQLite, run by Datasette with bound parameters).

Kept in the store package with the rest of the project's SQL. ``CURRENT`` joins a fact
or official row to its article through the article's current extraction.
"""

from __future__ import annotations

CURRENT = """
    join article_extractions e on e.id = {t}.extraction_id and e.current = 1
    join articles a on a.id = {t}.article_id
"""

REGION_BY_KEY = """
    select name, code, level, parent_code from regions
    where code = :key or name = :key
"""

REGION_SEEN = """
    select region as name, region_code as code, level, null as parent_code
    from reconciled_facts where region = :key or region_code = :key
    union
    select region, region_code, null, null from official_results
    where region = :key or region_code = :key
    limit 1
"""

REGIONS_LIST = """
    select region, region_code, level, province, count(*) as n, sum(conflict) as conflicts,
           min(year) as first_year, max(year) as last_year
    from reconciled_facts group by region, region_code, level, province order by region
"""

REGION_NAME = "select name from regions where code = :code"

REGION_RECONCILED = """
    select * from reconciled_facts where region = :region order by year, kind
"""

REGION_VALUES = """
    select * from reconciled_values where region = :region
    order by year, kind, consensus desc, value
"""

REGION_OFFICIAL = "select * from official_results where region = :region order by year"

REGION_TARGETS = """
    select * from target_statements where region = :region order by year, published, id
"""

REGION_SOURCES = (
    """
    select f.id as fact_id, f.year, f.kind, f.value, f.relation, f.predicate,
           f.year_inferred, f.evidence_sentence, a.id as article_id, a.url, a.title,
           a.source, coalesce(a.published, e.published) as published
    from index_facts f
    """
    + CURRENT.format(t="f")
    + """
    where f.region = :region
    order by f.year, f.kind, published, f.id
    """
)

ARTICLE = """
    select a.id, a.url, a.title, a.source, a.published, a.text, e.extractor_version
    from articles a
    left join article_extractions e on e.article_id = a.id and e.current = 1
    where a.id = :id
"""

ARTICLE_FACTS = (
    """
    select f.id, f.region, f.year, f.kind, f.value, f.relation, f.predicate,
           f.year_inferred, f.evidence_start, f.evidence_end, f.evidence_sentence
    from index_facts f
    """
    + CURRENT.format(t="f")
    + " where f.article_id = :id order by f.evidence_start, f.id"
)

ARTICLE_OFFICIALS = (
    """
    select o.id, o.name, o.position, o.acting, o.region, o.evidence_start, o.evidence_end,
           o.evidence_sentence
    from officials o
    """
    + CURRENT.format(t="o")
    + " where o.article_id = :id order by o.evidence_start, o.id"
)

SEARCH_ARTICLES = """
    select a.id, a.title, a.url, a.source, coalesce(a.published, e.published) as published
    from articles a
    left join article_extractions e on e.article_id = a.id and e.current = 1
    where a.title like :pattern escape '\\' or a.text like :pattern escape '\\'
    order by published desc, a.id desc
    limit :limit
"""

SEARCH_EVIDENCE = (
    """
    select f.id, f.article_id, f.region, f.year, f.kind, f.value, f.evidence_sentence
    from index_facts f
    """
    + CURRENT.format(t="f")
    + " where f.article_id = :id order by f.evidence_start, f.id"
)
