"""Exchange format v1 (DESIGN section 3): which files exist and which columns they carry.

The importer validates against this, the exporter writes it; both read the same table so the
two can never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileSpec:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


# In dependency order: a file only refers to files above it.
FILES: tuple[FileSpec, ...] = (
    FileSpec("huishoudens", ("huishouden_id",), ("wijk", "postcode", "samenstelling")),
    FileSpec("personen", ("persoon_id", "huishouden_id", "geboortedatum"),
             ("bsn", "achternaam", "voornaam", "geslacht")),
    FileSpec("medewerkers", ("medewerker_id", "naam", "rol"), ("team", "fte")),
    FileSpec("tarieven", ("wet", "productcode", "geldig_vanaf", "tarief"),
             ("geldig_tot", "eenheid")),
    FileSpec("toewijzingen",
             ("toewijzingnummer", "persoon_id", "wet", "productcategorie", "ingangsdatum"),
             ("productcode", "omschrijving", "aanbieder", "verwijzer", "leveringsvorm",
              "voorziening", "einddatum", "volume", "eenheid", "frequentie", "tarief", "budget",
              "medewerker_id", "reden_wijziging", "reden_beeindiging")),
    FileSpec("declaraties", ("toewijzingnummer", "wet", "periode_begin", "periode_eind", "bedrag"),
             ("declaratie_id", "volume")),
    FileSpec("begroting", ("jaar", "post", "bedrag"),
             ("wet", "productcategorieen", "leveringsvorm", "prognose")),
    FileSpec("kostenkaart", ("item", "eenheid", "prijs", "financier"), ("jaar", "bron")),
    FileSpec("interventies", ("huishouden_id", "financier", "omschrijving"),
             ("persoon_id", "kostenkaart_item", "aantal", "bedrag", "periode_begin",
              "periode_eind")),
    FileSpec("inwoners", ("jaar", "leeftijdsgroep", "aantal")),
    FileSpec("prijsindex", ("jaar", "wet", "percentage")),
)

FILES_BY_NAME = {spec.name: spec for spec in FILES}

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
ROLE_LABELS = {"procescoordinator": "procescoördinator", "klantmanager": "klantmanager",
               "controller": "controller", "teamleider": "teamleider"}
PAYERS = ("gemeente", "zorgverzekeraar", "politie", "justitie", "woningcorporatie", "onderwijs",
          "wlz", "overig")
UNKNOWN_BSN = "999999999"


def role_label(role: str) -> str:
    """"procescoordinator" -> "procescoördinator" (lower case; capitalise at a sentence start)."""
    return ROLE_LABELS.get(role, role)
