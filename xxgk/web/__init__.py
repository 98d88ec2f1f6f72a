"""The clerk's web workbench on Datasette (``xxgk serve``): metadata, canned queries, dashboards,
and the review plugin (``plugins/xxgk_review.py``, loaded with ``--plugins-dir``)."""
