"""Slugs made from titles: ``Québec–Séoul`` → ``quebec-seoul``, ``L’intelligence`` → ``l-intelligence``.

Django's ``slugify`` drops dashes and apostrophes that are not ASCII hyphens or spaces, gluing the
words either side ("quebecseoul", "lintelligence"). Here they separate words first, then accents
are folded (``é`` → ``e``) and the rest is Django's. The admin does the same while an editor
types a title (``static/js/admin-slugs.js``, the same characters in ``SEPARATORS``).
"""

import re

from django.utils.text import slugify as django_slugify

# Dashes (hyphen, non-breaking hyphen, figure dash, en and em dashes, horizontal bar, minus sign),
# apostrophes and single quotes (’ ‘ ' ʼ ′), and the slash: each separates two words.
SEPARATORS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2019\u2018'\u02bc\u2032/"
SEPARATOR_RE = re.compile(f"[{re.escape(SEPARATORS)}]")


def slugify(text):
    """An ASCII slug of ``text``, its words separated by single hyphens."""
    return django_slugify(SEPARATOR_RE.sub(" ", str(text or "")))
