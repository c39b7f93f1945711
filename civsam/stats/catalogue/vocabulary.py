"""The fixed vocabulary of the catalogue: the publisher, licences and the controlled lists used.

Pure: constants only. The IRIs are the ones DCAT-AP-SE 3.0.1 lists as its choices (Digg, the
specification's bundle at docs.dataportal.se/dcat/3.0.1/), so dataportal.se recognises them.
"""

from __future__ import annotations

# Region Örebro län as dataportal.se names it (organisation number 232100-0164).
PUBLISHER = "http://dataportal.se/organisation/SE2321000164"
PUBLISHER_NAME = "Region Örebro län"
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/RegionalAuthority"
PUBLISHER_HOMEPAGE = "https://www.regionorebrolan.se/"
# The Region's general contact details (regionorebrolan.se, "Kontakta oss").
CONTACT_NAME = "Region Örebro län, utvecklingsledare för civilsamhälle och social ekonomi"
CONTACT_EMAIL = "regionorebrolan@regionorebrolan.se"
CONTACT_TELEPHONE = "+46196021000"
CONTACT_STREET = "Box 1613"
CONTACT_POSTAL_CODE = "701 16"
CONTACT_LOCALITY = "Örebro"
CONTACT_COUNTRY = "Sverige"

# Licences exactly as DCAT-AP-SE lists them (http, trailing slash). ADR 0126 says which applies.
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
CC_BY_4 = "http://creativecommons.org/licenses/by/4.0/"
LICENCE_NAMES = {CC0: "CC0 1.0", CC_BY_4: "CC BY 4.0"}

THEME_TAXONOMY = "http://publications.europa.eu/resource/authority/data-theme"
THEME = THEME_TAXONOMY + "/"  # + SOCI (population and society), GOVE, REGI, ECON, EDUC
LANGUAGE_SV = "http://publications.europa.eu/resource/authority/language/SWE"
LANGUAGE_EN = "http://publications.europa.eu/resource/authority/language/ENG"
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"  # + DAILY, UPDATE_CONT
ACCESS_PUBLIC = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
AVAILABILITY_STABLE = "http://publications.europa.eu/resource/authority/planned-availability/STABLE"
# The area the data cover: Örebro län as NUTS 3 region SE124, and Sweden in Geonames.
SPATIAL = ("http://data.europa.eu/nuts/code/SE124", "http://sws.geonames.org/2661886")
IANA_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"

CSV = "text/csv"
JSON = "application/json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ICALENDAR = "text/calendar"

# Standards a distribution follows.
RFC_5545 = "https://www.rfc-editor.org/rfc/rfc5545"
THREESIXTY_GIVING = "https://standard.threesixtygiving.org/"
