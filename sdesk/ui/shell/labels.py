"""Labels the services define, looked up when first used: importing the services at
start-up would load SQLAlchemy before the window shows. Plain text formatting is
`sdesk.services.platform.text`."""

from __future__ import annotations


def payer_name(payer: str) -> str:
    from sdesk.services.household import payer_label

    return payer_label(payer)


def status_name(status: str) -> str:
    from sdesk.services.household import STATUS_LABELS

    return STATUS_LABELS.get(status, status)




def flag_name(flag: str) -> str:
    from sdesk.services.household import FLAG_LABELS

    return FLAG_LABELS.get(flag, flag)
