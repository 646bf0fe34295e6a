"""Typography on the AST, as every format gets it."""

from __future__ import annotations

from galley.ast import stringify
from galley.typography import CODE_WORD, codes_whole


def _spanned(text: str) -> list[str]:
    """The words of `text` that `codes_whole` sets apart as codes."""
    nodes = [{"t": "Str", "c": word} for word in text.split()]
    return [
        stringify(node["c"][1])
        for node in codes_whole([{"t": "Para", "c": nodes}])[0]["c"]
        if node["t"] == "Span" and node["c"][0][1] == [CODE_WORD]
    ]


def test_codes_are_set_apart_from_the_words_a_dictionary_hyphenates() -> None:
    text = "5\u2032-GATCGGAAGAGCACACG-3\u2032 gatcggaagagcacacg INTRODUCTION TNFRSF1A-deficient"
    assert _spanned(text) == [
        "GATCGGAAGAGCACACG",
        "gatcggaagagcacacg",
        "INTRODUCTION",
        "TNFRSF1A",  # not "deficient"
    ]
    # words, short acronyms (never hyphenated anyway), a short run of nucleotide letters
    assert _spanned("Kramers–Moyal expansion NADPH GAPDH attaca cattagttacg Bremen") == []
