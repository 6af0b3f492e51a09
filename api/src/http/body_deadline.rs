//! A deadline for every request body.
//!
//! actix bounds the time a client may take to send its headers, but not its body: a request
//! that declares a body and never sends it held its connection, and the task reading it, for
//! ever, unauthenticated on the token endpoint too, until the server ran out of connections.
//! Here every body must arrive within [`BodyDeadline::base`], extended by one second for every
//! [`BodyDeadline::min_rate`] bytes received, so a large upload at a reasonable rate finishes
//! while a client that stalls, or trickles, is cut off. Whatever the handler made of the
//! failed read, the answer is then 408 `request_timeout`, and the connection is closed.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::rt::time::{sleep_until, Instant, Sleep};
use actix_web::web::Bytes;
use actix_web::{Error, HttpMessage, ResponseError};
use futures_util::Stream;

use super::error::ApiError;

/// How long a body may take to arrive.
#[derive(Debug, Clone, Copy)]
pub struct BodyDeadline {
    /// The time any body may take, however small.
    pub base: Duration,
    /// Bytes per second a body must keep up beyond that: each chunk received moves the
    /// deadline on by its share.
    pub min_rate: u64,
}

impl BodyDeadline {
    /// The longest a body of `bytes` may take to arrive while keeping to the deadline.
    pub fn longest(&self, bytes: u64) -> Duration {
        self.base + Duration::from_secs(bytes.div_ceil(self.min_rate.max(1)))
    }
}

impl Default for BodyDeadline {
    fn default() -> Self {
        Self {
            base: Duration::from_secs(30),
            min_rate: 32 * 1024,
        }
    }
}

/// The middleware: wraps the payload of every request that declares a body.
pub async fn limit(
    deadline: BodyDeadline,
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if !declares_body(&req) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let expired = Rc::new(Cell::new(false));
    let inner = req.take_payload();
    let started = Instant::now();
    req.set_payload(Payload::Stream {
        payload: Box::pin(Deadlined {
            inner,
            timer: Box::pin(sleep_until(started + deadline.base)),
            started,
            received: 0,
            deadline,
            expired: expired.clone(),
        }),
    });
    let res = next.call(req).await;
    if !expired.get() {
        return res.map(ServiceResponse::map_into_boxed_body);
    }
    // The body did not arrive in time: whatever the handler answered about the failed read
    // (a malformed form, an interrupted upload), the truth is a timeout.
    let timeout = timed_out();
    match res {
        Ok(res) => {
            let (req, _) = res.into_parts();
            Ok(ServiceResponse::new(req, timeout.error_response()))
        }
        Err(_) => Err(timeout.into()),
    }
}

/// 408: the body did not arrive in time. The connection is closed after it (see
/// `problem::to_response`): what is left of the body is never read.
pub fn timed_out() -> ApiError {
    ApiError::new(
        actix_web::http::StatusCode::REQUEST_TIMEOUT,
        "request_timeout",
        super::lang::Text::new("Hết thời gian chờ yêu cầu", "Request timeout"),
        super::lang::Text::new(
            "Nội dung yêu cầu không được gửi đến kịp thời hạn; kết nối sẽ bị đóng.",
            "The request body did not arrive in time; the connection is closed.",
        ),
    )
}

fn declares_body(req: &ServiceRequest) -> bool {
    let headers = req.headers();
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    length.is_some_and(|n| n > 0) || headers.contains_key(header::TRANSFER_ENCODING)
}

struct Deadlined {
    inner: Payload,
    timer: Pin<Box<Sleep>>,
    started: Instant,
    received: u64,
    deadline: BodyDeadline,
    expired: Rc<Cell<bool>>,
}

impl Stream for Deadlined {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.expired.get() {
            return Poll::Ready(Some(Err(expired_error())));
        }
        match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.received = this.received.saturating_add(chunk.len() as u64);
                let earned = Duration::from_secs_f64(
                    this.received as f64 / this.deadline.min_rate.max(1) as f64,
                );
                let until = this.started + this.deadline.base + earned;
                this.timer.as_mut().reset(until);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Pending => match this.timer.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    this.expired.set(true);
                    Poll::Ready(Some(Err(expired_error())))
                }
                Poll::Pending => Poll::Pending,
            },
            other => other,
        }
    }
}

fn expired_error() -> PayloadError {
    PayloadError::Io(std::io::Error::new(
        std::io::ErrorKind::TimedOut,
        "the request body did not arrive in time",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_a_body_may_take_grows_with_its_size() {
        let deadline = BodyDeadline::default();
        assert_eq!(deadline.longest(0), Duration::from_secs(30));
        // 20 MiB at 32 KiB/s: 640 s beyond the base.
        assert_eq!(deadline.longest(20 * 1024 * 1024), Duration::from_secs(670));
        assert_eq!(deadline.longest(1), Duration::from_secs(31));
    }
}
