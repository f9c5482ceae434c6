"""The Python routes finance teams use today, for comparison with op1.

Consolidates an OP1 round the way a careful analyst would script it: read the
Team, Plan and Resources sheets of every workbook, convert money to the
reporting currency with the round's rates, build the long table (team x metric
x track) and a metric x track summary, and write both to one xlsx.

    python consolidate.py pandas ROUND_DIR OUT.xlsx   # pandas + openpyxl
    python consolidate.py polars ROUND_DIR OUT.xlsx   # polars + fastexcel (calamine) + xlsxwriter
"""

import os
import sys
import tomllib

TRACKS = ["LY Target", "LY Actual", "Baseline", "Flat", "Investment"]
EXTENSIONS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


def workbooks(root):
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(("~$", ".")) or not name.lower().endswith(EXTENSIONS):
                continue
            found.append(os.path.join(folder, name))
    return found


def settings(root):
    path = os.path.join(root, "op1.toml")
    if not os.path.exists(path):
        return "USD", {}
    with open(path, "rb") as f:
        s = tomllib.load(f)
    return s.get("reporting_currency", "USD"), s.get("fx", {})


def team_info(pairs):
    info = {}
    for label, value in pairs:
        if isinstance(label, str):
            info[label.strip().rstrip(":").lower()] = value
    return info


def rate_of(unit, reporting, fx):
    if not isinstance(unit, str) or len(unit) != 3 or not unit.isupper():
        return 1.0
    return 1.0 if unit == reporting else fx[unit]


def with_pandas(root, out):
    import pandas as pd

    reporting, fx = settings(root)
    longs = []
    resources = []
    for path in workbooks(root):
        sheets = pd.read_excel(path, sheet_name=["Team", "Plan", "Resources"], engine="openpyxl", header=None)
        info = team_info(sheets["Team"].iloc[:, :2].itertuples(index=False))
        team, currency = info["team"], info.get("currency") or reporting
        plan = sheets["Plan"]
        plan.columns = plan.iloc[0]
        plan = plan.iloc[1:]
        plan["Baseline"] = plan["Baseline"].fillna(plan["LY Actual"])
        long = plan.melt(id_vars=["Metric", "Unit"], value_vars=TRACKS, var_name="track", value_name="value").dropna(subset=["value"])
        long["team"] = team
        long["value_reporting"] = long["value"].astype(float) * long["Unit"].map(lambda u: rate_of(u, reporting, fx))
        longs.append(long)
        res = sheets["Resources"]
        res.columns = res.iloc[0]
        res = res.iloc[1:].copy()
        res["team"] = team
        res["rate"] = rate_of(currency, reporting, fx)
        resources.append(res)
    long = pd.concat(longs, ignore_index=True)
    ratio = long["Unit"] == "%"
    summary = pd.concat(
        [
            long[~ratio].groupby(["Metric", "track"], as_index=False)["value_reporting"].sum(),
            long[ratio].groupby(["Metric", "track"], as_index=False)["value_reporting"].mean(),
        ]
    )
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        summary.to_excel(writer, sheet_name="Summary", index=False)
        long.to_excel(writer, sheet_name="Long", index=False)
        pd.concat(resources, ignore_index=True).to_excel(writer, sheet_name="Resources", index=False)


def with_polars(root, out):
    import polars as pl
    import xlsxwriter

    reporting, fx = settings(root)
    longs = []
    resources = []
    for path in workbooks(root):
        sheets = pl.read_excel(path, sheet_name=["Team", "Plan", "Resources"], engine="calamine", has_header=False, infer_schema_length=0)
        team_sheet = sheets["Team"]
        info = team_info(zip(team_sheet[:, 0].to_list(), team_sheet[:, 1].to_list()))
        team, currency = info["team"], info.get("currency") or reporting
        plan = sheets["Plan"]
        plan = plan.rename(dict(zip(plan.columns, [str(v) for v in plan.row(0)]))).slice(1)
        plan = plan.with_columns([pl.col(t).cast(pl.Float64) for t in TRACKS])
        plan = plan.with_columns(pl.col("Baseline").fill_null(pl.col("LY Actual")))
        long = (
            plan.unpivot(index=["Metric", "Unit"], on=TRACKS, variable_name="track", value_name="value")
            .drop_nulls("value")
            .with_columns(
                pl.lit(team).alias("team"),
                (pl.col("value") * pl.col("Unit").map_elements(lambda u: rate_of(u, reporting, fx), return_dtype=pl.Float64)).alias("value_reporting"),
            )
        )
        longs.append(long)
        res = sheets["Resources"]
        res = res.rename(dict(zip(res.columns, [str(v) for v in res.row(0)]))).slice(1)
        resources.append(res.with_columns(pl.lit(team).alias("team"), pl.lit(rate_of(currency, reporting, fx)).alias("rate")))
    long = pl.concat(longs)
    summary = long.group_by(["Metric", "track"]).agg(
        pl.when(pl.col("Unit").first() == "%").then(pl.col("value_reporting").mean()).otherwise(pl.col("value_reporting").sum()).alias("value")
    ).sort(["Metric", "track"])
    with xlsxwriter.Workbook(out) as wb:
        summary.write_excel(workbook=wb, worksheet="Summary")
        long.write_excel(workbook=wb, worksheet="Long")
        pl.concat(resources, how="diagonal").write_excel(workbook=wb, worksheet="Resources")


if __name__ == "__main__":
    mode, root, out = sys.argv[1:4]
    {"pandas": with_pandas, "polars": with_polars}[mode](root, out)
