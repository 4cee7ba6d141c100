# Reads back the workbooks tests/xlsx.test made and prints one TAP line per
# check.  Run as: python3 xlsx_check.py DIR
import os
import re
import sys
import zipfile

import openpyxl

d = sys.argv[1]
results = []


def check(name, fn):
    try:
        fn()
        results.append((True, name, None))
    except Exception as e:  # a failed check names what it saw
        results.append((False, name, "%s: %s" % (type(e).__name__, e)))


def eq(a, b):
    if a != b:
        raise AssertionError("%r != %r" % (a, b))


run = openpyxl.load_workbook(os.path.join(d, "run.xlsx"))
rows = run["Rows"] if "Rows" in run.sheetnames else None
hdr = ["Referral ID", "Deal Name", "Estimated Deal Value", "Currency",
       "Estimated Close Date", "Notes"]


def row_of(ws, rid):
    for r in ws.iter_rows(min_row=2):
        if r[1].value == rid:
            return r
    raise AssertionError("no row %s" % rid)


def t_sheets():
    eq(run.sheetnames, ["Rows", "Rows 2", "Problems", "Summary"])


def t_header():
    eq([c.value for c in rows[1]], ["Errors"] + hdr)


def t_rows_are_the_bad_ones():
    ids = [r[1].value for r in rows.iter_rows(min_row=2)]
    # r-1 has a warning only (no referral state): a problem all the same
    eq(ids[:6], ["r-1", "r-2", "r-3", "r-4", "r-5", "r-6"])


def filled(c):
    return c.fill is not None and c.fill.fill_type == "solid"


def t_conv_cell():
    r = row_of(rows, "r-2")
    c = r[3]                            # Estimated Deal Value
    eq(c.value, "25,000 USD")
    assert filled(c), "not filled"
    assert c.comment is not None and "is not a number" in c.comment.text, c.comment
    eq(c.fill.fgColor.rgb[-6:], "FFC7CE")
    for k in (1, 2, 4, 5, 6):
        assert not filled(r[k]) and r[k].comment is None, r[k].coordinate
    # the driver is not the batch: nothing names the column in front
    assert r[0].value.startswith('value-format: "25,000 USD" is not a number'), r[0].value


def t_op_cell():
    # the judge names op 1, csvmap's op_column names the Currency cell
    r = row_of(rows, "r-3")
    assert r[4].comment is not None and "ISO 4217" in r[4].comment.text
    assert filled(r[4])
    assert not filled(r[3]) and r[3].comment is None


def t_three_cells():
    r = row_of(rows, "r-4")
    bad = [c.column_letter for c in r[1:] if c.comment is not None]
    eq(bad, ["D", "E", "F"])
    eq(r[0].value.count("\n"), 3)       # three errors and the warning


def t_formula_text():
    r = row_of(rows, "r-4")
    eq(r[2].value, "=1+1")
    eq(r[2].data_type, "s")


def t_no_formula():
    for ws in run.worksheets:
        for r in ws.iter_rows():
            for c in r:
                assert c.data_type != "f", "%s!%s" % (ws.title, c.coordinate)
                if ws.title != "Summary" and c.value is not None:
                    eq(c.data_type, "s")
                    eq(c.number_format, "@")
    z = zipfile.ZipFile(os.path.join(d, "run.xlsx"))
    for n in z.namelist():
        if n.startswith("xl/worksheets/"):
            assert b"<f>" not in z.read(n), n


def t_cut():
    r = row_of(rows, "r-5")
    v = r[6].value
    assert len(v) <= 32767, len(v)
    assert re.search(r"\(\d+ more characters cut: an Excel cell holds 32,767\)$", v), v[-80:]
    assert v.startswith("\u00e9" * 1000)


def t_control():
    r = row_of(rows, "r-6")
    assert r[2].value.startswith("Control "), r[2].value
    assert filled(r[4])


def t_malformed():
    last = list(rows.iter_rows(min_row=2))[-1]
    assert last[0].value.startswith("csv-syntax"), last[0].value
    eq(last[1].value, 'r-7,"broken,1,USD')
    assert filled(last[1])


def t_second_input():
    ws = run["Rows 2"]
    eq([c.value for c in ws[1]], ["Errors", "Currency", "Notes", "Referral ID"])
    r = row_of(ws, "gbp")               # column B holds Currency here
    assert r[1].comment is not None and "ISO 4217" in r[1].comment.text
    eq(r[3].value, "o-1")


def problems(wb):
    ws = wb["Problems"]
    head = [c.value for c in ws[1]]
    return [dict(zip(head, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]


def t_problems():
    p = problems(run)
    eq(list(p[0].keys()), ["File", "Line", "Record", "Row", "Column", "Header",
                           "Referral ID", "Op Index", "Path", "Code", "Severity",
                           "Message"])
    cur = [x for x in p if x["Referral ID"] == "r-3" and x["Code"] == "value-format"]
    eq(len(cur), 1)
    eq((cur[0]["Column"], cur[0]["Header"], cur[0]["Row"], cur[0]["Op Index"]),
       ("D", "Currency", "4", "2"))
    g = [x for x in p if x["Referral ID"] == "o-1" and x["Code"] == "value-format"]
    eq((g[0]["Column"], g[0]["Header"]), ("A", "Currency"))
    j = [x for x in p if x["Referral ID"] == "j-1"]
    assert j and j[0]["Row"] is None and j[0]["Column"] is None, j
    assert j[0]["File"].endswith("recs.ndjson")


def t_cli_columns():
    # through the command: a cell that did not convert and an op's cell
    wb = openpyxl.load_workbook(os.path.join(d, "cli.xlsx"))
    p = problems(wb)
    conv = [x for x in p if x["Referral ID"] == "r-2" and x["Code"] == "value-format"]
    eq([(x["Column"], x["Header"], x["Row"]) for x in conv],
       [("C", "Estimated Deal Value", "3")])
    assert conv[0]["Message"].startswith(
        'row 3: column C "Estimated Deal Value": "25,000 USD" is not a number'), conv[0]
    cur = [x for x in p if x["Referral ID"] == "r-3" and x["Code"] == "value-format"]
    eq([(x["Column"], x["Header"], x["Op Index"]) for x in cur],
       [("D", "Currency", None)])
    assert cur[0]["Message"].startswith('row 4: column D "Currency": '), cur[0]
    three = [x["Column"] for x in p if x["Referral ID"] == "r-4" and x["Severity"] == "error"]
    eq(sorted(three), ["C", "D", "E"])
    whole = [x for x in p if x["Code"] == "referral-state-missing"]
    assert whole and all(x["Column"] is None and x["Header"] is None for x in whole)
    rows = wb["Rows"]
    r = row_of(rows, "r-3")
    assert r[4].comment is not None and filled(r[4]), "Currency not marked"
    # the row's own Errors cell, as in csv-rows: no row number, no letter
    assert r[0].value.startswith('value-format: column "Currency": '), r[0].value
    assert 'column "Currency": ' in r[4].comment.text, r[4].comment.text
    r = row_of(rows, "r-2")
    assert r[3].comment is not None and filled(r[3]), "Estimated Deal Value not marked"


def summary(wb):
    ws = wb["Summary"]
    return {r[0].value: r for r in ws.iter_rows() if r[0].value is not None}


def t_summary():
    s = summary(run)
    n = len(problems(run))
    eq(s["Read"][1].value, 11)
    eq(s["Errors"][1].value + s["Warnings"][1].value + s["Infos"][1].value, n)
    eq(s["value-format"][1].value, "error")
    eq(s["value-format"][2].data_type, "n")
    codes = [r for k, r in s.items() if re.match(r"^[a-z]+(-[a-z0-9]+)+$", k)]
    eq(sum(r[2].value for r in codes), n)
    eq(s["Rows 2"][1].value.endswith("other.csv"), True)


def t_chart():
    z = zipfile.ZipFile(os.path.join(d, "run.xlsx"))
    charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    eq(len(charts), 1)
    x = z.read(charts[0]).decode()
    assert "<c:barChart>" in x, x[:200]
    assert re.search(r"<c:cat>.*Summary!\$A\$\d+:\$A\$\d+", x, re.S)
    assert re.search(r"<c:val>.*Summary!\$C\$\d+:\$C\$\d+", x, re.S)


def t_json_only():
    wb = openpyxl.load_workbook(os.path.join(d, "json.xlsx"))
    eq(wb.sheetnames, ["Problems", "Summary"])
    p = problems(wb)
    eq([x["Referral ID"] for x in p if x["Severity"] == "error"], ["j-1"])
    eq(summary(wb)["Read"][1].value, 2)


def t_clean():
    wb = openpyxl.load_workbook(os.path.join(d, "clean.xlsx"))
    eq(wb.sheetnames, ["Rows", "Problems", "Summary"])
    eq([c.value for c in wb["Rows"][1]], ["Errors", "Referral ID", "Deal Name"])
    eq(wb["Rows"].max_row, 1)
    eq(wb["Problems"].max_row, 1)


for name, fn in list(globals().items()):
    if name.startswith("t_") and callable(fn):
        check(name[2:], fn)
print("1..%d" % len(results))
for i, (ok, name, why) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if why:
        print("# " + why)
