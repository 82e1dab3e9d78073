"""User text made safe to print on a terminal.

A proposal's words (titles, teams, theme names, grades, notes, funders, sources, file names)
come from YAML and CSV files that postcost did not write: a title holding ESC [2J would clear
the screen of whoever runs ``postcost total``, and a right-to-left override would show a line's
words in another order than the file's. :func:`printable` is applied wherever such text reaches
the console (a table's cells, title and notes; explain's lines; markdown's cells; GitHub
annotations).
"""

from __future__ import annotations

import re

# line breaks and tabs, shown as one space each: CRLF, CR, LF, tab, VT, FF, NEL, U+2028, U+2029
_BREAKS = re.compile("\r\n|[\r\n\t\v\f\x85\u2028\u2029]")
# left out: the other C0 controls (ESC among them), DEL, the other C1 controls (CSI among them),
# and the bidirectional controls (embeddings, overrides, isolates, the LRM, RLM and ALM marks)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with each line break or tab as a space and every other control character (C0,
    DEL, C1) and bidirectional control left out: one line, shown as the file's characters are
    stored. Text without them is returned as it is."""
    if text.isprintable():  # nothing to change: each character above is a control or a separator
        return text
    return _UNSAFE.sub("", _BREAKS.sub(" ", text))
