//! The router: a request's path (looked up in the profile's routes) and method pick
//! its handler. The only file that knows every endpoint; it also plugs the mock into
//! the serve loop of `http`.

use std::sync::Arc;
use std::time::Duration;

use hyper::Method;

use super::app::App;
use super::errors::OAuthError;
use super::http::{Handler, Out, Req};
use super::options::RequestRecord;
use super::profile::Route;
use super::{
    authorize, device, discovery, end_session, introspection, par, register, token, userinfo,
};

/// The mock's [`Handler`]: routing, injected latency, errors and the request log.
pub struct Router {
    app: Arc<App>,
}

impl Router {
    pub fn new(app: Arc<App>) -> Router {
        Router { app }
    }
}

impl Handler for Router {
    fn latency(&self) -> Duration {
        self.app.state().faults.latency
    }
    fn answer(&self, req: &Req) -> Out {
        dispatch(&self.app, req)
    }
    fn error(&self, e: &OAuthError) -> Out {
        self.app.error(e)
    }
    fn record(&self, rec: &RequestRecord) {
        self.app.record(rec);
    }
}

fn not_found(app: &App, req: &Req) -> Out {
    let mut paths: Vec<&String> = app.profile.routes.keys().collect();
    paths.sort();
    let list: Vec<&str> = paths.iter().map(|p| p.as_str()).collect();
    app.error(&OAuthError::not_found(format!(
        "no endpoint at {} on this mock of {}; it serves: {}",
        req.path,
        app.profile.display_name(),
        list.join(", ")
    )))
}

fn method_not_allowed(app: &App, allowed: &str) -> Out {
    app.error(&OAuthError::invalid_request(format!("use {allowed} here")).status(405))
        .header("Allow", allowed.to_string())
}

/// Routes one request to its handler.
pub fn dispatch(app: &App, req: &Req) -> Out {
    let Some(route) = app.profile.routes.get(&req.path).cloned() else {
        return not_found(app, req);
    };
    let m = &req.method;
    match route {
        Route::Authorize if m == Method::GET || m == Method::POST => authorize::authorize(app, req),
        Route::Authorize => method_not_allowed(app, "GET, POST"),
        Route::Token | Route::Refresh if m == Method::POST => {
            token::token(app, req, route == Route::Refresh)
        }
        Route::Token | Route::Refresh => method_not_allowed(app, "POST"),
        Route::DeviceVerify if m == Method::GET || m == Method::POST => {
            device::device_verify(app, req)
        }
        Route::DeviceVerify => method_not_allowed(app, "GET, POST"),
        Route::Userinfo => userinfo::userinfo(app, req),
        Route::Resource(p) if m == Method::GET => userinfo::resource(app, req, &p),
        Route::Resource(_) => method_not_allowed(app, "GET"),
        Route::Registration if m == Method::POST => register::register(app, req),
        Route::DeviceAuthorization if m == Method::POST => device::device_authorization(app, req),
        Route::Revocation if m == Method::POST => introspection::revoke(app, req),
        Route::Introspection if m == Method::POST => introspection::introspect(app, req),
        Route::Par if m == Method::POST => par::push(app, req),
        Route::Registration
        | Route::Par
        | Route::DeviceAuthorization
        | Route::Revocation
        | Route::Introspection => method_not_allowed(app, "POST"),
        Route::Jwks if m == Method::GET => discovery::jwks(),
        Route::Discovery if m == Method::GET => discovery::discovery(app),
        Route::Jwks | Route::Discovery => method_not_allowed(app, "GET"),
        Route::EndSession if m == Method::GET || m == Method::POST => {
            end_session::end_session(app, req)
        }
        Route::EndSession => method_not_allowed(app, "GET, POST"),
    }
}
