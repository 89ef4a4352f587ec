#!/usr/bin/python3
"""Derive sitrep's place knowledge base (data/kb/places/*.tsv).

Reads the read-only gazetteer in <shared>/data/geo/ (see its README.md) and
writes the project's own place tables in the project's own format:

    id  level  name  country  parent  lat  lon  isaf  population  aliases

    data/kb/places/afghanistan.tsv  country AF, 34 provinces, 398 districts,
                                    extra Afghan places, AF populated places
    data/kb/places/theatres.tsv     PK (incl. former FATA agencies), IQ, SY,
                                    YE, SO, LY, ML, NG: country, admin1, places
    data/kb/places/world.tsv        all other countries, their first-level
                                    subdivisions and the large cities

Nothing is copied row for row: every row is rebuilt from facts (names,
codes, coordinates, spellings) with our own ids, parents and alias rules.
Standard library only, deterministic (sorted) output.

Usage:
    /usr/bin/python3 tools/derive_kb.py --shared ../shared [--out data/kb/places]
"""

import argparse
import csv
import difflib
import os
import re
import sys
import unicodedata
from collections import defaultdict

COLUMNS = ["id", "level", "name", "country", "parent", "lat", "lon",
           "isaf", "population", "aliases"]
LEVEL_RANK = {"country": 0, "admin1": 1, "admin2": 2, "place": 3}

THEATRE_COUNTRIES = ["PK", "IQ", "SY", "YE", "SO", "LY", "ML", "NG"]

# --------------------------------------------------------------------------
# Attribution / licence header lines
# --------------------------------------------------------------------------
SRC_GEOBOUNDARIES = (
    "# source: Administrative boundaries courtesy of geoBoundaries.org "
    "(Runfola et al. 2020, PLoS ONE 15(4): e0231866); district boundaries: "
    "AIMS / Esri Disaster Response Program. (Afghan province/district ids, "
    "names and interior points, via the shared gazetteer data/geo)")
SRC_GEONAMES = ("# source: Contains data from GeoNames (geonames.org), "
                "CC BY 4.0. (populated places, coordinates, populations, "
                "name variants; Afghan district codes)")
SRC_ISO = ("# source: ISO 3166 data from the Debian iso-codes project, "
           "LGPL-2.1+. (country and subdivision codes and names)")
SRC_HAND = ("# source: ISAF labels, press spelling variants, English names of "
            "subdivisions and hand-added rows compiled by the sitrep authors "
            "from public reporting (see tools/derive_kb.py)")
LIC_LINES = [
    "# licence: CC BY 4.0 for data derived from geoBoundaries and GeoNames "
    "(keep the attribution lines above)",
    "# licence: LGPL-2.1-or-later for ISO 3166 codes/names from iso-codes",
    "# licence: CC BY 4.0, sitrep project, for the hand-written parts",
]

# --------------------------------------------------------------------------
# Hand-written tables (facts compiled by the sitrep authors)
# --------------------------------------------------------------------------

# ISAF data-set province labels, keyed by ISO 3166-2 code.
ISAF_LABELS = {
    "AF-BDS": "badakhshan", "AF-BDG": "badghis", "AF-BGL": "baghlan",
    "AF-BAL": "balkh", "AF-BAM": "bamyan", "AF-DAY": "day_kundi",
    "AF-FRA": "farah", "AF-FYB": "faryab", "AF-GHA": "ghazni",
    "AF-GHO": "ghor", "AF-HEL": "helmand", "AF-HER": "herat",
    "AF-JOW": "jowzjan", "AF-KAB": "kabul", "AF-KAN": "kandahar",
    "AF-KAP": "kapisa", "AF-KHO": "khost", "AF-KNR": "kunar",
    "AF-KDZ": "kunduz", "AF-LAG": "laghman", "AF-LOG": "logar",
    "AF-NAN": "nangarhar", "AF-NIM": "nimroz", "AF-NUR": "nuristan",
    "AF-PIA": "paktya", "AF-PKA": "paktika", "AF-PAN": "panjshir",
    "AF-PAR": "parwan", "AF-SAM": "samangan", "AF-SAR": "sar-e pul",  # the data set labels this province "sar-e pul" (2 of 2 dev rows), not the enum's sar_e_pul
    "AF-TAK": "takhar", "AF-URU": "uruzgan", "AF-WAR": "wardak",
    "AF-ZAB": "zabul",
}

# Extra press spellings for Afghan provinces (ISO code -> variants).
AF_PROVINCE_EXTRA = {
    "AF-WAR": ["Maidan-Wardak", "Wardak"],
    "AF-DAY": ["Daikondi", "Day Kundi"],
    "AF-URU": ["Oruzgan", "Uruzgan"],
    "AF-PIA": ["Paktia", "Paktya"],
    "AF-SAR": ["Sar-e Pol", "Sari Pul", "Sar-i-Pul"],
    "AF-HEL": ["Helmand"],
    "AF-NIM": ["Nimruz"],
    "AF-KNR": ["Konar"],
}

# Extra press spellings for Afghan districts (AIMS DISTID -> variants) that
# the shared variant lists lack or that the brief asks for explicitly.
AF_DISTRICT_EXTRA = {
    2308: ["Nad-e Ali", "Nad Ali", "Nadi Ali", "Nad-e-Ali", "Nad-i-Ali"],
    2408: ["Panjwa'i", "Panjwai", "Panjway", "Panjwayi"],
    2416: ["Zhari", "Zharay", "Zharey"],
    2404: ["Arghandab"],
    2503: ["Arghandab"],
    2309: ["Nawah-ye Barakzai", "Nawa", "Nawa-i-Barakzai", "Nawa Barakzai"],
    2312: ["Sangin", "Sangeen"],
    2304: ["Musa Qal'ah", "Musa Qala", "Musa Qaleh", "Musa Qalah"],
    2306: ["Now Zad", "Nawzad", "Nowzad", "Naw Zad"],
    2311: ["Garmsir", "Garmser"],
    2313: ["Khan Neshin", "Khanashin", "Khan Nishin", "Khanneshin"],
    1404: ["Chahar Darah", "Char Dara", "Chahar Dara", "Chardara",
           "Char Darah"],
    501: ["Pul-e Alam", "Pul-e 'Alam", "Puli Alam", "Pul-i-Alam"],
    704: ["Dzadran", "Zadran", "Wazi Zadran"],
    3209: ["Sabari", "Sabri"],
    2411: ["Spin Boldak", "Spin Buldak"],
    2403: ["Shah Wali Kot", "Shahwali Kot", "Shah Wali Kowt"],
    2407: ["Maiwand", "Maywand"],
    2405: ["Khakrez", "Khakriz", "Khak Rez"],
    1402: ["Imam Sahib", "Imam Saheb"],
    1407: ["Dasht-e Archi", "Dasht-i-Archi", "Dashte Archi"],
    2601: ["Tarin Kot", "Tarin Kowt", "Tirin Kot", "Tarinkot"],
    2302: ["Gereshk", "Nahr-e Saraj", "Nahri Sarraj"],
    2901: ["Sharana"],
    2902: ["Khair Kot", "Khairkot", "Khayr Kot"],
    1614: ["Tashkurghan", "Tashqurghan"],
    106: ["Estalef"],
    3102: ["Sancharak", "Sang Charak"],
    805: ["Khogyani", "Khugiani", "Khogiani"],
    1906: ["Bala Murghab", "Bala Morghab", "Murghab"],
    2105: ["Bala Buluk", "Bala Baluk"],
    1010: ["Pech", "Pech Valley"],
}

# Extra Afghan places / districts outside the 398-district set that are not
# in the shared afg_places_extra.tsv. Coordinates are left empty (resolve to
# the parent). (id, level, name, parent, aliases)
AF_HAND_EXTRA = [
    ("AF-X-tora-bora", "place", "Tora Bora", "AF-D807",
     ["Tora Bora mountains", "Tora Bura"]),
    ("AF-X-korengal", "place", "Korengal Valley", "AF-D1010",
     ["Korengal", "Korangal", "Korangal Valley"]),
    ("AF-X-shah-i-kot", "place", "Shah-i-Kot Valley", "AF-D702",
     ["Shah-i-Kot", "Shahi Kot", "Shahikot", "Shah-e Kot"]),
    ("AF-X-tangi-valley", "place", "Tangi Valley", "AF-D407",
     []),
    ("AF-X-kandahar-airfield", "place", "Kandahar Airfield", "AF-D2402",
     ["Kandahar Air Field", "KAF"]),
    ("AF-X-bagram-airfield", "place", "Bagram Airfield", "AF-D308",
     ["Bagram Air Field", "Bagram Air Base", "BAF"]),
    ("AF-X-camp-bastion", "place", "Camp Bastion", "AF-HEL",
     ["Camp Shorabak"]),
]

# Ids for the three rows of the shared afg_places_extra.tsv.
AF_EXTRA_IDS = {"Marjah": ("AF-X-marjah", "place"),
                "Dand": ("AF-X-dand", "admin2"),
                "Takhta Pul": ("AF-X-takhta-pul", "admin2")}

# Former FATA (merged into Khyber Pakhtunkhwa in 2018). PK-TA was the ISO
# 3166-2 code of FATA until then. Interior points are approximate, placed by
# hand by the sitrep authors inside each agency from public maps.
PK_FATA = [
    ("PK-TA", "admin1", "Federally Administered Tribal Areas", "PK",
     "33.00", "70.00",
     ["FATA", "Tribal Areas", "Pakistani Tribal Areas",
      "Federally Administered Tribal Area"]),
    ("PK-X-north-waziristan", "admin2", "North Waziristan", "PK-TA",
     "32.98", "69.95",
     ["North Waziristan Agency", "N. Waziristan", "Shimali Waziristan",
      "North Wazirstan"]),
    ("PK-X-south-waziristan", "admin2", "South Waziristan", "PK-TA",
     "32.35", "69.85",
     ["South Waziristan Agency", "S. Waziristan", "Janubi Waziristan",
      "South Wazirstan"]),
    ("PK-X-khyber", "admin2", "Khyber Agency", "PK-TA", "34.05", "71.25",
     ["Khyber", "Khyber tribal region", "Khyber Tribal Agency",
      "Khaibar Agency"]),
    ("PK-X-kurram", "admin2", "Kurram", "PK-TA", "33.70", "70.25",
     ["Kurram Agency", "Kurram Valley", "Kuram"]),
    ("PK-X-bajaur", "admin2", "Bajaur", "PK-TA", "34.78", "71.50",
     ["Bajaur Agency", "Bajour", "Bajaur Tribal Agency"]),
    ("PK-X-orakzai", "admin2", "Orakzai", "PK-TA", "33.68", "71.00",
     ["Orakzai Agency", "Orakzai tribal region"]),
    ("PK-X-mohmand", "admin2", "Mohmand", "PK-TA", "34.40", "71.35",
     ["Mohmand Agency", "Mohmand tribal region"]),
]
# Places in the former tribal agencies often named in strike reporting.
# No coordinates: resolve to the agency.
PK_HAND_PLACES = [
    ("PK-X-mir-ali", "Mir Ali", "PK-X-north-waziristan", ["Mirali"]),
    ("PK-X-datta-khel", "Datta Khel", "PK-X-north-waziristan",
     ["Data Khel", "Dattakhel"]),
    ("PK-X-razmak", "Razmak", "PK-X-north-waziristan", ["Razmaq"]),
    ("PK-X-shawal", "Shawal", "PK-X-north-waziristan",
     ["Shawal Valley", "Shawal valley"]),
    ("PK-X-spin-wam", "Spin Wam", "PK-X-north-waziristan", ["Spinwam"]),
    ("PK-X-ghulam-khan", "Ghulam Khan", "PK-X-north-waziristan", []),
    ("PK-X-makeen", "Makeen", "PK-X-south-waziristan", ["Makin"]),
    ("PK-X-ladha", "Ladha", "PK-X-south-waziristan", ["Ladah"]),
    ("PK-X-sararogha", "Sararogha", "PK-X-south-waziristan",
     ["Sara Rogha"]),
    ("PK-X-angoor-adda", "Angoor Adda", "PK-X-south-waziristan",
     ["Angur Adda"]),
    ("PK-X-khar", "Khar", "PK-X-bajaur", []),
    ("PK-X-tirah", "Tirah Valley", "PK-X-khyber", ["Tirah"]),
    ("PK-X-bara", "Bara", "PK-X-khyber", ["Bara tehsil"]),
]
# Towns outside the GeoNames cut that Sahel, Kenyan and Malian reporting
# names often: (id, name, country, parent, lat, lon, aliases). Approximate
# coordinates of the town centre, placed by hand.
HAND_PLACES = [
    ("BF-X-djibo", "Djibo", "BF", "BF-12", "14.10", "-1.63", []),
    ("BF-X-dori", "Dori", "BF", "BF-12", "14.03", "-0.03", []),
    ("BF-X-arbinda", "Arbinda", "BF", "BF-12", "14.23", "-0.87", []),
    ("BF-X-gorom-gorom", "Gorom-Gorom", "BF", "BF-12", "14.44", "-0.24",
     ["Gorom Gorom"]),
    ("BF-X-sebba", "Sebba", "BF", "BF-12", "13.44", "0.53", []),
    ("BF-X-barsalogho", "Barsalogho", "BF", "BF-05", "13.42", "-1.06", []),
    ("BF-X-titao", "Titao", "BF", "BF-10", "13.77", "-2.07", []),
    ("BF-X-fada-ngourma", "Fada N'Gourma", "BF", "BF-08", "12.06", "0.36",
     ["Fada Ngourma", "Fada N'gourma"]),
    ("BF-X-diapaga", "Diapaga", "BF", "BF-08", "12.07", "1.79", []),
    ("NE-X-ayorou", "Ayorou", "NE", "NE-6", "14.73", "0.92", []),
    ("NE-X-banibangou", "Banibangou", "NE", "NE-6", "15.04", "2.70", []),
    ("NE-X-ouallam", "Ouallam", "NE", "NE-6", "14.32", "2.09", []),
    ("NE-X-abala", "Abala", "NE", "NE-6", "14.93", "3.43", []),
    ("NE-X-bosso", "Bosso", "NE", "NE-2", "13.70", "13.31", []),
    ("NE-X-maine-soroa", "Maine-Soroa", "NE", "NE-2", "13.21", "12.02",
     ["Maine Soroa"]),
    ("KE-X-mpeketoni", "Mpeketoni", "KE", "KE-21", "-2.39", "40.70", []),
    ("KE-X-kiunga", "Kiunga", "KE", "KE-21", "-1.75", "41.49", []),
    ("KE-X-dadaab", "Dadaab", "KE", "KE-07", "0.06", "40.31", []),
    ("KE-X-liboi", "Liboi", "KE", "KE-07", "0.35", "40.87", []),
    ("KE-X-elwak", "Elwak", "KE", "KE-24", "2.80", "40.93", ["El Wak"]),
    ("ML-X-boni", "Boni", "ML", "ML-5", "15.05", "-1.97", []),
]
# Aliases that GeoNames gives far-away places but that are words or names in
# the theatres' own reporting: "Amani" (Swahili 'peace', Kenyan operation
# names) is not Amman, "Boni" (the forest in Lamu, the town in Mopti) is not
# Bonn.
ALIAS_DROP = {"amani", "boni"}
# GeoNames places (by geonameid) that lie in a former tribal agency.
PK_PLACE_PARENT = {
    "1170367": "PK-X-north-waziristan",   # Miran Shah
    "1162634": "PK-X-south-waziristan",   # Wana
    "1168394": "PK-X-kurram",             # Parachinar
    "1184626": "PK-X-kurram",             # Alizai
    "1172208": "PK-X-khyber",             # Landi Kotal
}
# Extra aliases for GeoNames places (geonameid -> aliases).
PLACE_EXTRA_ALIASES = {
    "1170367": ["Miramshah", "Miram Shah", "Miranshah"],
    "1141540": ["Gereshk", "Girishk"],
    "99454": ["Fallujah", "Falluja"],
    "172955": ["Raqqa", "Raqqah"],
    "173811": ["Hasakah", "Hassakeh", "Hasakah city"],
    # English press spellings of towns in the coalition's strike reports and
    # wire copy that GeoNames lacks.
    "390188": ["Hawija", "Hawijah", "Huwayjah"],
    "173377": ["Qamishli", "Qamishly"],
    "172837": ["Shaddadi", "Al Shaddadi", "Shaddadah"],
    "92138": ["Qaim", "Al Qaim"],
}

# English press names for first-level subdivisions of the theatre countries
# where they differ from the ISO name: code -> (name, aliases).
THEATRE_ADMIN1 = {
    # Iraq
    "IQ-AN": ("Anbar", ["Al Anbar", "al-Anbar"]),
    "IQ-AR": ("Erbil", ["Arbil", "Irbil", "Hewler", "Hawler"]),
    "IQ-BA": ("Basra", ["Basrah", "Al Basrah"]),
    "IQ-BB": ("Babil", ["Babylon", "Babel"]),
    "IQ-BG": ("Baghdad", []),
    "IQ-DA": ("Dohuk", ["Duhok", "Dahuk", "Dihok"]),
    "IQ-DI": ("Diyala", ["Diyalah"]),
    "IQ-DQ": ("Dhi Qar", ["Thi Qar", "Dhi-Qar"]),
    "IQ-KA": ("Karbala", ["Kerbala", "Karbala'"]),
    "IQ-KI": ("Kirkuk", ["Kerkuk", "Tamim", "At-Ta'mim"]),
    "IQ-MA": ("Maysan", ["Missan", "Maisan"]),
    "IQ-MU": ("Muthanna", ["Al Muthanna", "al-Muthanna"]),
    "IQ-NA": ("Najaf", ["An Najaf", "al-Najaf"]),
    "IQ-NI": ("Nineveh", ["Ninawa", "Ninewa", "Niniveh", "Ninevah",
                          "Nineva"]),
    "IQ-QA": ("Qadisiyah", ["Al Qadisiyah", "Qadisiya", "Al-Qadisiyah"]),
    "IQ-SD": ("Salah ad Din", ["Salahuddin", "Salah al-Din", "Saladin",
                               "Salahaddin", "Salah al Din",
                               "Salah ad-Din"]),
    "IQ-SU": ("Sulaymaniyah", ["Sulaimaniyah", "Suleimaniyah",
                               "Sulaimani", "Slemani", "As Sulaymaniyah"]),
    "IQ-WA": ("Wasit", ["Wassit"]),
    # Syria
    "SY-DI": ("Damascus", ["Dimashq"]),
    "SY-DR": ("Daraa", ["Dar'a", "Deraa", "Dara'a", "Der'a"]),
    "SY-DY": ("Deir ez-Zor", ["Deir al-Zour", "Deir ez Zor", "Dayr az Zawr",
                              "Deir Ezzor", "Deir el-Zor", "Deir al-Zor",
                              "Deir Ez-Zor"]),
    "SY-HA": ("Hasakah", ["Al Hasakah", "Hasaka", "Hassakeh", "Al-Hasakah",
                          "Hassakah", "Al-Hasakeh"]),
    "SY-HI": ("Homs", ["Hims"]),
    "SY-HL": ("Aleppo", ["Halab"]),
    "SY-HM": ("Hama", ["Hamah"]),
    "SY-ID": ("Idlib", ["Idleb"]),
    "SY-LA": ("Latakia", ["Lattakia", "Al Ladhiqiyah", "Latakiya"]),
    "SY-QU": ("Quneitra", ["Al Qunaytirah", "Qunaitra", "Quneitira"]),
    "SY-RA": ("Raqqa", ["Ar Raqqah", "Raqqah", "Rakka", "al-Raqqa"]),
    "SY-RD": ("Rif Dimashq", ["Damascus Countryside", "Rural Damascus",
                              "Reef Dimashq", "Rif-Dimashq"]),
    "SY-SU": ("Suwayda", ["As Suwayda", "Sweida", "Suwaida", "As-Suwayda"]),
    "SY-TA": ("Tartus", ["Tartous", "Tartous"]),
    # Yemen
    "YE-AB": ("Abyan", []),
    "YE-AD": ("Aden", ["'Adan", "Adan"]),
    "YE-AM": ("Amran", ["Omran", "'Amran"]),
    "YE-BA": ("Bayda", ["Al Bayda", "Al Baydha", "Baydha", "al-Bayda"]),
    "YE-DA": ("Dhale", ["Ad Dali", "Al Dhale", "Dhalea", "Al-Dhale'e",
                        "Dhale'e", "Ad Dali'"]),
    "YE-DH": ("Dhamar", []),
    "YE-HD": ("Hadramawt", ["Hadramout", "Hadhramaut", "Hadramaut",
                            "Hadhramawt"]),
    "YE-HJ": ("Hajjah", ["Hajja"]),
    "YE-HU": ("Hodeidah", ["Al Hudaydah", "Hudaydah", "Hudaida",
                           "Hodeida", "al-Hodeidah"]),
    "YE-IB": ("Ibb", []),
    "YE-JA": ("Al Jawf", ["Jawf", "al-Jawf", "Al Jauf"]),
    "YE-LA": ("Lahij", ["Lahej", "Lahj"]),
    "YE-MA": ("Marib", ["Ma'rib", "Mareb"]),
    "YE-MR": ("Al Mahrah", ["Mahrah", "Al Mahra", "Mahra"]),
    "YE-MW": ("Al Mahwit", ["Mahwit", "al-Mahwit"]),
    "YE-RA": ("Raymah", ["Rayma", "Raima"]),
    "YE-SA": ("Sanaa City", ["Amanat al Asimah", "Amanat Al Asimah",
                             "Sana'a City", "Amanat al-Asimah"]),
    "YE-SD": ("Saada", ["Sa'dah", "Sadah", "Sa'ada", "Saadah"]),
    "YE-SH": ("Shabwah", ["Shabwa"]),
    "YE-SN": ("Sanaa", ["Sana'a", "San'a"]),
    "YE-SU": ("Socotra", ["Soqatra", "Suqutra", "Arkhabil Suqutra",
                          "Soqotra"]),
    "YE-TA": ("Taiz", ["Ta'izz", "Taizz", "Ta'iz"]),
    # Somalia
    "SO-AW": ("Awdal", []),
    "SO-BK": ("Bakool", ["Bakol"]),
    "SO-BN": ("Banadir", ["Banaadir", "Benadir"]),
    "SO-BR": ("Bari", []),
    "SO-BY": ("Bay", []),
    "SO-GA": ("Galguduud", ["Galgadud", "Galgudud"]),
    "SO-GE": ("Gedo", []),
    "SO-HI": ("Hiran", ["Hiiraan", "Hiraan"]),
    "SO-JD": ("Middle Juba", ["Jubbada Dhexe", "Middle Jubba"]),
    "SO-JH": ("Lower Juba", ["Jubbada Hoose", "Lower Jubba"]),
    "SO-MU": ("Mudug", []),
    "SO-NU": ("Nugal", ["Nugaal"]),
    "SO-SA": ("Sanaag", []),
    "SO-SD": ("Middle Shabelle", ["Shabeellaha Dhexe", "Middle Shabeelle",
                                  "Middle Shabele"]),
    "SO-SH": ("Lower Shabelle", ["Shabeellaha Hoose", "Lower Shabeelle",
                                 "Lower Shabele"]),
    "SO-SO": ("Sool", []),
    "SO-TO": ("Togdheer", []),
    "SO-WO": ("Woqooyi Galbeed", ["Maroodi Jeex"]),
    # Libya
    "LY-BA": ("Benghazi", ["Banghazi"]),
    "LY-BU": ("Butnan", ["Al Butnan"]),
    "LY-DR": ("Derna", ["Darnah"]),
    "LY-GT": ("Ghat", []),
    "LY-JA": ("Jabal al Akhdar", ["Al Jabal al Akhdar", "Green Mountain",
                                  "Jebel Akhdar"]),
    "LY-JG": ("Jabal al Gharbi", ["Al Jabal al Gharbi", "Western Mountain",
                                  "Nafusa Mountains"]),
    "LY-JI": ("Jafara", ["Al Jafarah", "Jifara", "Jfara"]),
    "LY-JU": ("Jufra", ["Al Jufrah"]),
    "LY-KF": ("Kufra", ["Al Kufrah"]),
    "LY-MB": ("Murqub", ["Al Marqab", "Murgub", "Al Murqub"]),
    "LY-MI": ("Misrata", ["Misurata", "Misratah"]),
    "LY-MJ": ("Marj", ["Al Marj"]),
    "LY-MQ": ("Murzuq", ["Murzuk"]),
    "LY-NL": ("Nalut", []),
    "LY-NQ": ("Nuqat al Khams", ["An Nuqat al Khams"]),
    "LY-SB": ("Sabha", ["Sebha"]),
    "LY-SR": ("Sirte", ["Surt", "Sirt"]),
    "LY-TB": ("Tripoli", ["Tarabulus"]),
    "LY-WA": ("Wahat", ["Al Wahat"]),
    "LY-WD": ("Wadi al Hayat", ["Wadi al-Hayat"]),
    "LY-WS": ("Wadi al Shatii", ["Wadi ash Shati'", "Wadi al-Shati"]),
    "LY-ZA": ("Zawiya", ["Az Zawiyah", "Zawiyah", "Zawia"]),
    # Mali
    "ML-6": ("Timbuktu", ["Tombouctou", "Tombuctu"]),
    "ML-4": ("Segou", ["Ségou"]),
    "ML-9": ("Menaka", ["Ménaka"]),
    "ML-10": ("Taoudenit", ["Taoudénit", "Taoudeni"]),
    # Nigeria
    "NG-FC": ("Federal Capital Territory", ["FCT", "Abuja FCT",
                                            "Abuja Federal Capital Territory"]),
    # Pakistan
    "PK-BA": ("Balochistan", ["Baluchistan", "Balochistan"]),
    "PK-GB": ("Gilgit-Baltistan", ["Gilgit Baltistan", "Northern Areas"]),
    "PK-IS": ("Islamabad Capital Territory", ["Islamabad"]),
    "PK-JK": ("Azad Jammu and Kashmir", ["Azad Kashmir", "AJK",
                                         "Pakistan-administered Kashmir"]),
    "PK-KP": ("Khyber Pakhtunkhwa", ["KPK", "Khyber-Pakhtunkhwa",
                                     "North-West Frontier Province",
                                     "North West Frontier Province", "NWFP",
                                     "Pakhtunkhwa"]),
    "PK-PB": ("Punjab", []),
    "PK-SD": ("Sindh", ["Sind"]),
}

# GeoNames admin1 names that do not match the ISO name automatically:
# (country, GeoNames admin1 name) -> ISO 3166-2 code. Theatre countries
# are listed in full in THEATRE_ADMIN1 and matched through its aliases too.
ADMIN1_OVERRIDES = {
    ("IQ", "Nineveh"): "IQ-NI", ("IQ", "Erbil"): "IQ-AR",
    ("IQ", "Duhok"): "IQ-DA", ("IQ", "Sulaymaniyah"): "IQ-SU",
    ("SY", "Aleppo"): "SY-HL", ("SY", "Homs"): "SY-HI",
    ("SY", "Hama"): "SY-HM", ("SY", "Latakia"): "SY-LA",
    ("SY", "Damascus Governorate"): "SY-DI", ("SY", "Rif-dimashq"): "SY-RD",
    ("SY", "Deir ez-Zor"): "SY-DY", ("SY", "Tartus"): "SY-TA",
    ("YE", "Muhafazat Hadramaout"): "YE-HD", ("YE", "Aden"): "YE-AD",
    ("YE", "Omran"): "YE-AM", ("YE", "Sanaa Governorate"): "YE-SN",
    ("YE", "Amanat Alasimah"): "YE-SA", ("YE", "Soqatra"): "YE-SU",
    ("SO", "Middle Juba"): "SO-JD", ("SO", "Lower Juba"): "SO-JH",
    ("SO", "Middle Shabele"): "SO-SD", ("SO", "Lower Shabeelle"): "SO-SH",
    ("LY", "Tripoli"): "LY-TB", ("NG", "FCT"): "NG-FC",
    ("PK", "Azad Kashmir"): "PK-JK",
    # Middle East / North Africa (English GeoNames names vs ISO names)
    ("AE", "Abu Dhabi"): "AE-AZ", ("AE", "Dubai"): "AE-DU",
    ("AE", "Sharjah"): "AE-SH",
    ("BH", "Manama"): "BH-13", ("BH", "Southern Governorate"): "BH-14",
    ("DZ", "Algiers"): "DZ-16",
    ("EG", "Dakahlia"): "EG-DK", ("EG", "Red Sea"): "EG-BA",
    ("EG", "Beheira"): "EG-BH", ("EG", "Faiyum"): "EG-FYM",
    ("EG", "Alexandria"): "EG-ALX", ("EG", "Giza"): "EG-GZ",
    ("EG", "Monufia"): "EG-MNF", ("EG", "Cairo"): "EG-C",
    ("EG", "Suez"): "EG-SUZ", ("EG", "Beni Suweif"): "EG-BNS",
    ("EG", "Port Said"): "EG-PTS", ("EG", "Damietta"): "EG-DT",
    ("EG", "Kafr el-Sheikh"): "EG-KFS", ("EG", "Qena"): "EG-KN",
    ("EG", "Sohag"): "EG-SHG", ("EG", "North Sinai"): "EG-SIN",
    ("EG", "Luxor"): "EG-LX",
    ("IL", "Southern District"): "IL-D", ("IL", "Central District"): "IL-M",
    ("IL", "Haifa"): "IL-HA", ("IL", "Tel Aviv"): "IL-TA",
    ("IL", "Jerusalem"): "IL-JM",
    ("IR", "West Azerbaijan"): "IR-04", ("IR", "East Azerbaijan"): "IR-03",
    ("IR", "Kurdistan Province"): "IR-12",
    ("IR", "South Khorasan Province"): "IR-29",
    ("IR", "Razavi Khorasan"): "IR-09", ("IR", "North Khorasan"): "IR-28",
    ("JO", "Amman"): "JO-AM",
    ("LB", "Beirut"): "LB-BA", ("LB", "South Governorate"): "LB-JA",
    ("LB", "Nabatieh"): "LB-NA", ("LB", "North Lebanon"): "LB-AS",
    ("OM", "Al Batinah South"): "OM-BJ", ("OM", "Al Batinah North"): "OM-BS",
    ("OM", "Muscat"): "OM-MA", ("OM", "Dhofar"): "OM-ZU",
    ("OM", "Ad Dhahirah"): "OM-ZA",
    ("QA", "Baladiyat ad Dawhah"): "QA-DA",
    ("QA", "Baladiyat ar Rayyan"): "QA-RA",
    ("SA", "Medina Region"): "SA-03", ("SA", "Eastern Province"): "SA-04",
    ("SA", "Mecca Region"): "SA-02",
    ("SA", "Northern Borders Region"): "SA-08",
    ("SD", "Al Jazirah"): "SD-GZ", ("SD", "Al Qaḑārif"): "SD-GD",
    ("RU", "Chechnya"): "RU-CE", ("RU", "Moscow"): "RU-MOW",
    ("RU", "Moscow Oblast"): "RU-MOS", ("RU", "St.-Petersburg"): "RU-SPE",
    ("RU", "North Ossetia–Alania"): "RU-SE",
    ("RU", "Kabardino-Balkariya Republic"): "RU-KB",
    ("RU", "Altai Krai"): "RU-ALT",
}
# GeoNames admin1 names that the fuzzy matcher would pair with the wrong
# ISO subdivision: never match them.
ADMIN1_NO_MATCH = {("MG", "Atsinanana")}

# Country display names and press aliases (alpha-2 -> (name or None, aliases)).
COUNTRY_EXTRA = {
    "AF": (None, ["Afghan territory"]),
    "US": ("United States", ["United States of America", "America", "USA"]),
    "GB": ("United Kingdom", ["Britain", "Great Britain"]),
    "RU": ("Russia", ["Russian Federation"]),
    "BN": ("Brunei", ["Brunei Darussalam"]),
    "TR": ("Turkey", ["Türkiye", "Turkiye"]),
    "CZ": ("Czech Republic", ["Czechia"]),
    "CD": ("Democratic Republic of the Congo",
           ["DR Congo", "DRC", "Congo-Kinshasa", "Democratic Republic of Congo"]),
    "CG": ("Republic of the Congo", ["Congo-Brazzaville", "Congo Republic"]),
    "CI": ("Ivory Coast", ["Côte d'Ivoire", "Cote d'Ivoire"]),
    "KP": ("North Korea", ["DPRK"]),
    "KR": ("South Korea", ["Republic of Korea"]),
    "IR": ("Iran", ["Islamic Republic of Iran"]),
    "SY": ("Syria", ["Syrian Arab Republic"]),
    "VN": ("Vietnam", ["Viet Nam"]),
    "LA": ("Laos", []),
    "PS": ("Palestine", ["State of Palestine", "Palestinian territories",
                         "Palestinian Territories"]),
    "SH": ("Saint Helena", []),
    "VG": ("British Virgin Islands", []),
    "VI": ("U.S. Virgin Islands", ["US Virgin Islands"]),
    "BO": ("Bolivia", []),
    "VE": ("Venezuela", []),
    "TZ": ("Tanzania", []),
    "MD": ("Moldova", []),
    "FM": ("Micronesia", []),
    "TW": ("Taiwan", []),
    "VA": ("Vatican City", ["Holy See", "Vatican"]),
    "MM": ("Myanmar", ["Burma"]),
    "SZ": ("Eswatini", ["Swaziland"]),
    "CV": ("Cape Verde", ["Cabo Verde"]),
    "TL": ("East Timor", ["Timor-Leste"]),
    "MK": ("North Macedonia", ["Macedonia"]),
    "AE": (None, ["UAE", "Emirates"]),
    "SA": (None, ["KSA"]),
    "PK": (None, []),
    "SO": (None, ["Somali Republic"]),
    "YE": (None, []),
    "IQ": (None, []),
    "LY": (None, []),
    "ML": (None, []),
    "NG": (None, []),
    "IL": (None, []),
    "PH": (None, []),
}

# Ordinary English words (lower-case) that must not be place aliases: found
# by checking the generated aliases against an English word list.
STOPWORDS = set("""
a an and the of in on at to for from by with or as is it be are was
said bar bat bay ban bam bag bad ball band bank barn base bass bell
best big bin black blue boat bold bone book boom boss bow box boy
brave bright bull bus cab cal camp can cape car card care cat cave
central chance chart city coast cold con cook cool corn court cove
crown cure dale dam dar date day deal dean den dick die dig din dip
dock don door dot dove drum dun east eden end fair fall far farm fat
fear fine fir fish fort fox free gap gas gate gem gift gin gold golf
good grand green grove gun hall ham hat haven hay head heart hill
hole home hope horn host hot house hub hull ice inn iron isle jam jar
key kin king kit lake lamb land lane large last law lay lead lee leg
lid line lion lit lock log long lord lot love low mad main male mall
man mar mark mars mat may mean mill mine mint mob mod mole moon moor
mount mud nag nap net new nil nod noon north nose nut oak oil old
one orange page pal palm pan par park pass pat peace peak pen pet
pie pin pit plain plum pod pole pool port post pot pride pure rag
rain ram ran rat raw ray red rich ridge rim ring rock rod rose round
row rum run rush sad sag salt san sand saw sea seal sharp she shed
ship shore side sin sir sit sky son south spa spring star still sun
swan tab tag tan tap tar tea ten tin tip toe top tower town toy tub
union van vat war wall way well west wet white win wood yard yes
zen
mobile reading bath wells worth wing
ado angora apex archangel aye babel bale bane bani barium basic baste
bolder brass broach burka burs bust caller canton chafe chi chin
chinking cordon dab damask dandy deli delis dilly dis divas drug dual
eastern emirates fowling gala garb genes google grenade grins hag hang
harem hero hippo hosanna hula human hums humus ibis independence khan
kilo lag lama lash lemme lids lime limo lints logos lone magnesia
manger manning maritime mason megalopolis meshed midway minster mope
murk muse name newton nimbi nix northern ode okay oriental pastas pert
phoenix pun rest revel roan roles rosette rouse rugby sari saris
savanna seer senna sine ski soli solo sour souse southern spoken
sriracha stoke sumo sunning tall tango tape tars tell tempi terminus
thorn ting tiro torn tors tour trident tuba tunas tunes turn tyros
valence valley vermilion victor wan washer western
meres pets pueblo sol soul sues
""".split())


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        return [dict(zip(header, row)) for row in reader]


def fold(s):
    """Strip diacritics, lower-case, drop apostrophes, collapse the rest."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"['\u2018\u2019\u02bb\u02bc\u02bf\u02be`\u00b4]", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return s.strip()


PUNCT_OK = set(" -'.,()&/\u2018\u2019\u02bb\u02bc\u02bf\u02be`\u00b4")


def is_latin(s):
    for ch in s:
        if ch.isdigit() or ch in PUNCT_OK:
            continue
        if unicodedata.category(ch).startswith("M"):
            continue
        if not ch.isalpha():
            return False
        try:
            if not unicodedata.name(ch).startswith("LATIN"):
                return False
        except ValueError:
            return False
    return True


def ascii_name(s):
    s = s.replace("`", "'")
    # A leading 'ayn mark ("'Aliabad") is no part of the English spelling and
    # would show in every output row.
    return s.lstrip("'") or s


SUFFIX_RE = re.compile(r"\s+(province|district|provinces|districts)$",
                       re.IGNORECASE)


def clean_aliases(name, candidates, fold_dedupe=False, limit=None):
    """Filter alias candidates by the project rules; keep input order."""
    out = []
    seen = {name.casefold()}
    seen_fold = {fold(name)} if fold_dedupe else set()
    for a in candidates:
        a = " ".join(a.replace("\t", " ").replace("|", " ").split())
        if not a:
            continue
        m = SUFFIX_RE.search(a)
        if m:  # "Gereshk district" -> "Gereshk"
            a = a[:m.start()].strip()
        if not a or a.casefold() in seen:
            continue
        if not is_latin(a) or " - " in a:
            continue  # non-Latin script; GeoNames 'Name - translit' junk
        letters = sum(1 for c in a if c.isalpha())
        if letters < 3:
            continue
        if not any(c.isupper() for c in a):
            continue  # all-lowercase: romanisations, ordinary words
        if a.lower() in STOPWORDS or a.lower() in ALIAS_DROP:
            continue
        f = fold(a)
        if not f or (fold_dedupe and f in seen_fold):
            continue
        seen.add(a.casefold())
        seen_fold.add(f)
        out.append(a)
        if limit and len(out) >= limit:
            break
    return out


def strip_brackets(s):
    """'Catalunya [Cataluña]' -> ('Catalunya', ['Cataluña'])."""
    extra = []
    for inner in re.findall(r"\[([^\]]*)\]", s):
        # drop code-like tokens (GB-CYM) and bracket notes such as 'city'
        words = [w for w in inner.split() if not re.match(r"^[A-Z]{2}-", w)]
        inner2 = " ".join(words).strip()
        if inner2 and any(c.isupper() for c in inner2):
            extra.append(inner2)
    base = re.sub(r"\s*\[[^\]]*\]", "", s).strip()
    return base, extra


ADMIN_WORDS = set("""
province provincia provinces state states governorate gouvernorat region
regions district districts county prefecture department departement
oblast oblasti kray krai kraj okrug avtonomnyy avtonomnyj shi respublika republic autonomous municipality
municipalities muhafazat muhafazah wilayah wilaya vilayati emirate city
capital territory federal popularate division parish canton voivodeship
of the de du la le des di do da del dos das al an ar as ad az ash at el
ul us ud ur
""".split())


def admin_key(s):
    toks = [t for t in fold(s).split() if t not in ADMIN_WORDS]
    return "".join(toks)


STEM_END_RE = re.compile(r"(skaya|skaja|skiy|skij|skyi|skyy|ska|sky|sk|"
                         r"iya|ija|ia|ya|ja|a|y|i|e|o)$")


def stem_key(s):
    """Looser key for transliteration variants (Kharkiv ~ Kharkivska,
    Bryansk ~ Brjanskaja): unify kh/h, j/y and drop adjective endings."""
    k = admin_key(s).replace("kh", "h").replace("j", "y").replace("yy", "y")
    m = STEM_END_RE.search(k)
    if m and len(k) - len(m.group(1)) >= 4:
        k = k[:m.start()]
    return k


def fmt_coord(v):
    if v in ("", None):
        return ""
    return ("%.5f" % float(v)).rstrip("0").rstrip(".")


def row(id_, level, name, country, parent, lat="", lon="", isaf="",
        population="", aliases=()):
    return {"id": id_, "level": level, "name": name, "country": country,
            "parent": parent, "lat": fmt_coord(lat), "lon": fmt_coord(lon),
            "isaf": isaf, "population": str(population or ""),
            "aliases": "|".join(aliases)}


def sort_rows(rows):
    return sorted(rows, key=lambda r: (
        r["country"], LEVEL_RANK[r["level"]], r["parent"],
        fold(r["name"]), r["name"], r["id"]))


def write_tsv(path, rows, scope, sources):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    lines = [
        "# sitrep knowledge base: places - %s" % scope,
        "# generated by tools/derive_kb.py from the shared gazetteer "
        "(data/geo); do not edit by hand, edit the script and regenerate",
    ]
    lines += sources + LIC_LINES
    lines.append("\t".join(COLUMNS))
    for r in sort_rows(rows):
        vals = [r[c] for c in COLUMNS]
        for v in vals:
            assert "\t" not in v and "\n" not in v, r
        lines.append("\t".join(vals))
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")


# --------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------

def country_row(c, capitals, extra_aliases=()):
    code = c["alpha2"]
    name = c["common_name"] or c["name"]
    override, extra = COUNTRY_EXTRA.get(code, (None, []))
    if override:
        name = override
    cands = list(extra) + list(extra_aliases) + [c["name"], c["official_name"]]
    cands = [re.sub(r"^the ", "", x) for x in cands
             if x and ", " not in x]  # skip 'Iran, Islamic...'
    cap = capitals.get(code)
    lat, lon = (cap["lat"], cap["lon"]) if cap else ("", "")
    return row(code, "country", name, code, "", lat, lon,
               aliases=clean_aliases(name, cands))


def place_name_and_aliases(p):
    name = ascii_name(p["asciiname"] or p["name"])
    # GeoNames alternates: drop all-caps forms and 'A / B' compound labels
    alt = [x for x in p["alternatenames"].split("|")
           if x and not x.isupper() and "/" not in x]
    cands = [p["name"]] + PLACE_EXTRA_ALIASES.get(p["geonameid"], []) + alt
    return name, cands


def build_admin1_map(admin1_all, places):
    """(country, GeoNames admin1 code) -> first-level ISO 3166-2 code or None.

    Matches the GeoNames admin1 name against the names of the country's
    first-level subdivisions and, where GeoNames uses a finer unit (e.g.
    Indonesian provinces), second-level ones mapped to their first-level
    parent: exact normalised key, then a transliteration stem, then a
    unique close fuzzy match (ratio >= 0.85)."""
    by_country = defaultdict(list)
    level1 = {}
    for a in admin1_all:
        by_country[a["country"]].append(a)
        if a["level"] == "1":
            level1[a["code"]] = a
    pairs = sorted({(p["country"], p["admin1"], p["admin1_name"])
                    for p in places if p["country"] != "AF"})
    result, unmatched = {}, []
    for cc, gcode, gname in pairs:
        iso = ADMIN1_OVERRIDES.get((cc, gname))
        if (cc, gname) in ADMIN1_NO_MATCH:
            gname = ""
        if not iso and gname:
            keys = defaultdict(set)
            stems = defaultdict(set)
            for a in by_country.get(cc, []):
                if a["level"] == "1":
                    target = a["code"]
                elif a["parent"] in level1:
                    target = a["parent"]
                else:
                    continue
                base, extra = strip_brackets(a["name"])
                names = [base] + extra
                if a["code"] in THEATRE_ADMIN1:
                    en, al = THEATRE_ADMIN1[a["code"]]
                    names += [en] + al
                for n in names:
                    k = admin_key(n)
                    if k:
                        keys[k].add(target)
                        stems[stem_key(n)].add(target)
            gk = admin_key(gname)
            hit = keys.get(gk)
            shit = stems.get(stem_key(gname))
            if hit and len(hit) == 1:
                iso = next(iter(hit))
            elif shit and len(shit) == 1 and len(stem_key(gname)) >= 4:
                iso = next(iter(shit))
            elif gk:
                scored = []
                for k, codes in keys.items():
                    r = difflib.SequenceMatcher(None, gk, k).ratio()
                    scored.append((r, k, codes))
                scored.sort(key=lambda t: (-t[0], t[1]))
                if scored and scored[0][0] >= 0.85 and len(scored[0][2]) == 1:
                    best_codes = {c for r, k, cs in scored
                                  if r == scored[0][0] for c in cs}
                    if len(best_codes) == 1:
                        iso = next(iter(best_codes))
        result[(cc, gcode)] = iso
        if not iso:
            unmatched.append((cc, gcode, gname))
    return result, unmatched


def move_city_aliases(rows):
    """'Kandahar City' names the town, not the district around it: the
    district's "<X> City" aliases go to the populated place X inside it."""
    towns = defaultdict(list)
    for r in rows:
        if r["level"] == "place":
            towns[r["parent"]].append(r)
    for d in rows:
        if d["level"] != "admin2" or not d["aliases"]:
            continue
        keep = []
        for a in d["aliases"].split("|"):
            base = a[:-len(" City")] if a.endswith(" City") else None
            town = None
            if base:
                for t in sorted(towns[d["id"]], key=lambda t: t["id"]):
                    names = [t["name"]] + t["aliases"].split("|")
                    if fold(base) in {fold(n) for n in names if n}:
                        town = t
                        break
            if town is None:
                keep.append(a)
            elif a.casefold() not in {x.casefold() for x in
                                      [town["name"]] + town["aliases"].split("|")}:
                town["aliases"] = "|".join(
                    [x for x in town["aliases"].split("|") if x] + [a])
        d["aliases"] = "|".join(keep)


def build(shared, out_dir, list_unmatched=False):
    geo = os.path.join(shared, "data", "geo")
    provinces = read_tsv(os.path.join(geo, "afg_provinces.tsv"))
    districts = read_tsv(os.path.join(geo, "afg_districts.tsv"))
    extras = read_tsv(os.path.join(geo, "afg_places_extra.tsv"))
    places = read_tsv(os.path.join(geo, "places.tsv"))
    admin1 = read_tsv(os.path.join(geo, "admin1_world.tsv"))
    countries = read_tsv(os.path.join(geo, "countries.tsv"))

    capitals = {}
    for p in sorted(places, key=lambda p: -int(p["population"] or 0)):
        if p["feature_code"] == "PPLC" and p["country"] not in capitals:
            capitals[p["country"]] = p

    admin1_l1 = defaultdict(list)
    for a in admin1:
        if a["level"] == "1":
            admin1_l1[a["country"]].append(a)

    country_by_code = {c["alpha2"]: c for c in countries}

    # ---------------- Afghanistan ----------------
    af = [country_row(country_by_code["AF"], capitals)]
    prov_iso = {}
    for p in provinces:
        iso = p["iso3166_2"]
        prov_iso[p["id"]] = iso
        cands = p["variants"].split("|") + AF_PROVINCE_EXTRA.get(iso, [])
        af.append(row(iso, "admin1", p["name"], "AF", "AF", p["lat"], p["lon"],
                      isaf=ISAF_LABELS[iso],
                      aliases=clean_aliases(p["name"], cands)))
    district_ids = set()
    for d in districts:
        did = "AF-D%s" % d["id"]
        district_ids.add(did)
        cands = d["variants"].split("|") + \
            AF_DISTRICT_EXTRA.get(int(d["id"]), [])
        # Releases spell the province Konar, and its districts with it
        # ("Khas Konar", "Sar Kani, Konar").
        cands += [c.replace("Kunar", "Konar") for c in [d["name"]] + cands
                  if "Kunar" in c]
        af.append(row(did, "admin2", d["name"], "AF",
                      prov_iso[d["province_id"]], d["lat"], d["lon"],
                      aliases=clean_aliases(d["name"], cands)))
    for e in extras:
        id_, level = AF_EXTRA_IDS[e["name"]]
        parent = ("AF-D%s" % e["district_id"]) if e["district_id"] \
            else prov_iso[e["province_id"]]
        af.append(row(id_, level, e["name"], "AF", parent, e["lat"], e["lon"],
                      aliases=clean_aliases(e["name"],
                                            e["variants"].split("|"))))
    for id_, level, name, parent, al in AF_HAND_EXTRA:
        af.append(row(id_, level, name, "AF", parent,
                      aliases=clean_aliases(name, al)))
    for p in places:
        if p["country"] != "AF":
            continue
        if p["afg_district_id"]:
            parent = "AF-D%s" % p["afg_district_id"]
        else:
            parent = prov_iso[p["afg_province_id"]]
        name, cands = place_name_and_aliases(p)
        af.append(row("GN" + p["geonameid"], "place", name, "AF", parent,
                      p["lat"], p["lon"], population=p["population"],
                      aliases=clean_aliases(name, cands)))
    move_city_aliases(af)

    # ---------------- admin1 mapping for the rest ----------------
    amap, unmatched = build_admin1_map(admin1, places)
    for code in list(ADMIN1_OVERRIDES.values()) + list(THEATRE_ADMIN1):
        assert any(a["code"] == code and a["level"] == "1" for a in admin1), \
            "unknown ISO 3166-2 code in hand table: %s" % code

    def admin1_rows(cc, assigned, theatre):
        rows = []
        for a in sorted(admin1_l1.get(cc, []), key=lambda a: a["code"]):
            base, extra = strip_brackets(a["name"])
            name = base
            cands = list(extra)
            if a["code"] in THEATRE_ADMIN1:
                en, al = THEATRE_ADMIN1[a["code"]]
                name = en
                cands = al + [base] + cands
            cands.append(unicodedata.normalize("NFKD", base)
                         .encode("ascii", "ignore").decode())
            cands += sorted(assigned[a["code"]]["gnames"])
            top = assigned[a["code"]]["top"]
            lat, lon = (top["lat"], top["lon"]) if top else ("", "")
            rows.append(row(a["code"], "admin1", name, cc, cc, lat, lon,
                            aliases=clean_aliases(name, cands,
                                                  fold_dedupe=not theatre)))
        return rows

    def place_rows(cc, theatre, assigned):
        rows = []
        for p in places:
            if p["country"] != cc:
                continue
            iso = amap.get((cc, p["admin1"]))
            parent = iso or cc
            if cc == "PK" and p["geonameid"] in PK_PLACE_PARENT:
                parent = PK_PLACE_PARENT[p["geonameid"]]
            if iso:
                slot = assigned[iso]
                if p["admin1_name"]:
                    slot["gnames"].add(p["admin1_name"])
                popv = int(p["population"] or 0)
                if slot["top"] is None or popv > slot["toppop"] or (
                        popv == slot["toppop"] and
                        p["geonameid"] < slot["top"]["geonameid"]):
                    slot["top"], slot["toppop"] = p, popv
            name, cands = place_name_and_aliases(p)
            if theatre:
                al = clean_aliases(name, cands)
            else:
                al = clean_aliases(name, cands, fold_dedupe=True)
            rows.append(row("GN" + p["geonameid"], "place", name, cc, parent,
                            p["lat"], p["lon"], population=p["population"],
                            aliases=al))
        return rows

    def new_assigned():
        return defaultdict(lambda: {"gnames": set(), "top": None,
                                    "toppop": -1})

    # ---------------- theatres ----------------
    th = []
    for cc in THEATRE_COUNTRIES:
        assigned = new_assigned()
        prow = place_rows(cc, True, assigned)
        th.append(country_row(country_by_code[cc], capitals))
        th += admin1_rows(cc, assigned, True)
        th += prow
    for id_, level, name, parent, lat, lon, al in PK_FATA:
        th.append(row(id_, level, name, "PK", parent, lat, lon,
                      aliases=clean_aliases(name, al)))
    for id_, name, parent, al in PK_HAND_PLACES:
        th.append(row(id_, "place", name, "PK", parent,
                      aliases=clean_aliases(name, al)))
    for id_, name, cc, parent, lat, lon, al in HAND_PLACES:
        if cc in THEATRE_COUNTRIES:
            th.append(row(id_, "place", name, cc, parent, lat, lon,
                          aliases=clean_aliases(name, al)))

    # ---------------- world ----------------
    wd = []
    for c in countries:
        cc = c["alpha2"]
        if cc == "AF" or cc in THEATRE_COUNTRIES:
            continue
        assigned = new_assigned()
        prow = place_rows(cc, False, assigned)
        wd.append(country_row(c, capitals))
        wd += admin1_rows(cc, assigned, False)
        wd += prow
        for id_, name, hcc, parent, lat, lon, al in HAND_PLACES:
            if hcc == cc:
                wd.append(row(id_, "place", name, cc, parent, lat, lon,
                              aliases=clean_aliases(name, al)))

    outputs = {
        "afghanistan.tsv": (af, "Afghanistan (country, 34 provinces, 398 "
                            "districts, extra places, populated places)",
                            [SRC_GEOBOUNDARIES, SRC_GEONAMES, SRC_ISO,
                             SRC_HAND]),
        "theatres.tsv": (th, "PK (with former FATA), IQ, SY, YE, SO, LY, ML, "
                         "NG (country, first-level subdivisions, populated "
                         "places)", [SRC_GEONAMES, SRC_ISO, SRC_HAND]),
        "world.tsv": (wd, "all other countries, their first-level "
                      "subdivisions and large cities",
                      [SRC_GEONAMES, SRC_ISO, SRC_HAND]),
    }
    problems = check(outputs, district_ids)
    for fname, (rows, scope, sources) in outputs.items():
        write_tsv(os.path.join(out_dir, fname), rows, scope, sources)
    summary(outputs, out_dir, unmatched, list_unmatched)
    if not problems:
        print("  checks passed: unique ids, parents exist (coarser level, same "
              "country), 398 districts under AF-xxx provinces, 34 distinct "
              "ISAF labels, coordinates in bounds, aliases Latin-only")
    if problems:
        for p in problems[:50]:
            print("PROBLEM:", p, file=sys.stderr)
        print("%d problems" % len(problems), file=sys.stderr)
        return 1
    return 0


# --------------------------------------------------------------------------
# Checks and summary
# --------------------------------------------------------------------------

# Rough bounding boxes (lat_min, lat_max, lon_min, lon_max) for sanity checks.
BBOX = {
    "AF": (29.3, 38.6, 60.4, 75.0), "PK": (23.5, 37.2, 60.8, 77.9),
    "IQ": (29.0, 37.5, 38.7, 48.7), "SY": (32.3, 37.4, 35.6, 42.4),
    "YE": (12.0, 19.1, 41.8, 54.6), "SO": (-1.8, 12.1, 40.9, 51.5),
    "LY": (19.5, 33.3, 9.3, 25.2), "ML": (10.1, 25.1, -12.3, 4.3),
    "NG": (4.2, 13.9, 2.6, 14.7),
}


def check(outputs, district_ids):
    problems = []
    all_rows = [r for rows, _, _ in outputs.values() for r in rows]
    ids = defaultdict(int)
    for r in all_rows:
        ids[r["id"]] += 1
    for k, n in ids.items():
        if n > 1:
            problems.append("duplicate id %s" % k)
    by_id = {r["id"]: r for r in all_rows}
    isaf = []
    for r in all_rows:
        if r["level"] not in LEVEL_RANK:
            problems.append("bad level %s" % r["id"])
        if r["level"] == "country":
            if r["parent"]:
                problems.append("country with parent %s" % r["id"])
        elif r["parent"] not in by_id:
            problems.append("missing parent %s -> %s" % (r["id"], r["parent"]))
        else:
            par = by_id[r["parent"]]
            if LEVEL_RANK[par["level"]] >= LEVEL_RANK[r["level"]]:
                problems.append("parent level %s" % r["id"])
            if par["country"] != r["country"]:
                problems.append("parent country %s" % r["id"])
        if r["id"] in district_ids:
            if not re.match(r"^AF-[A-Z]{3}$", r["parent"]) or \
                    by_id[r["parent"]]["level"] != "admin1":
                problems.append("district parent %s" % r["id"])
        if r["isaf"]:
            isaf.append(r["isaf"])
            if not (r["country"] == "AF" and r["level"] == "admin1"):
                problems.append("isaf on non-province %s" % r["id"])
        if r["lat"] or r["lon"]:
            lat, lon = float(r["lat"]), float(r["lon"])
            box = BBOX.get(r["country"], (-90, 90, -180, 180))
            if not (box[0] <= lat <= box[1] and box[2] <= lon <= box[3]):
                problems.append("coords out of bounds %s %s,%s"
                                % (r["id"], lat, lon))
        if not r["name"]:
            problems.append("empty name %s" % r["id"])
        for a in r["aliases"].split("|") if r["aliases"] else []:
            if not is_latin(a):
                problems.append("non-Latin alias %s %r" % (r["id"], a))
            if a.casefold() == r["name"].casefold():
                problems.append("alias = name %s" % r["id"])
            if SUFFIX_RE.search(a):
                problems.append("suffix alias %s %r" % (r["id"], a))
            if sum(1 for c in a if c.isalpha()) < 3:
                problems.append("short alias %s %r" % (r["id"], a))
    if len(isaf) != 34 or len(set(isaf)) != 34 or \
            set(isaf) != set(ISAF_LABELS.values()):
        problems.append("isaf labels: %d (%d distinct)"
                        % (len(isaf), len(set(isaf))))
    n_dist = sum(1 for r in all_rows if r["id"] in district_ids)
    if n_dist != 398:
        problems.append("districts: %d" % n_dist)
    n_prov = sum(1 for r in all_rows
                 if r["country"] == "AF" and r["level"] == "admin1")
    if n_prov != 34:
        problems.append("provinces: %d" % n_prov)
    return problems


def summary(outputs, out_dir, unmatched, list_all=False):
    print("derive_kb: wrote %s" % out_dir)
    for fname, (rows, _, _) in outputs.items():
        counts = defaultdict(int)
        for r in rows:
            counts[r["level"]] += 1
        n_al = sum(len(r["aliases"].split("|")) for r in rows if r["aliases"])
        size = os.path.getsize(os.path.join(out_dir, fname))
        print("  %-16s %6d rows  %s  aliases=%d  %d bytes" % (
            fname, len(rows),
            " ".join("%s=%d" % (k, counts[k]) for k in LEVEL_RANK
                     if counts[k]), n_al, size))
    no_coord = sum(1 for rows, _, _ in outputs.values() for r in rows
                   if not r["lat"])
    print("  rows without coordinates: %d" % no_coord)
    print("  GeoNames admin1 codes not matched to ISO 3166-2 "
          "(places parented to the country): %d" % len(unmatched))
    for cc, g, n in unmatched:
        if list_all:
            print("    unmatched %s %s %s" % (cc, g, n))
        elif cc in THEATRE_COUNTRIES:
            print("    THEATRE UNMATCHED %s %s %s" % (cc, g, n))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    ap.add_argument("--shared", default=os.path.join(repo, "..", "shared"),
                    help="path of the shared/ folder (contains data/geo)")
    ap.add_argument("--out", default=os.path.join(repo, "data", "kb",
                                                  "places"),
                    help="output folder for the place tables")
    ap.add_argument("--list-unmatched", action="store_true",
                    help="print every unmatched GeoNames admin1")
    args = ap.parse_args()
    return build(args.shared, args.out, args.list_unmatched)


if __name__ == "__main__":
    sys.exit(main())
