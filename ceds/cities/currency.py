"""Converting a city's budget to US dollars for the roadmap's default budget.

The rates are the monthly averages for June 2024 published by the Board of Governors of the
Federal Reserve System, "Foreign Exchange Rates - G.5 Monthly", release of July 1, 2024
(https://www.federalreserve.gov/releases/g5/current/default.htm). They are a planning default,
not accounting: the coordinator can type the budget the roadmap should use. A currency not in
the table is not converted, and the page says so.
"""

from decimal import Decimal

RATES_SOURCE = "Federal Reserve Board, Foreign Exchange Rates G.5 Monthly, June 2024 averages (released 2024-07-01)"
RATES_DATE = "2024-06"

# Currency units per US dollar, as the release prints them.
_UNITS_PER_USD = {
    "BRL": "5.3861",
    "CAD": "1.3705",
    "CNY": "7.2547",
    "DKK": "6.9336",
    "HKD": "7.8100",
    "INR": "83.4600",
    "JPY": "157.8600",
    "MYR": "4.7095",
    "MXN": "18.1946",
    "NOK": "10.6154",
    "SGD": "1.3517",
    "ZAR": "18.4291",
    "KRW": "1379.0526",
    "LKR": "303.8889",
    "SEK": "10.4870",
    "CHF": "0.8938",
    "TWD": "32.3768",
    "THB": "36.7095",
}
# US dollars per currency unit (the release quotes these four the other way round).
_USD_PER_UNIT = {"EUR": "1.0763", "GBP": "1.2716", "AUD": "0.6642", "NZD": "0.6139"}


def to_usd(amount: Decimal | float, currency: str) -> Decimal | None:
    """The amount in US dollars, or None when the table has no rate for the currency."""
    code = (currency or "").upper()
    value = Decimal(str(amount))
    if code == "USD":
        return value
    if code in _UNITS_PER_USD:
        return value / Decimal(_UNITS_PER_USD[code])
    if code in _USD_PER_UNIT:
        return value * Decimal(_USD_PER_UNIT[code])
    return None


def known_currencies() -> list[str]:
    return sorted({"USD", *_UNITS_PER_USD, *_USD_PER_UNIT})
