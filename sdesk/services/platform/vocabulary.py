"""The words sdesk shares across features: laws and their aliases, the codelist of each law's
categories, delivery forms, provision kinds, roles, payers and the unknown BSN."""

from __future__ import annotations

LAWS = ("jeugd", "wmo", "participatie")
LAW_ALIASES = {"jeugd": "jeugd", "jeugdwet": "jeugd", "jw": "jeugd", "wmo": "wmo",
               "participatie": "participatie", "participatiewet": "participatie",
               "pw": "participatie"}
# Codelist that holds the product categories of each law.
CATEGORY_CODELIST = {"jeugd": "JZ020", "wmo": "WMO020", "participatie": "PW_CATEGORIE"}
END_REASON_CODELIST = {"jeugd": "JZ588", "wmo": "WMO588"}
CHANGE_REASON_CODELIST = {"jeugd": "JZ002", "wmo": "WMO002"}
DELIVERY_FORMS = ("zin", "pgb")
PROVISION_KINDS = ("maatwerk", "algemeen", "sociale_basis")
ROLES = ("klantmanager", "procescoordinator", "controller", "teamleider")
# Who works without a known user (the command line without --user): not an employee's role,
# so the import refuses it in medewerkers.csv; the permission table gives it the least.
ANONYMOUS_ROLE = "anoniem"
ROLE_LABELS = {"procescoordinator": "procescoördinator", "klantmanager": "klantmanager",
               "controller": "controller", "teamleider": "teamleider",
               ANONYMOUS_ROLE: "onbekende gebruiker"}
PAYERS = ("gemeente", "zorgverzekeraar", "politie", "justitie", "woningcorporatie", "onderwijs",
          "wlz", "overig")
UNKNOWN_BSN = "999999999"


def role_label(role: str) -> str:
    """"procescoordinator" -> "procescoördinator" (lower case; capitalise at a sentence start)."""
    return ROLE_LABELS.get(role, role)
