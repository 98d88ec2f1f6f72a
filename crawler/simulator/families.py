"""The CMS families a simulated portal can be rendered as (``cms`` argument of build_portal)."""

from __future__ import annotations

from . import (render_dahan, render_fjdzapp, render_gkmlpt, render_hanweb, render_jpaas, render_jsfetch,
               render_jsonapi, render_jspost, render_legacy, render_trs)

FAMILIES = {"trs": render_trs, "hanweb": render_hanweb, "legacy": render_legacy, "jsonapi": render_jsonapi,
            "gkmlpt": render_gkmlpt, "jpaas": render_jpaas, "dahan": render_dahan, "fjdzapp": render_fjdzapp,
            "jsfetch": render_jsfetch, "jspost": render_jspost}   # the last two: lists only a browser engine sees
