"""The CMS families a simulated portal can be rendered as (``cms`` argument of build_portal)."""

from __future__ import annotations

from . import render_hanweb, render_jsfetch, render_jsonapi, render_jspost, render_legacy, render_trs

FAMILIES = {"trs": render_trs, "hanweb": render_hanweb, "legacy": render_legacy, "jsonapi": render_jsonapi,
            "jsfetch": render_jsfetch, "jspost": render_jspost}   # lists only a browser engine sees
