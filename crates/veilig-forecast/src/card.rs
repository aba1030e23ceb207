//! What a forecast must say about itself: the model card's limits, each a stable code (the
//! web translates `forecast-limit-CODE`) with the English the command line prints.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Limit {
    pub code: &'static str,
    pub en: &'static str,
}

pub const LIMITS: &[Limit] = &[
    Limit {
        code: "feedback-loop",
        en: "Feedback loop: patrols sent to flagged cells find and record more there, which raises those cells in the next forecast. Judge the forecast on victim-reported offences, and read weeks when it steered patrols as contaminated.",
    },
    Limit {
        code: "place-only",
        en: "Place-based only: the forecast ranks grid cells from past recorded offences; it says nothing about people and uses no person data.",
    },
    Limit {
        code: "recorded-only",
        en: "Recorded offences only: places where victims report less look safer than they are.",
    },
    Limit {
        code: "baseline",
        en: "A method is shown only when its backtest beats the plain count of past offences per cell; otherwise the count itself is shown.",
    },
    Limit {
        code: "locations",
        en: "Locations are as recorded (often snapped to a street or intersection), so a cell stands for its surroundings, not a single address.",
    },
];
