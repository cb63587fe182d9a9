"""French grammar the interface needs around names: « de » before a name, with its elision and
contraction (« de l’Institut coréen… », « du Consortium… », « de la Fondation… », « d’Ottawa »,
« de KITECH »), so that « Ententes de %(name)s » never reads « Ententes de Institut… ».

Organisations' names start with a common noun (Institut, Université, Consortium…) that takes
an article, or are proper names and acronyms that take none. The nouns below are those of public
bodies; a name starting with another word is read as a proper name (« d’Ottawa », « de Busan »).
"""

import unicodedata

MASCULINE = {
    "bureau", "centre", "cégep", "collège", "comité", "conseil", "consortium", "consulat", "festival",
    "fonds", "gouvernement", "groupe", "institut", "marché", "ministère", "musée", "observatoire",
    "office", "organisme", "parlement", "programme", "réseau", "secrétariat", "sommet", "hôpital",
}  # fmt: skip
FEMININE = {
    "agence", "ambassade", "association", "assemblée", "banque", "chambre", "commission", "compagnie",
    "corporation", "délégation", "école", "fédération", "fondation", "organisation", "province",
    "république", "société", "université", "ville",
}  # fmt: skip
# Plural nouns: « des Éditions… ».
PLURAL = {"éditions", "archives", "grands", "amis"}
APOSTROPHE = "\u2019"
ARTICLES = {
    "le ": "du ",
    "la ": "de la ",
    "les ": "des ",
    "l'": "de l" + APOSTROPHE,
    "l’": "de l" + APOSTROPHE,
}


def _starts_with_vowel(word):
    """A, E, I, O, U, Y, accented or not (« h » is silent in « hôpital », not in most names)."""
    return unicodedata.normalize("NFD", word[:1]).lower()[:1] in tuple("aeiouy")


def of_name(name):
    """« de » + ``name``, elided or contracted as French wants it."""
    name = (name or "").strip()
    lowered = name.lower()
    for article, replacement in ARTICLES.items():
        if lowered.startswith(article):
            return replacement + name[len(article) :]
    head = lowered.split(" ", 1)[0].split("-", 1)[0]
    if head in PLURAL:
        return f"des {name}"
    if head in MASCULINE or head in FEMININE:
        if _starts_with_vowel(head) or head == "hôpital":
            return f"de l{APOSTROPHE}{name}"
        return f"du {name}" if head in MASCULINE else f"de la {name}"
    if name.isupper():  # an acronym reads letter by letter: « de KITECH », « de CRIAQ »
        return f"de {name}"
    return f"d{APOSTROPHE}{name}" if _starts_with_vowel(name) else f"de {name}"
