"""The read-only web view for journalists: Datasette with the project's pages.

``serve`` starts Datasette over the SQLite store; ``metadata.json`` holds the canned
queries, ``templates/`` the pages, ``plugins/`` the Datasette plugin (routes, links on
every number, the region filter function, the GET-only guard).
"""
