#!/usr/bin/env python3
"""Generates Sources/Identifiers/Phone/NumberingPlan+Generated.swift from libphonenumber metadata.

The table is data taken from Google's libphonenumber metadata (Apache License 2.0) through the
`phonenumbers` Python package; the parsing logic lives in NumberingPlan.swift and PhoneNumberParser.swift.

Usage (from the repository root):
    python3 -m venv /tmp/pnvenv && /tmp/pnvenv/bin/pip install phonenumbers
    /tmp/pnvenv/bin/python Tests/interop/generate_phone_numbering_plan.py
"""
import os
import re
import sys

try:  # Python 3.11+
    import re._parser as sre_parse
    from re._constants import BRANCH, IN, LITERAL, MAX_REPEAT, RANGE, SUBPATTERN
except ImportError:  # pragma: no cover
    import sre_parse
    from sre_constants import BRANCH, IN, LITERAL, MAX_REPEAT, RANGE, SUBPATTERN

import phonenumbers
from phonenumbers import PhoneMetadata
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "Sources", "Identifiers", "Phone", "NumberingPlan+Generated.swift")
PLAIN = re.compile(r"^[0-9]+$")


def plain(prefix):
    return prefix if prefix is not None and PLAIN.match(prefix) else None


def expand(pattern, limit=64):
    """All digit strings a prefix pattern matches, in the pattern's alternation order, when that
    language is finite and small (e.g. "00|99(?:[01469]|5(?:[14]1|3[23]))"); otherwise None."""

    def sequence(items):
        results = [""]
        for op, av in items:
            if op == LITERAL:
                options = [chr(av)]
            elif op == IN:
                options = []
                for kind, value in av:
                    if kind == LITERAL:
                        options.append(chr(value))
                    elif kind == RANGE:
                        options.extend(chr(c) for c in range(value[0], value[1] + 1))
                    else:
                        return None
            elif op == SUBPATTERN:
                options = sequence(av[-1])
            elif op == BRANCH:
                options = []
                for branch in av[1]:
                    expanded = sequence(branch)
                    if expanded is None:
                        return None
                    options.extend(expanded)
            elif op == MAX_REPEAT and av[1] <= 3:
                inner = sequence(av[2])
                if inner is None:
                    return None
                options = []
                for count in range(av[0], av[1] + 1):
                    repeated = [""]
                    for _ in range(count):
                        repeated = [a + b for a in repeated for b in inner]
                    options.extend(repeated)
            else:
                return None
            if options is None:
                return None
            results = [a + b for a in results for b in options]
            if len(results) > limit:
                return None
        return results

    if pattern is None:
        return None
    try:
        expanded = sequence(sre_parse.parse(pattern))
    except Exception:  # noqa: BLE001 - anything unusual means "not a finite digit set"
        return None
    if not expanded or any(not PLAIN.match(p) for p in expanded):
        return None
    return expanded


def lengths(values):
    # libphonenumber uses (-1,) for "no numbers of this type"; the general desc never has it for
    # real regions, but keep the table honest.
    return sorted(v for v in values if v > 0)


def swift_array(values, quoted=False):
    return "[" + ", ".join(f'"{v}"' if quoted else str(v) for v in values) + "]"


def swift_string(value):
    return "nil" if value is None else '"' + value + '"'


def region_row(code, metadata, is_main):
    international = expand(metadata.international_prefix)
    if international is None:
        preferred = plain(metadata.preferred_international_prefix)
        international = [preferred] if preferred else []
    return (
        f"        .init(region: \"{code}\", callingCode: {metadata.country_code}, isMainRegion: {'true' if is_main else 'false'}, "
        f"nationalPrefix: {swift_string(plain(metadata.national_prefix))}, "
        f"internationalPrefixes: {swift_array(international, quoted=True)}, "
        f"possibleLengths: {swift_array(lengths(metadata.general_desc.possible_length))}, "
        f"localOnlyLengths: {swift_array(lengths(metadata.general_desc.possible_length_local_only))}),"
    )


def main():
    rows = []
    for calling_code in sorted(COUNTRY_CODE_TO_REGION_CODE):
        regions = COUNTRY_CODE_TO_REGION_CODE[calling_code]
        for index, region in enumerate(regions):
            if region == "001":
                metadata = PhoneMetadata.metadata_for_nongeo_region(calling_code)
            else:
                metadata = PhoneMetadata.metadata_for_region(region)
            if metadata is None:
                continue
            # Non-geographic entities ("001") are keyed by calling code; they are always "main".
            rows.append(region_row(region, metadata, index == 0 or region == "001"))

    version = phonenumbers.__version__
    text = f"""// GENERATED FILE — DO NOT EDIT.
// Generated by Tests/interop/generate_phone_numbering_plan.py from Google's libphonenumber metadata,
// phonenumbers {version} (https://github.com/google/libphonenumber), Apache License 2.0.
// This is data only: for every region, its country calling code, its national (trunk) prefix when
// it is a plain digit string, its international prefixes when libphonenumber's pattern for them
// matches a small finite set of digit strings (else the preferred one), and the possible lengths of a national
// significant number (general_desc possible_length; local_only lengths, which libphonenumber's
// is_possible_number also accepts, separately). Region "001" marks non-geographic calling codes.

extension NumberingPlan {{
    /// The libphonenumber version the table was generated from.
    static let metadataVersion = "{version}"

    /// Every region libphonenumber knows, grouped by calling code; the main region of a shared
    /// calling code comes first.
    static let generatedEntries: [Entry] = [
{os.linesep.join(rows)}
    ]
}}
"""
    with open(OUT, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {len(rows)} regions to {os.path.relpath(OUT, ROOT)} (phonenumbers {version})")


if __name__ == "__main__":
    sys.exit(main())
