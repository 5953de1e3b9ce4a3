#!/usr/bin/env python3
"""Cross-checks Solmu's phone normalization against Google's libphonenumber (Python port).

Input: a JSON Lines file written by the Swift test `PhoneCrossCheckTests` when
SOLMU_PHONE_CROSSCHECK_OUT is set; each line is
    {"input": "...", "region": "FI", "e164": "+358401234567" or null}
For every line, libphonenumber parses the input with the region, keeps it only if
is_possible_number() holds, and formats it as E.164; the result must equal "e164".

Solmu is deliberately stricter in one way: it rejects letters (vanity numbers, extensions).
Lines whose input contains letters therefore pass when Solmu rejected them.

Usage:
    /tmp/pnvenv/bin/python Tests/interop/phone_crosscheck.py /tmp/phone-crosscheck.jsonl
Exit status 0 when every line agrees, 1 on any disagreement, 2 on bad usage.
"""
import json
import sys

import phonenumbers


def libphonenumber_e164(text, region):
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    passed = failed = 0
    with open(argv[1], encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, 1):
            line = line.strip()
            if not line:
                continue
            case = json.loads(line)
            text, region, solmu = case["input"], case["region"], case.get("e164")
            expected = libphonenumber_e164(text, region)
            stricter = solmu is None and any(ch.isalpha() for ch in text)
            if solmu == expected or stricter:
                passed += 1
            else:
                failed += 1
                print(f"line {line_number}: region {region} input {text!r}: solmu {solmu!r}, libphonenumber {expected!r}")
    print(f"{passed} passed, {failed} failed (phonenumbers {phonenumbers.__version__})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
