use serde::Serialize;
use serde_json::{Map, Value};

use crate::cli::DiscoverArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;
use crate::provider::discovery::DocKind;
use crate::provider::{discovery, ProviderSpec, DISCOVERY_KEYS};

/// `discover --json`: where the document was found, and the document as served.
#[derive(Serialize)]
struct DiscoverReport<'a> {
    issuer: &'a str,
    source: &'a str,
    kind: &'a DocKind,
    metadata: &'a Map<String, Value>,
}

pub fn run(args: &DiscoverArgs, ctx: &Context) -> Result<()> {
    let (issuer, preferred) = match &args.issuer {
        Some(i) => (i.clone(), None),
        None => {
            let p = ctx.provider_static(&ProviderSpec::default()).map_err(|e| {
                if e.message == "no provider given" {
                    Error::usage("give an issuer URL or a provider").with_hint(
                        "oauthctl discover https://auth.example.com, or oauthctl discover -p NAME",
                    )
                } else {
                    e
                }
            })?;
            let issuer = p.spec.issuer.clone().ok_or_else(|| {
                let ex = p.spec.issuer_example.clone().unwrap_or_else(|| "https://auth.example.com".into());
                Error::input(format!("provider `{}` has no issuer to discover", p.name)).with_hint(format!(
                    "set `issuer = \"{ex}\"` in the [providers.{}] table of the config file, or run `oauthctl discover ISSUER`",
                    p.name
                ))
            })?;
            (issuer, p.spec.discovery_path.clone())
        }
    };
    let http = ctx.http()?;
    let rt = ctx.runtime()?;
    let d = rt.block_on(discovery::fetch(http, &issuer, preferred.as_deref()))?;
    if let Err(w) = discovery::store(&d) {
        ctx.ui
            .warn(&format!("could not cache the discovery document: {w}"));
    }
    ctx.ui
        .info(&format!("Found {} at {}", d.kind.describe(), d.url));
    if ctx.global.json {
        return output::json(&DiscoverReport {
            issuer: &d.issuer,
            source: &d.url,
            kind: &d.kind,
            metadata: &d.document,
        });
    }
    let mut t = output::table(&["FIELD", "VALUE"]);
    let mut keys: Vec<&String> = d.document.keys().collect();
    // The fields oauthctl uses first, in RFC 8414 order; then the rest alphabetically.
    keys.sort_by_key(|k| {
        (
            DISCOVERY_KEYS
                .iter()
                .position(|x| x == k)
                .unwrap_or(usize::MAX),
            (*k).clone(),
        )
    });
    for k in keys {
        let v = &d.document[k.as_str()];
        let shown = match v {
            Value::String(s) => s.clone(),
            Value::Array(a) if a.iter().all(Value::is_string) => a
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" "),
            other => other.to_string(),
        };
        t.add_row(vec![k.clone(), shown]);
    }
    output::print_table(&t)
}
