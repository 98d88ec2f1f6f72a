"""Simulated government portals of eight CMS families with ground truth and injectable defects.

Public API::

    build_portal(site_id, name, cms, as_of, *, seed=0, defects=(), columns=None,
                 report_years=None, report_texts=None, entry_text=None, trap=False) -> Portal
    demo_portals(as_of) -> list[Portal]
    SimulatorServer(portals, ports=None)  # .start() .stop() .base_url(id) .truth(id) .seeds_yaml()

``python -m crawler.simulator --demo [--port-base 18700]`` serves the demo portals.
See ``generate`` for defect kinds and variants and ``truth`` for the truth format.
"""

from .demo import DEMO_UNITS, PORT_BASE, demo_portals, demo_ports
from .generate import build_portal, last_due_year, report_deadline
from .model import DEFECT_KINDS, Defect, Portal, category_for
from .server import SimulatorServer, respond
from .truth import truth_dict

__all__ = ["DEFECT_KINDS", "DEMO_UNITS", "PORT_BASE", "Defect", "Portal", "SimulatorServer", "build_portal",
           "category_for", "demo_portals", "demo_ports", "last_due_year", "report_deadline", "respond",
           "truth_dict"]
