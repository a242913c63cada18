//! The Azurite harness the binary tests rely on (`tests/support/azurite.rs`): each test gets its
//! own instance on a free port, its connection string points at it, it speaks the Blob REST
//! protocol (an unsigned request is refused with Azure's XML error), and it is gone on drop.
//! Without Azurite the tests print a SKIPPED line, or fail when `CI` is set.

mod support;

use support::azurite::{ACCOUNT, Azurite};

#[test]
fn each_instance_listens_on_its_own_port_and_refuses_unsigned_requests() {
    let Some(a) = Azurite::start_or_skip("each_instance_listens_on_its_own_port") else {
        return;
    };
    let Some(b) = Azurite::start_or_skip("each_instance_listens_on_its_own_port") else {
        return;
    };
    assert_ne!(a.port(), b.port());
    let cs = a.connection_string();
    assert!(
        cs.contains(&format!(
            "BlobEndpoint=http://127.0.0.1:{}/{ACCOUNT};",
            a.port()
        )),
        "{cs}"
    );
    assert!(cs.contains(&format!("AccountName={ACCOUNT};")), "{cs}");

    let rt = tokio::runtime::Runtime::new().unwrap();
    let url = format!("{}/nocontainer/x.csv", a.blob_endpoint());
    let (status, body) = rt.block_on(async {
        let r = reqwest::get(&url).await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    });
    assert!(matches!(status, 403 | 404), "{status} {body}");
    assert!(
        body.contains("<Error>") && body.contains("<Code>"),
        "{body}"
    );
}

#[test]
fn dropping_the_handle_stops_azurite() {
    let Some(a) = Azurite::start_or_skip("dropping_the_handle_stops_azurite") else {
        return;
    };
    let addr = format!("127.0.0.1:{}", a.port());
    assert!(std::net::TcpStream::connect(&addr).is_ok());
    drop(a);
    assert!(
        std::net::TcpStream::connect(&addr).is_err(),
        "azurite still listens on {addr}"
    );
}
