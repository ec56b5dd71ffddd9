"""Human names for registration enums and countries, in the reader's language."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from flask_babel import lazy_gettext as _l

from webapp.core.collation import sorted_names
from webapp.core.timeutil import zone_country
from webapp.registration.models import OrganisationType, RegistrationStatus

ORGANISATION_TYPE_LABELS = {
    OrganisationType.GOVERNMENT: _l("Government"),
    OrganisationType.PARLIAMENT: _l("Parliament"),
    OrganisationType.PARTY: _l("Political party"),
    OrganisationType.HEALTH: _l("Hospital or health service"),
    OrganisationType.NGO: _l("NGO or association"),
    OrganisationType.UNIVERSITY: _l("University or student"),
    OrganisationType.COMPANY: _l("Company"),
    OrganisationType.MEDIA: _l("Media"),
    OrganisationType.OTHER: _l("Other"),
}

STATUS_LABELS = {
    RegistrationStatus.CONFIRMED: _l("Confirmed"),
    RegistrationStatus.PENDING: _l("Waiting for approval"),
    RegistrationStatus.WAITLISTED: _l("On the waiting list"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
    RegistrationStatus.REJECTED: _l("Not accepted"),
}

#: Babel territories that are not ISO 3166-1 countries (regions, unions, private-use codes).
_NOT_COUNTRIES = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN",
                            "XA", "XB", "XK", "ZZ"})


@lru_cache(maxsize=8)
def _country_names(language: str) -> tuple[tuple[str, str], ...]:
    locale = Locale.parse(language if language != "zh_Hans" else "zh_Hans_CN")
    names = {code: name for code, name in locale.territories.items()
             if len(code) == 2 and code.isalpha() and code.isupper() and code not in _NOT_COUNTRIES}
    return tuple(sorted_names(names.items(), language))


def country_choices(language: str) -> list[tuple[str, str]]:
    """ISO 3166-1 alpha-2 codes with names in `language`, sorted as its readers expect
    (`webapp.core.collation`: accents among their letters, Chinese by pinyin)."""
    return list(_country_names(language))


def meeting_countries(zones) -> tuple[str, ...]:
    """The countries of a meeting's time zones (its own and its partners'), in zone order:
    the tz database's country of each zone (`America/Lima` → PE). Zones of no country (UTC)
    add none. Organisations have no country in Puente, so the zones are all there is."""
    known = country_codes()
    return tuple(dict.fromkeys(code for code in map(zone_country, zones) if code in known))


def country_codes() -> frozenset[str]:
    """Every country code the form accepts."""
    return frozenset(code for code, _name in _country_names("en"))


@lru_cache(maxsize=8)
def _names_by_code(language: str) -> dict[str, str]:
    return dict(_country_names(language))


def country_names(language: str) -> dict[str, str]:
    """Every country code with its name in `language` (for pages that name countries in the
    browser, such as the moderator console). A copy: callers may not change the cache."""
    return dict(_names_by_code(language))


def country_name(code: str, language: str) -> str:
    """The country's name in `language`; an unknown code stays as it is."""
    return _names_by_code(language).get(code, code)
