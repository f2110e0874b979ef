//! [`EdgeLayer`]: the outermost layer every request passes through. It gives a
//! request from a trusted proxy its client's address, counts the request in the
//! metrics with its time, and answers a handler's panic with a 500 page, counted,
//! while the server goes on.
//!
//! Written as a plain tower service rather than with `from_fn`: axum's
//! middleware functions box a clone of everything they wrap and the future they
//! run, once a request, which the outermost layer would pay on every request
//! (pages from the cache included). This one clones an `Arc` and allocates nothing.

use crate::error::AppError;
use crate::proxies::{TrustedProxies, note_real_client};
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use std::any::Any;
use std::convert::Infallible;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

/// The layer: see the module's comment.
#[derive(Debug, Clone)]
pub struct EdgeLayer {
    proxies: Arc<TrustedProxies>,
}

impl EdgeLayer {
    /// The layer for a site behind `proxies` (none trusted: the peer is the client).
    pub fn new(proxies: Arc<TrustedProxies>) -> Self {
        Self { proxies }
    }
}

impl<S> tower::Layer<S> for EdgeLayer {
    type Service = Edge<S>;

    fn layer(&self, inner: S) -> Edge<S> {
        Edge {
            inner,
            proxies: self.proxies.clone(),
        }
    }
}

/// The service [`EdgeLayer`] wraps around `S`.
#[derive(Debug, Clone)]
pub struct Edge<S> {
    inner: S,
    proxies: Arc<TrustedProxies>,
}

impl<S> tower::Service<Request> for Edge<S>
where
    S: tower::Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = EdgeFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        note_real_client(&self.proxies, &mut request);
        let started = Instant::now();
        let state = match catch_unwind(AssertUnwindSafe(|| self.inner.call(request))) {
            Ok(future) => State::Running { future },
            Err(cause) => State::Answered {
                response: Some(panicked(cause)),
            },
        };
        EdgeFuture { state, started }
    }
}

pin_project_lite::pin_project! {
    /// The future of one request through [`Edge`].
    pub struct EdgeFuture<F> {
        #[pin]
        state: State<F>,
        started: Instant,
    }
}

pin_project_lite::pin_project! {
    /// Where a request through [`Edge`] is.
    #[project = StateProjection]
    enum State<F> {
        /// The inner service is answering.
        Running { #[pin] future: F },
        /// Answered already (the inner service panicked as it was called), or
        /// the answer has been taken.
        Answered { response: Option<Response> },
    }
}

impl<F> Future for EdgeFuture<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let response = match this.state.project() {
            StateProjection::Running { future } => {
                match catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
                    Ok(Poll::Pending) => return Poll::Pending,
                    Ok(Poll::Ready(Ok(response))) => response,
                    Ok(Poll::Ready(Err(never))) => match never {},
                    Err(cause) => panicked(cause),
                }
            }
            StateProjection::Answered { response } => match response.take() {
                Some(response) => response,
                None => panic!("EdgeFuture polled after it answered"),
            },
        };
        crate::metrics::count_response(&response, this.started.elapsed());
        Poll::Ready(Ok(response))
    }
}

/// The answer to a request whose handler panicked: logged, answered 500, and the
/// server goes on (the panic is caught on the request's own task).
fn panicked(cause: Box<dyn Any + Send + 'static>) -> Response {
    let what = cause
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| cause.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned());
    crate::metrics::metrics().panicked();
    // Logged with its cause as every internal error is.
    AppError::Internal(format!("a handler panicked: {what}")).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use axum::http::StatusCode;
    use std::net::SocketAddr;
    use tower::{Layer, ServiceExt};

    #[test]
    fn a_panic_is_answered_as_a_500_page_whatever_its_payload() {
        for payload in [
            Box::new("boom") as Box<dyn Any + Send>,
            Box::new("boom".to_owned()),
            Box::new(7_u8),
        ] {
            let response = panicked(payload);
            assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        }
    }

    fn edge<S>(inner: S, trusted: &str) -> Edge<S> {
        let proxies = TrustedProxies::parse(trusted).expect("proxies");
        EdgeLayer::new(Arc::new(proxies)).layer(inner)
    }

    fn request_from(peer: &str, forwarded_for: &str) -> Request {
        let mut request = Request::builder()
            .uri("/")
            .header("x-forwarded-for", forwarded_for)
            .body(Body::empty())
            .expect("request");
        let peer: SocketAddr = peer.parse().expect("peer");
        request.extensions_mut().insert(ConnectInfo(peer));
        request
    }

    /// The client the inner service saw, as its answer's body.
    async fn client_seen(request: Request) -> Result<Response, Infallible> {
        let client = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip().to_string())
            .unwrap_or_default();
        Ok(client.into_response())
    }

    async fn body_text(response: Response) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .expect("body");
        String::from_utf8(bytes.to_vec()).expect("text")
    }

    #[tokio::test]
    async fn the_client_behind_a_trusted_proxy_is_seen_and_no_other() {
        let service = edge(tower::service_fn(client_seen), "10.0.0.0/8");
        let trusted = service
            .clone()
            .oneshot(request_from("10.1.2.3:80", "198.51.100.7"))
            .await
            .expect("infallible");
        assert_eq!(body_text(trusted).await, "198.51.100.7");
        let untrusted = service
            .oneshot(request_from("192.0.2.9:80", "198.51.100.7"))
            .await
            .expect("infallible");
        assert_eq!(body_text(untrusted).await, "192.0.2.9");
    }

    #[tokio::test]
    async fn a_panic_while_answering_or_while_called_is_a_500() {
        let before = crate::metrics::metrics().panics();
        async fn panics(_: Request) -> Result<Response, Infallible> {
            panic!("in the future")
        }
        let response = edge(tower::service_fn(panics), "")
            .oneshot(request_from("192.0.2.9:80", ""))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);

        #[derive(Clone)]
        struct PanicsWhenCalled;
        impl tower::Service<Request> for PanicsWhenCalled {
            type Response = Response;
            type Error = Infallible;
            type Future = std::future::Ready<Result<Response, Infallible>>;
            fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
                Poll::Ready(Ok(()))
            }
            fn call(&mut self, _: Request) -> Self::Future {
                panic!("while called")
            }
        }
        let response = edge(PanicsWhenCalled, "")
            .oneshot(request_from("192.0.2.9:80", ""))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        // Other tests may panic at the same time; these two did, at least.
        assert!(crate::metrics::metrics().panics() >= before + 2);
    }
}
