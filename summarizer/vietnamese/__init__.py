"""Numbers, quantities and dates in Vietnamese news text (and in English summaries of it).

The package, stage by stage of reading a figure:

* `numbers`: number tokens and how each language writes them ("14,245" is 14.245 in Vietnamese,
  "14,245" is 14245 in English), and the scanning machinery the finders share;
* `units`: scale words, currencies, measures, counted nouns; `unit_key`, `same_unit`;
* `context`: qualifiers, ordinal and name heads, function words around a number;
* `dates`: the one date grammar (`find_dates`, `parse_date`, `find_dates_en`, `find_years`,
  `parse_full_date`),
  also the masks that keep dates, times and phone numbers from being read as figures;
* `quantities`: `find_quantities`, `find_quantities_en`, `find_numbers`: what a figure is;
* `formatting`: writing numbers and quantities back in English or Vietnamese.

Each module imports only the ones above it in this list. Everything public is re-exported
here, so `summarizer.vietnamese.X` works for each name of `__all__`.
"""

from summarizer.vietnamese.context import Qualifier
from summarizer.vietnamese.dates import (
    DateMention,
    PartOfDay,
    find_dates,
    find_dates_and_years,
    find_dates_en,
    find_years,
    parse_date,
    parse_full_date,
)
from summarizer.vietnamese.formatting import (
    format_number_en,
    format_number_vi,
    format_quantity_en,
    format_quantity_vi,
    format_value_en,
)
from summarizer.vietnamese.numbers import QuantityKind, values_equal
from summarizer.vietnamese.quantities import (
    Numbers,
    Quantity,
    find_numbers,
    find_quantities,
    find_quantities_en,
    parse_quantity,
    parse_quantity_en,
)
from summarizer.vietnamese.units import same_unit, unit_key

__all__ = [
    "DateMention",
    "Numbers",
    "PartOfDay",
    "Qualifier",
    "Quantity",
    "QuantityKind",
    "find_dates",
    "find_dates_and_years",
    "find_dates_en",
    "find_numbers",
    "find_quantities",
    "find_quantities_en",
    "find_years",
    "format_number_en",
    "format_number_vi",
    "format_quantity_en",
    "format_quantity_vi",
    "format_value_en",
    "parse_date",
    "parse_full_date",
    "parse_quantity",
    "parse_quantity_en",
    "same_unit",
    "unit_key",
    "values_equal",
]
