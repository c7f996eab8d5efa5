from django.db import models


class Tier(models.IntegerChoices):
    """The dissemination tiers of the unit's guidelines, lowest to highest.

    Only portal.access.policy compares them.
    """

    PUBLIC = 0, "Public"
    REGISTERED = 1, "Registered users"
    RESTRICTED = 2, "Restricted (verified officials)"
    CONFIDENTIAL = 3, "Confidential (unit staff and focal points)"


RECORD_TIER_HELP = (
    "Who may know this item exists (title, abstract, metadata). Public: anyone. Registered: any signed-in user. "
    "Restricted: verified officials of the countries below. Confidential: unit staff and focal points of those "
    "countries."
)
FILE_TIER_HELP = (
    "Who may open its files and full text. Never lower than the record tier: a lower value is raised to it."
)
COUNTRIES_HELP = (
    "For restricted and confidential items: the countries whose officials and focal points it is for. "
    "Leave empty for all participating countries."
)
EMBARGO_HELP = "Until this date and time the files are confidential, whatever the file tier says."
