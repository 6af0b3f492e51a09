//! A tiny HTTP client over ureq that answers every status as a [`Resp`].

use serde_json::Value;

pub struct Request<'a> {
    req: ureq::Request,
    _agent: &'a ureq::Agent,
}

impl<'a> Request<'a> {
    pub fn new(agent: &'a ureq::Agent, method: &str, url: String) -> Self {
        Self {
            req: agent.request(method, &url),
            _agent: agent,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.req = self.req.set(name, value);
        self
    }

    pub fn bearer(self, token: &str) -> Self {
        self.header("Authorization", &format!("Bearer {token}"))
    }

    pub fn send(self) -> Resp {
        Resp::from(self.req.call())
    }

    pub fn json(self, body: Value) -> Resp {
        Resp::from(self.req.send_json(body))
    }

    pub fn body(self, content_type: &str, body: &str) -> Resp {
        Resp::from(self.req.set("Content-Type", content_type).send_string(body))
    }

    pub fn bytes(self, content_type: &str, body: &[u8]) -> Resp {
        Resp::from(self.req.set("Content-Type", content_type).send_bytes(body))
    }

    pub fn form(self, fields: &[(&str, &str)]) -> Resp {
        Resp::from(self.req.send_form(fields))
    }
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    headers: Vec<(String, String)>,
    pub body: String,
    /// The body's bytes, for downloads.
    pub raw: Vec<u8>,
}

impl Resp {
    fn from(result: Result<ureq::Response, ureq::Error>) -> Self {
        let response = match result {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("transport error: {e}"),
        };
        let status = response.status();
        let headers = response
            .headers_names()
            .into_iter()
            .filter_map(|n| {
                response
                    .header(&n)
                    .map(|v| (n.to_ascii_lowercase(), v.to_owned()))
            })
            .collect();
        let mut raw = Vec::new();
        let _ = std::io::Read::read_to_end(&mut response.into_reader(), &mut raw);
        let body = String::from_utf8_lossy(&raw).into_owned();
        Self {
            status,
            headers,
            body,
            raw,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// Asserts the response is a problem document with this status and code.
    pub fn assert_problem(&self, status: u16, code: &str) -> Value {
        assert_eq!(self.status, status, "status; body: {}", self.body);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "content type; body: {}",
            self.body
        );
        let body = self.json();
        assert_eq!(body["code"], code, "code; body: {}", self.body);
        assert_eq!(body["status"], status);
        assert!(
            body["request_id"].as_str().is_some_and(|s| !s.is_empty()),
            "request id missing: {}",
            self.body
        );
        body
    }

    /// Asserts the response is a 422 `validation_failed` and answers each refused field with
    /// its code, in the order given.
    pub fn refused_fields(&self) -> Vec<(String, String)> {
        let problem = self.assert_problem(422, "validation_failed");
        problem["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("no errors: {problem}"))
            .iter()
            .map(|e| {
                (
                    e["field"].as_str().unwrap_or_default().to_owned(),
                    e["code"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    /// [`Resp::refused_fields`]'s first field and code.
    pub fn refused_field(&self) -> (String, String) {
        self.refused_fields()
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no refused field: {}", self.body))
    }
}
