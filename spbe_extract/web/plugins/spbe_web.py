"""Datasette plugin of the spbe web view (loaded with ``--plugins-dir``).

Routes for the region, article and search pages, a GET-only guard, links on every index value, the
``spbe_region_match`` SQL function the canned queries filter with, and the menu.
"""

from __future__ import annotations

from datasette import hookimpl

from spbe_extract.web import cells, pages
from spbe_extract.web.readonly import read_only
from spbe_extract.web.sqlfunctions import region_match


@hookimpl
def register_routes():
    return [
        (r"^/-/spbe/region$", pages.region_page),
        (r"^/-/spbe/article/(?P<article_id>\d{1,12})$", pages.article_page),
        (r"^/-/spbe/search$", pages.search_page),
    ]


@hookimpl
def asgi_wrapper():
    return read_only


@hookimpl
def prepare_connection(conn):
    conn.create_function("spbe_region_match", 3, region_match, deterministic=True)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    return cells.render(row, value, column, table, database, datasette)


@hookimpl
def extra_template_vars(datasette):
    return {"spbe_db": datasette.get_database().name}


@hookimpl
def menu_links(datasette):
    db = datasette.urls.database(datasette.get_database().name)
    return [
        {"href": f"{db}/facts", "label": "Reconciled facts"},
        {"href": datasette.urls.path("/-/spbe/region"), "label": "Regions"},
        {"href": f"{db}/officials", "label": "Officials"},
        {"href": f"{db}/statements", "label": "Targets and outcomes"},
        {"href": datasette.urls.path("/-/spbe/search"), "label": "Article search"},
        {"href": f"{db}/mismatches", "label": "News vs. official results"},
    ]
