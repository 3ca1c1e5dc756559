//! `oauthctl call`: an authorized request to the provider's API, like `gh api`.

use crate::api::{self, ApiRequest};
use crate::cli::CallArgs;
use crate::context::Context;
use crate::error::Result;
use crate::output::response;
use crate::provider::ProviderSpec;

pub fn run(args: &CallArgs, ctx: &Context) -> Result<()> {
    let provider = ctx
        .runtime()?
        .block_on(ctx.provider(&ProviderSpec::default()))?;
    let request = ApiRequest {
        method: ApiRequest::method(args.method.as_deref(), args.data.is_some())?,
        target: args.target.clone(),
        headers: args.headers.clone(),
        body: args.data.as_deref().map(api::read_data).transpose()?,
        any_host: args.any_host,
    };
    let (req, resp) = request.send(ctx, &provider)?;
    ctx.ui.info(&response::status_line(&resp));
    response::body(&resp, ctx.global.json)?;
    if resp.is_success() {
        return Ok(());
    }
    Err(api::refusal(ctx, &provider, &req, &resp))
}
