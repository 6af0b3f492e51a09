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
