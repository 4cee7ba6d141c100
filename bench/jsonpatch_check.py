#!/usr/bin/env python3
"""bench/jsonpatch_check.py: P6's comparison (README, Performance).

The checks of `reflint check` on paired NDJSON records, written as a plain
Python script on the `jsonpatch` module, as a team without reflint might:
duplicate keys, record shape, each op (op, pointer, read-only and patchable
paths, value type, enum, format, range), the patch applied op by op with
jsonpatch, the lifecycle (pairs, transitions, closed referrals, consent,
team limit, eTag) and the deal registration (fields, dates, annual value,
solutions, the five policies).  It writes accepted patches to stdout and
rejection lines to stderr, like reflint.  It is the benchmark's yardstick,
not a second implementation: where it cuts a corner it does less work than
reflint, so the speed-up it shows is a lower bound.

usage: jsonpatch_check.py [--now RFC3339] FILE...
"""
import copy
import datetime
import json
import re
import sys

import jsonpatch

NOW = datetime.datetime(2026, 3, 1, tzinfo=datetime.timezone.utc)

READ_ONLY = ["/id", "/engagementId", "/organizationId", "/organizationName",
             "/createdDateTime", "/updatedDateTime", "/acceptedDateTime",
             "/closedDateTime", "/expirationDateTime", "/eTag", "/links",
             "/direction", "/qualification", "/registrationStatus",
             "/trackingInfo", "/quality", "/isSpam", "/tags",
             "/customerProfile/name", "/customerProfile/address"]

FORMATS = {
    "email": re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    "phone": re.compile(r"^\+?[0-9 ()\-]{7,25}$"),
    "date-time": re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?"
                            r"(Z|[+-]\d\d:\d\d)$"),
    "currency": re.compile(r"^[A-Z]{3}$"),
    "solution-id": re.compile(r"^[A-Z]+-\d+-[A-Z]+$|^[0-9a-f-]{36}$"),
}
DECIMAL = re.compile(r"^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$")
STAGES = ["10", "20", "40", "60", "80", "100", "Qualify", "Develop",
          "Propose", "Close"]
MEMBER = {"firstName": ("str", None), "lastName": ("str", None),
          "email": ("str", "email"), "phoneNumber": ("str", "phone")}

# (pattern, ops, kind, extra); add wherever replace is, as in the rules
AR = {"add", "replace"}
PATHS = [(re.compile("^" + p + "$"), ops, kind, extra) for p, ops, kind, extra in [
    (r"/name", AR, "str", None),
    (r"/externalReferenceId", AR, "str", None),
    (r"/campaignId", AR, "str", None),
    (r"/referralProgram", AR, "str", None),
    (r"/status", AR, "enum", ["New", "Active", "Closed"]),
    (r"/substatus", AR, "enum",
     ["Pending", "Received", "Accepted", "Won", "Lost", "Declined",
      "Expired", "Error"]),
    (r"/statusReason", AR, "str", None),
    (r"/salesStage", AR, "enum", STAGES),
    (r"/details/dealValue", AR, "decimal", None),
    (r"/details/currency", AR, "format", "currency"),
    (r"/details/closingDateTime", AR, "format", "date-time"),
    (r"/details/notes", AR, "str", None),
    (r"/details/requirements/solutions/-", {"add"}, "solution", None),
    (r"/details/requirements/solutions", AR, "any", None),
    (r"/team/-", {"add"}, "member", None),
    (r"/team", AR, "any", None),
    (r"/team/(0|[1-9]\d*)/(firstName|lastName)", AR, "str", None),
    (r"/team/(0|[1-9]\d*)/email", AR, "format", "email"),
    (r"/team/(0|[1-9]\d*)/phoneNumber", AR, "format", "phone"),
    (r"/customerProfile/team/-", {"add"}, "member", None),
    (r"/customerProfile/team", AR, "any", None),
    (r"/consent/consentToShareReferralWithMicrosoftSellers", AR,
     "bool", None),
    (r"/registrations/-", {"add"}, "registration", None),
    (r"/registrations/(0|[1-9]\d*)/.+", AR, "any", None),
]]

PAIRS = {"New/Pending", "New/Received", "Active/Accepted", "Closed/Won",
         "Closed/Lost", "Closed/Declined", "Closed/Expired", "Closed/Error"}
TRANSITIONS = {
    "New/Pending": {"New/Received", "Active/Accepted", "Closed/Declined",
                    "Closed/Error"},
    "New/Received": {"Active/Accepted", "Closed/Declined", "Closed/Error"},
    "Active/Accepted": {"Closed/Won", "Closed/Lost", "Closed/Error"},
}
INCENTIVE = re.compile(r"^MSFT Internal Azure IP Co-?Sell$", re.I)


class Dup(Exception):
    pass


def no_dups(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise Dup(k)
        d[k] = v
    return d


def instant(s):
    """An RFC 3339 string as an aware datetime (offset applied), or None."""
    if not isinstance(s, str) or not FORMATS["date-time"].match(s):
        return None
    try:
        t = datetime.datetime(int(s[0:4]), int(s[5:7]), int(s[8:10]),
                              int(s[11:13]), int(s[14:16]), int(s[17:19]),
                              tzinfo=datetime.timezone.utc)
    except ValueError:
        return None
    if not s.endswith("Z"):
        sign = 1 if s[-6] == "+" else -1
        t -= sign * datetime.timedelta(hours=int(s[-5:-3]),
                                       minutes=int(s[-2:]))
    return t


def check_value(kind, extra, v, errs, i):
    if kind == "any":
        return
    if kind == "str":
        if not isinstance(v, str) or not v:
            errs.append(("value-type", i))
    elif kind == "bool":
        if not isinstance(v, bool):
            errs.append(("value-type", i))
    elif kind == "enum":
        if not isinstance(v, str):
            errs.append(("value-type", i))
        elif v not in extra:
            errs.append(("value-enum", i))
    elif kind == "format":
        if not isinstance(v, str):
            errs.append(("value-type", i))
        elif not FORMATS[extra].match(v) or (extra == "date-time" and
                                             instant(v) is None):
            errs.append(("value-format", i))
    elif kind == "decimal":
        s = v if isinstance(v, str) else json.dumps(v)
        if isinstance(v, bool) or not isinstance(v, (str, int, float)) or \
                not DECIMAL.match(s):
            errs.append(("value-type", i))
        elif s.startswith("-"):
            errs.append(("value-range", i))
    elif kind in ("member", "solution", "registration"):
        if not isinstance(v, dict):
            errs.append(("value-type", i))
        elif kind == "member":
            for name, (k, fmt) in MEMBER.items():
                if name not in v:
                    errs.append(("value-member-missing", i))
                elif fmt and not (isinstance(v[name], str) and
                                  FORMATS[fmt].match(v[name])):
                    errs.append(("value-format", i))
            for name in v:
                if name not in MEMBER and name != "contactPreference":
                    errs.append(("value-member-unknown", i))
        elif kind == "solution":
            if not isinstance(v.get("id"), str) or \
                    not FORMATS["solution-id"].match(v["id"]):
                errs.append(("value-format", i))


def registration(reg, after, errs, i, ms):
    c = reg.get("contract")
    if reg.get("type") != "AzureIPCoSell" or not isinstance(c, dict):
        errs.append(("registration-field", i))
        return
    value = c.get("value")
    if not isinstance(value, (int, float)) or isinstance(value, bool) or \
            value <= 0:
        errs.append(("registration-field", i))
        value = None
    if not (isinstance(c.get("currency"), str) and
            FORMATS["currency"].match(c["currency"])):
        errs.append(("registration-field", i))
    term = c.get("term")
    if term not in ("Finite", "Perpetual"):
        errs.append(("registration-field", i))
    sign, start = instant(c.get("signDateTime")), instant(c.get("startDateTime"))
    end = instant(c.get("endDateTime")) if term == "Finite" else None
    if sign is None or start is None or (term == "Finite" and end is None):
        errs.append(("registration-field", i))
    else:
        created = instant(after.get("createdDateTime"))
        if (end is not None and end < start) or sign > NOW or \
                (NOW - sign).total_seconds() > 60 * 86400 or \
                (created is not None and sign < created) or \
                (NOW - start).total_seconds() > 90 * 86400:
            errs.append(("registration-dates", i))
        if value is not None and c.get("currency") == "USD":
            years = 6 if term == "Perpetual" else \
                max(1, (end - start).total_seconds() / (365 * 86400))
            if value / years <= 25000:
                errs.append(("registration-value", i))
    sols = after.get("details", {}).get("requirements", {}).get("solutions", [])
    ids = {s.get("id") for s in sols if isinstance(s, dict)}
    details = reg.get("solutionDetails")
    if not isinstance(details, list) or not details:
        errs.append(("registration-solution", i))
        details = []
    for d in details:
        if not isinstance(d, dict) or d.get("id") not in ids:
            errs.append(("registration-solution", i))
            continue
        v = d.get("value")
        if not isinstance(v, (int, float)) or v <= 0 or \
                (value is not None and v > value):
            errs.append(("registration-solution", i))
        if d.get("isDeployedOnAzure") is not True:
            errs.append(("registration-not-azure", i))
        if d.get("primaryDeploymentOn") not in ("Customer", "Partner") or \
                d.get("pricingModel") not in ("PayAsYouGo", "Other"):
            errs.append(("registration-field", i))
        m = d.get("marketplaceTransactionDetails")
        if not isinstance(m, dict) or not isinstance(
                m.get("isMarketplaceTransacted"), bool):
            errs.append(("registration-field", i))
        elif m["isMarketplaceTransacted"] and \
                instant(m.get("marketplaceTransactionDateTime")) is None:
            errs.append(("registration-field", i))
    # the five policies
    consent = after.get("consent", {}).get(
        "consentToShareReferralWithMicrosoftSellers") is True
    shared = after.get("type") == "Shared"
    ok = [shared or (after.get("type") == "Independent" and consent)]
    if shared:
        ok.append(ms is not None and (ms.get("status"), ms.get("substatus"))
                  in (("Active", "Accepted"), ("Closed", "Won")))
    else:
        ok.append(consent)
    ok.append(any(isinstance(s, dict) and
                  any(INCENTIVE.match(x) for x in s.get("incentives", []))
                  for s in sols))
    dv = after.get("details", {}).get("dealValue")
    try:
        ok.append(after["details"].get("currency") == "USD" and
                  float(dv) > 25000)
    except (TypeError, ValueError, KeyError):
        ok.append(False)
    cp = after.get("customerProfile", {})
    ok.append(cp.get("isMatchingComplete") in (True, "true") and
              cp.get("matchedAccountType") == "Managed")
    if not all(ok):
        errs.append(("registration-ineligible", i))
    st = (after.get("status"), after.get("substatus"))
    if st != ("Closed", "Won"):
        errs.append(("referral-closed" if st[0] == "Closed" else
                     "registration-not-won", i))


def judge(rec):
    errs = []
    ref, patch = rec.get("referral"), rec.get("patch")
    if not isinstance(ref, dict) or not isinstance(patch, list):
        return [("record-shape", None)]
    good = []
    for i, op in enumerate(patch):
        if not isinstance(op, dict) or not isinstance(op.get("op"), str) or \
                not isinstance(op.get("path"), str):
            errs.append(("patch-shape", i))
            continue
        if op["op"] not in ("add", "replace"):
            errs.append(("op-unsupported", i))
            continue
        path = op["path"]
        n = len(errs)
        if "value" not in op:
            errs.append(("op-value-missing", i))
        try:
            jsonpatch.JsonPointer(path)
        except jsonpatch.JsonPointerException:
            errs.append(("pointer-syntax", i))
            continue
        if any(path == p or path.startswith(p + "/") for p in READ_ONLY):
            errs.append(("path-read-only", i))
            continue
        for rx, ops, kind, extra in PATHS:
            if rx.match(path):
                if op["op"] not in ops:
                    errs.append(("path-op-mismatch", i))
                elif "value" in op:
                    check_value(kind, extra, op["value"], errs, i)
                break
        else:
            errs.append(("path-unknown", i))
        if len(errs) == n:
            good.append((i, op))
    before = ref
    after = copy.deepcopy(ref)
    after.setdefault("team", [])
    after.setdefault("registrations", [])
    after.setdefault("details", {}).setdefault("requirements", {}) \
        .setdefault("solutions", [])
    applied = []
    for i, op in good:
        try:
            after = jsonpatch.apply_patch(after, [op])
            applied.append((i, op))
        except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException):
            errs.append(("patch-target", i))
    s0 = "%s/%s" % (before.get("status"), before.get("substatus"))
    s1 = "%s/%s" % (after.get("status"), after.get("substatus"))
    if before.get("status") == "Closed":
        if any(not op["path"].startswith("/registrations/") for op in patch
               if isinstance(op, dict) and isinstance(op.get("path"), str)) \
                or s0 != "Closed/Won":
            if patch:
                errs.append(("referral-closed", None))
    elif patch and s0 != s1:
        if s1 not in PAIRS:
            errs.append(("status-pair", None))
        elif s1 == "Closed/Expired":
            errs.append(("transition-system-only", None))
        elif s1 not in TRANSITIONS.get(s0, ()):
            errs.append(("transition", None))
    c = "consentToShareReferralWithMicrosoftSellers"
    if before.get("consent", {}).get(c) is True and \
            after.get("consent", {}).get(c) is not True:
        errs.append(("consent-irreversible", None))
    if len(after.get("team", [])) > 50:
        errs.append(("team-limit", None))
    tag = rec.get("ifMatch")
    etag = before.get("eTag")
    if tag is not None and etag is not None:
        def bare(t):
            return t[2:].strip('"') if t.startswith("W/") else t.strip('"')
        if bare(tag) != bare(etag):
            errs.append(("etag-mismatch", None))
    for i, op in applied:
        if op["path"] == "/registrations/-":
            registration(op["value"], after, errs, i,
                         rec.get("microsoftReferral"))
    return errs


def main(argv):
    global NOW
    files = argv[1:]
    if files[:1] == ["--now"]:
        NOW = datetime.datetime.fromisoformat(files[1].replace("Z", "+00:00"))
        files = files[2:]
    out, err = sys.stdout, sys.stderr
    worst = 0
    for name in files:
        with open(name, "rb") as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line, object_pairs_hook=no_dups)
                    errs = judge(rec) if isinstance(rec, dict) else \
                        [("record-shape", None)]
                except Dup:
                    rec, errs = None, [("json-duplicate-key", None)]
                except ValueError:
                    rec, errs = None, [("json-syntax", None)]
                rid = rec.get("referral", {}).get("id") if rec else None
                if errs:
                    worst = 1
                    err.write(json.dumps({
                        "id": rid,
                        "source": {"file": name, "line": lineno},
                        "errors": [{"code": c, "op": i} for c, i in errs]},
                        separators=(",", ":")) + "\n")
                else:
                    o = {"id": rid}
                    if "ifMatch" in rec:
                        o["ifMatch"] = rec["ifMatch"]
                    o["patch"] = rec["patch"]
                    out.write(json.dumps(o, separators=(",", ":")) + "\n")
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv))
