//! The committed contract matches the code, and the docs are served offline.

use tgpl_tests::TestApp;

fn first_difference(committed: &str, generated: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (committed.lines().collect(), generated.lines().collect());
    let at = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let from = at.saturating_sub(3);
    let show = |lines: &[&str], sign: char| -> String {
        lines
            .iter()
            .enumerate()
            .skip(from)
            .take(10)
            .map(|(i, l)| format!("{sign} {:>5} {l}\n", i + 1))
            .collect()
    };
    format!(
        "first difference at line {}:\n--- committed openapi.yaml\n{}+++ generated\n{}",
        at + 1,
        show(&a, '-'),
        show(&b, '+')
    )
}

#[test]
fn the_committed_openapi_yaml_is_the_generated_one() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let generated = tgpl_api::openapi::yaml();
    assert!(
        committed == generated,
        "openapi.yaml is out of date; regenerate it with `cargo run -p tgpl-api -- openapi > openapi.yaml`\n{}",
        first_difference(&committed, &generated)
    );
}

#[test]
fn the_served_document_is_openapi_3_1_and_complete() {
    let app = TestApp::spawn_empty();
    let r = app.request("GET", "/api/v1/openapi.json").send();
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let served: serde_json::Value =
        serde_json::from_str(&tgpl_api::openapi::document().to_json().unwrap()).unwrap();
    assert_eq!(doc, served);
    for path in [
        "/api/v1/auth/token",
        "/api/v1/organizations/{id}",
        "/api/v1/audit-log",
        "/health/ready",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    assert!(doc["components"]["securitySchemes"].get("bearer").is_some());
}

#[test]
fn swagger_ui_is_served_from_the_binary() {
    let app = TestApp::spawn_empty();
    let r = app.request("GET", "/docs").send();
    assert_eq!((r.status, r.header("location")), (302, Some("/docs/")));
    let r = app.request("GET", "/docs/").send();
    assert_eq!(r.status, 200);
    assert!(r.body.contains("swagger-ui"), "{}", r.body);
    for asset in [
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-initializer.js",
    ] {
        let r = app.request("GET", &format!("/docs/{asset}")).send();
        assert_eq!(r.status, 200, "{asset}");
        assert!(r.body.len() > 100, "{asset}");
    }
    assert!(app
        .request("GET", "/docs/swagger-initializer.js")
        .send()
        .body
        .contains("/api/v1/openapi.json"));
}

fn document() -> serde_json::Value {
    serde_json::from_str(&tgpl_api::openapi::document().to_json().unwrap()).unwrap()
}

/// The committed file read as YAML 1.2, as JSON. (CI reads it as YAML 1.1 too, with PyYAML.)
fn committed_as_json() -> serde_json::Value {
    use serde_json::Value;
    use yaml_rust2::Yaml;
    fn convert(y: &Yaml) -> Value {
        match y {
            Yaml::Null => Value::Null,
            Yaml::Boolean(b) => Value::Bool(*b),
            Yaml::Integer(i) => Value::from(*i),
            Yaml::Real(r) => Value::from(r.parse::<f64>().unwrap()),
            Yaml::String(s) => Value::String(s.clone()),
            Yaml::Array(items) => Value::Array(items.iter().map(convert).collect()),
            Yaml::Hash(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        let key = k
                            .as_str()
                            .unwrap_or_else(|| panic!("a key that is not a string: {k:?}"));
                        (key.to_owned(), convert(v))
                    })
                    .collect(),
            ),
            other => panic!("unexpected YAML node {other:?}"),
        }
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let docs = yaml_rust2::YamlLoader::load_from_str(&text).unwrap();
    convert(&docs[0])
}

#[test]
fn the_committed_yaml_means_the_served_document() {
    assert_eq!(committed_as_json(), document());
}

fn operations(doc: &serde_json::Value) -> Vec<(String, String, serde_json::Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if op.get("responses").is_some() {
                out.push((method.to_uppercase(), path.clone(), op.clone()));
            }
        }
    }
    out
}

#[test]
fn operation_ids_are_unique_and_read_as_identifiers() {
    let doc = document();
    let mut seen = std::collections::BTreeMap::new();
    for (method, path, op) in operations(&doc) {
        let id = op["operationId"].as_str().unwrap_or_default().to_owned();
        assert!(
            id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && id.chars().all(|c| c.is_ascii_alphanumeric()),
            "{method} {path}: operationId {id:?} is not lowerCamelCase"
        );
        if let Some(other) = seen.insert(id.clone(), format!("{method} {path}")) {
            panic!("operationId {id} is used by {other} and {method} {path}");
        }
    }
}

/// A schema that refuses unknown properties cannot be extended with `allOf`: no instance
/// would satisfy both.
#[test]
fn no_closed_schema_is_extended() {
    let doc = document();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    fn walk(
        node: &serde_json::Value,
        at: &str,
        schemas: &serde_json::Map<String, serde_json::Value>,
    ) {
        match node {
            serde_json::Value::Object(map) => {
                for part in map
                    .get("allOf")
                    .and_then(|a| a.as_array())
                    .into_iter()
                    .flatten()
                {
                    if let Some(name) = part["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
                        assert_ne!(
                            schemas[name]["additionalProperties"],
                            serde_json::Value::Bool(false),
                            "{at} extends the closed schema {name}"
                        );
                    }
                }
                for (key, value) in map {
                    walk(value, &format!("{at}/{key}"), schemas);
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    walk(item, at, schemas);
                }
            }
            _ => {}
        }
    }
    walk(&doc, "", schemas);
}

/// The answers of the shared layers are in the contract of every operation that can give them.
#[test]
fn framework_answers_are_declared() {
    let doc = document();
    for (method, path, op) in operations(&doc) {
        let declared = |status: &str| op["responses"].get(status).is_some();
        let body = op.get("requestBody");
        let json_body = body.is_some_and(|b| b["content"].get("application/json").is_some());
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        let has = |place: &str| params.iter().any(|p| p["in"] == place);
        let expected = [
            ("400", json_body),
            ("413", body.is_some()),
            ("415", body.is_some()),
            ("422", json_body || has("query")),
            (
                "404",
                has("path")
                    || params.iter().any(|p| {
                        p["in"] == "query" && p["name"].as_str().unwrap().ends_with("_id")
                    }),
            ),
            ("503", path != "/health/live"),
        ];
        for (status, applies) in expected {
            assert!(
                !applies || declared(status),
                "{method} {path} does not declare {status}"
            );
        }
    }
}

/// The contract says which operations take a token, and the server agrees: asked without
/// one, every operation with `security` answers 401 and every other answers something else.
#[test]
fn the_operations_that_take_a_token_are_those_the_contract_says() {
    let app = TestApp::spawn_empty();
    for (method, path, op) in operations(&document()) {
        let takes_token = op
            .get("security")
            .and_then(|s| s.as_array())
            .is_some_and(|s| !s.is_empty());
        let concrete = path
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    "00000000-0000-7000-8000-000000000000"
                } else {
                    segment
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let status = app.request(&method, &concrete).send().status;
        assert_eq!(
            status == 401,
            takes_token,
            "{method} {path} answered {status} without a token"
        );
    }
}

/// Every error the contract declares, shared or an operation's own, is a problem document.
#[test]
fn every_error_is_a_problem_document() {
    let doc = document();
    let shared = &doc["components"]["responses"];
    for (method, path, op) in operations(&doc) {
        for (status, response) in op["responses"].as_object().unwrap() {
            if !(status.starts_with('4') || status.starts_with('5')) {
                continue;
            }
            let response = match response["$ref"].as_str() {
                Some(r) => &shared[r.rsplit('/').next().unwrap()],
                None => response,
            };
            let types: Vec<&String> = response["content"].as_object().unwrap().keys().collect();
            assert_eq!(
                types,
                ["application/problem+json"],
                "{method} {path} {status}"
            );
        }
    }
}
