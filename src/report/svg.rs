//! The sequence diagram, as inline SVG: one lifeline per actor, one numbered arrow per
//! step with its status and time, the failing step in red.

use super::escape::esc;
use super::model::{Report, Step};

const COL: usize = 170;
const ROW: usize = 34;
const TOP: usize = 56;

fn arrow(out: &mut String, st: &Step, x1: usize, x2: usize, y: usize) {
    let class = if st.failing {
        "arrow failing"
    } else if st.is_error() {
        "arrow error"
    } else if st.status().is_none() {
        "arrow handoff"
    } else {
        "arrow"
    };
    let label = match st.status() {
        Some(_) => format!(
            "{}. {} — {} · {:.0} ms",
            st.number,
            st.title(),
            st.status_label(),
            st.time_ms
        ),
        None => format!("{}. {}", st.number, st.title()),
    };
    let label: String = label.chars().take(70).collect();
    let a = x1.min(x2);
    out.push_str(&format!(
        "<g class=\"{class}\"><a href=\"#step-{n}\"><title>{t}</title>\
         <line x1=\"{x1}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" marker-end=\"url(#head)\"/>\
         <text x=\"{tx}\" y=\"{ty}\">{l}</text></a></g>\n",
        n = st.number,
        t = esc(&label),
        tx = a + 8,
        ty = y - 6,
        l = esc(&label),
    ));
}

/// The diagram of `r`'s steps.
pub fn diagram(r: &Report) -> String {
    let n = r.actors.len().max(1);
    let width = n * COL;
    let height = TOP + (r.steps.len() + 1) * ROW;
    let x_of = |name: &str| {
        let i = r.actors.iter().position(|a| a == name).unwrap_or(0);
        i * COL + COL / 2
    };
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sequence\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" role=\"img\" aria-label=\"sequence diagram of the flow\">\n\
         <defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" \
         markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" \
         class=\"head\"/></marker></defs>\n"
    );
    for a in &r.actors {
        let x = x_of(a);
        out.push_str(&format!(
            "<g class=\"actor\"><rect x=\"{rx}\" y=\"8\" width=\"{w}\" height=\"28\" rx=\"6\"/>\
             <text x=\"{x}\" y=\"27\" text-anchor=\"middle\">{name}</text>\
             <line class=\"life\" x1=\"{x}\" y1=\"36\" x2=\"{x}\" y2=\"{height}\"/></g>\n",
            rx = x - COL / 2 + 8,
            w = COL - 16,
            name = esc(&a.chars().take(24).collect::<String>()),
        ));
    }
    for (i, st) in r.steps.iter().enumerate() {
        let y = TOP + (i + 1) * ROW;
        arrow(&mut out, st, x_of(&st.from), x_of(&st.to), y);
    }
    out.push_str("</svg>");
    out
}
