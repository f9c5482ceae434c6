//! The round's metric order, decided once for every table, sheet and chart:
//! the dictionary's order first, then the metrics most teams report, then
//! by name — never the order one team happened to type.

use crate::dictionary::Dictionary;
use crate::names::normalise;
use crate::plan::TeamWorkbook;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Each metric key's rank in the round (0 first).
pub(super) fn round_order(workbooks: &[&TeamWorkbook], dict: &Dictionary) -> HashMap<String, u32> {
    // Key → (teams reporting it, the name as the first team spells it).
    let mut seen: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for wb in workbooks {
        let mut own = BTreeSet::new();
        for m in &wb.metrics {
            let key = normalise(&m.name.value);
            if own.insert(key.clone()) {
                seen.entry(key).or_insert((0, m.name.value.clone())).0 += 1;
            }
        }
    }
    let mut keys: Vec<(&String, &(usize, String))> = seen.iter().collect();
    keys.sort_by(|(ka, (na, sa)), (kb, (nb, sb))| {
        let (da, db) = (dict.position(ka), dict.position(kb));
        // In the dictionary first, in its order; then most teams; then by name.
        (
            da.is_none(),
            da,
            std::cmp::Reverse(*na),
            sa.to_lowercase(),
            *ka,
        )
            .cmp(&(
                db.is_none(),
                db,
                std::cmp::Reverse(*nb),
                sb.to_lowercase(),
                *kb,
            ))
    });
    keys.into_iter()
        .enumerate()
        .map(|(i, (k, _))| (k.clone(), i as u32))
        .collect()
}
