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
    # Free text (names, descriptions) is kept as written; every other column is a key, code,
    # number or date and is normalised on import (NFKC: full-width digits, NBSP; invisible
    # characters removed).
    free_text: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """The required columns followed by the optional ones."""
        return self.required + self.optional


# In dependency order: a file only refers to files above it.
FILES: tuple[FileSpec, ...] = (
    FileSpec("huishoudens", ("huishouden_id",), ("wijk", "postcode", "samenstelling"),
             free_text=("wijk", "samenstelling")),
    FileSpec("personen", ("persoon_id", "huishouden_id", "geboortedatum"),
             ("bsn", "achternaam", "voornaam", "geslacht"),
             free_text=("achternaam", "voornaam")),
    FileSpec("medewerkers", ("medewerker_id", "naam", "rol"), ("team", "fte", "account"),
             free_text=("naam", "team")),
    FileSpec("tarieven", ("wet", "productcode", "geldig_vanaf", "tarief"),
             ("geldig_tot", "eenheid")),
    FileSpec("toewijzingen",
             ("toewijzingnummer", "persoon_id", "wet", "productcategorie", "ingangsdatum"),
             ("productcode", "omschrijving", "aanbieder", "verwijzer", "leveringsvorm",
              "voorziening", "einddatum", "volume", "eenheid", "frequentie", "tarief", "budget",
              "medewerker_id", "reden_wijziging", "reden_beeindiging"),
             free_text=("omschrijving", "aanbieder")),
    FileSpec("declaraties", ("toewijzingnummer", "wet", "periode_begin", "periode_eind", "bedrag"),
             ("declaratie_id", "volume")),
    # Reviews (beoordelingen) kept in a spreadsheet (#16): the decision per allocation.
    FileSpec("beoordelingen", ("toewijzingnummer", "wet", "datum", "besluit", "medewerker_id"),
             ("nieuw_volume", "nieuwe_einddatum", "notitie", "nieuwe_productcode"),
             free_text=("notitie",)),
    FileSpec("begroting", ("jaar", "post", "bedrag"),
             ("wet", "productcategorieen", "leveringsvorm", "prognose", "subtotaal"),
             free_text=("post",)),
    FileSpec("kostenkaart", ("item", "eenheid", "prijs", "financier"), ("jaar", "bron"),
             free_text=("item", "eenheid", "bron")),
    FileSpec("interventies", ("huishouden_id", "financier", "omschrijving"),
             ("persoon_id", "kostenkaart_item", "aantal", "bedrag", "periode_begin",
              "periode_eind"), free_text=("omschrijving", "kostenkaart_item")),
    FileSpec("inwoners", ("jaar", "leeftijdsgroep", "aantal")),
    FileSpec("prijsindex", ("jaar", "wet", "percentage")),
)

FILES_BY_NAME = {spec.name: spec for spec in FILES}
