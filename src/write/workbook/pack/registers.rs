//! The Goals sheet and the four registers (Assumptions, Asks, Risks, Ideas):
//! the teams' text across the round, as they wrote it.

use super::table::HEADER_ROW;
use super::Pack;
use crate::plan::UnitKind;
use rust_xlsxwriter::{Worksheet, XlsxError};
use std::collections::BTreeMap;

impl<'a> Pack<'_, 'a> {
    pub(super) fn goals(&mut self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        self.title(
            ws,
            "Shared (S-2) goals",
            "One row per goal ID; Listed by names every team whose workbook lists it.",
        )?;
        let mut by_id: BTreeMap<String, (Vec<String>, &crate::plan::Goal)> = BTreeMap::new();
        for wb in self.shared.input.included.iter().copied() {
            for g in &wb.goals {
                by_id
                    .entry(g.id.value.clone())
                    .or_insert_with(|| (Vec::new(), g))
                    .0
                    .push(wb.name().to_string());
            }
        }
        let headers = [
            "ID",
            "Goal",
            "Owners",
            "Listed by",
            "Due",
            "Metric",
            "Target",
        ];
        self.table(ws, "Goals", &headers, by_id.len())?;
        let rows: Vec<(String, Vec<String>, crate::plan::Goal)> = by_id
            .into_iter()
            .map(|(id, (teams, g))| (id, teams, g.clone()))
            .collect();
        for (i, (id, teams, g)) in rows.iter().enumerate() {
            let r = HEADER_ROW + 1 + i as u32;
            let v = |x: &Option<crate::plan::Val<String>>| {
                x.as_ref().map(|v| v.value.clone()).unwrap_or_default()
            };
            let values = [
                id.clone(),
                v(&g.goal),
                v(&g.owners),
                teams.join(", "),
                v(&g.due),
                v(&g.metric),
                v(&g.target),
            ];
            for (c, value) in values.iter().enumerate() {
                self.text(ws, r, c as u16, value, "Goals")?;
            }
        }
        ws.set_column_range_width(0, 6, 22)?;
        ws.set_column_width(1, 50)?;
        Ok(())
    }

    /// Fills the four register sheets (Assumptions, Asks, Risks, Ideas) into `sheets`.
    pub(super) fn registers(&mut self, sheets: &mut [Worksheet]) -> Result<(), XlsxError> {
        let v = |x: &'a Option<crate::plan::Val<String>>| {
            Entry::Text(x.as_ref().map_or("", |v| v.value.as_str()).into())
        };
        let t = |x: &'a str| Entry::Text(x.into());
        let mut assumptions = Vec::new();
        let mut asks = Vec::new();
        let mut risks = Vec::new();
        let mut ideas = Vec::new();
        for b in self.shared.input.included.iter().copied() {
            let source = |pos| Entry::Text(b.source(pos).to_string().into());
            for a in &b.assumptions {
                assumptions.push(vec![t(b.name()), t(&a.value), source(a.pos)]);
            }
            for a in &b.asks {
                asks.push(vec![
                    t(b.name()),
                    t(&a.ask.value),
                    v(&a.kind),
                    a.amount.as_ref().map_or(t(""), |x| Entry::Number(x.value)),
                    v(&a.needed_by),
                    v(&a.if_delayed),
                    source(a.ask.pos),
                ]);
            }
            for k in &b.risks {
                risks.push(vec![
                    t(b.name()),
                    t(&k.risk.value),
                    v(&k.likelihood),
                    v(&k.impact),
                    v(&k.mitigation),
                    v(&k.owner),
                    source(k.risk.pos),
                ]);
            }
            for i in &b.ideas {
                ideas.push(vec![
                    t(b.name()),
                    t(&i.question.value),
                    v(&i.answer),
                    source(i.question.pos),
                ]);
            }
        }
        let registers = [
            Register {
                name: "Assumptions",
                title: "Assumptions across teams",
                headers: vec!["Team", "Assumption", "Source"],
                rows: assumptions,
            },
            Register {
                name: "Asks",
                title: "Resource asks across teams",
                headers: vec![
                    "Team",
                    "Ask",
                    "Kind",
                    "Amount",
                    "Needed by",
                    "If delayed",
                    "Source",
                ],
                rows: asks,
            },
            Register {
                name: "Risks",
                title: "Risks and mitigations across teams",
                headers: vec![
                    "Team",
                    "Risk",
                    "Likelihood",
                    "Impact",
                    "Mitigation",
                    "Owner",
                    "Source",
                ],
                rows: risks,
            },
            Register {
                name: "Ideas",
                title: "10× thinking across teams",
                headers: vec!["Team", "Question", "Answer", "Source"],
                rows: ideas,
            },
        ];
        for (
            Register {
                name,
                title,
                headers,
                rows,
            },
            ws,
        ) in registers.into_iter().zip(sheets)
        {
            ws.set_name(name)?;
            self.page_setup(ws, name)?;
            self.title(ws, title, "Text exactly as the teams wrote it.")?;
            self.table(ws, name, &headers, rows.len())?;
            for (i, row) in rows.iter().enumerate() {
                let r = HEADER_ROW + 1 + i as u32;
                for (c, entry) in row.iter().enumerate() {
                    match entry {
                        Entry::Number(v) => {
                            ws.write_number_with_format(
                                r,
                                c as u16,
                                *v,
                                self.shared.fmt.num(UnitKind::Other, *v),
                            )?;
                        }
                        Entry::Text(text) => self.text(ws, r, c as u16, text, name)?,
                    }
                }
            }
            ws.set_column_range_width(0, headers.len() as u16 - 1, 18)?;
            ws.set_column_width(1, 60)?;
        }
        Ok(())
    }
}

/// A register sheet: its name, title, headers and rows.
struct Register<'h, 'a> {
    name: &'static str,
    title: &'static str,
    headers: Vec<&'h str>,
    rows: Vec<Vec<Entry<'a>>>,
}

/// One cell of a register: the team's text, or a number (an ask's amount).
enum Entry<'a> {
    Text(std::borrow::Cow<'a, str>),
    Number(f64),
}
