//! HEAD is answered wherever GET is (RFC 9110, section 9.3.2): the request is routed as a
//! GET, and the connection sends the response's headers without its body, because it still
//! knows the request came as HEAD. A read that is logged (a recipient's record) is logged for
//! a HEAD as well: the record was read to answer it.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::Error;

/// Middleware: routes a HEAD request as the GET of the same path.
pub async fn as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}
