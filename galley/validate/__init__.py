"""Validators: one module per standard; each sees only bytes and returns diagnostics.

A validator never knows how a file was made, so the same code checks galley's own outputs
and files received from elsewhere (`galley validate FILE`).
"""

from __future__ import annotations

from lxml import etree


def secure_parser() -> etree.XMLParser:
    """No entity expansion, no DTD loading, no network: outputs and inputs are untrusted."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
    )
