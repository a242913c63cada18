//! `mlws serve` as a batch service (`protocol.md` §5) over HTTP: the job lifecycle on the
//! emulator's own blob endpoint and on Azurite, outputs compared cell for cell with what RRS
//! answers for the same rows, failures with `Details`, cancellation, unknown ids, the int and
//! legacy status styles, and the API Management layer in front of the batch operations.
//! Inputs are put with Shared Key signatures computed by the tests (`support::serve::Storage`),
//! so the tests rely on nothing of mlws but its HTTP face.

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use support::azurite::Azurite;
use support::serve::{Emulator, Storage};

/// The batch operations of one emulator, with its keys.
struct Bes<'a> {
    emu: &'a Emulator,
    http: reqwest::Client,
}

impl<'a> Bes<'a> {
    fn new(emu: &'a Emulator) -> Self {
        Bes {
            emu,
            http: reqwest::Client::new(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!(
            "{}/{path}?api-version=2.0",
            self.emu.service_root(&self.emu.base_url)
        )
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (StatusCode, String) {
        let mut req = self
            .http
            .request(method.parse().unwrap(), self.url(path))
            .header("Authorization", format!("Bearer {}", self.emu.api_key));
        if let Some(k) = &self.emu.subscription_key {
            req = req.header("Ocp-Apim-Subscription-Key", k);
        }
        if let Some(b) = body {
            req = req
                .header("Content-Type", "application/json")
                .body(b.to_string());
        }
        let resp = req.send().await.unwrap();
        (resp.status(), resp.text().await.unwrap())
    }

    /// Submits `body`; the job id on success.
    async fn submit(&self, body: Value) -> String {
        let (s, text) = self.call("POST", "jobs", Some(body)).await;
        assert_eq!(s, StatusCode::OK, "{text}");
        let id: String = serde_json::from_str(&text).expect("the job id is a JSON string");
        assert!(
            id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()),
            "{id}"
        );
        id
    }

    async fn start(&self, id: &str) -> (StatusCode, String) {
        self.call("POST", &format!("jobs/{id}/start"), None).await
    }

    async fn status(&self, id: &str) -> Value {
        let (s, text) = self.call("GET", &format!("jobs/{id}"), None).await;
        assert_eq!(s, StatusCode::OK, "{text}");
        serde_json::from_str(&text).unwrap()
    }

    /// Polls until the job has ended (or 60 s pass).
    async fn wait(&self, id: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let st = self.status(id).await;
            let code = &st["StatusCode"];
            if ["Finished", "Failed", "Cancelled"]
                .iter()
                .any(|s| code == s)
                || code.as_u64() >= Some(2)
            {
                return st;
            }
            assert!(Instant::now() < deadline, "job {id} did not end: {st}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The RRS answer for `texts`: header row and rows, as a table.
    async fn rrs(&self, texts: &[String], params: Value) -> Vec<Vec<String>> {
        let rows: Vec<Value> = texts.iter().map(|t| json!([t])).collect();
        let body = json!({"Inputs": {"input1": {"ColumnNames": ["Col2"], "Values": rows}}, "GlobalParameters": params});
        let mut req = self
            .http
            .post(self.emu.execute_url("api-version=2.0&details=true"))
            .header("Authorization", format!("Bearer {}", self.emu.api_key));
        if let Some(k) = &self.emu.subscription_key {
            req = req.header("Ocp-Apim-Subscription-Key", k);
        }
        let v: Value = req.json(&body).send().await.unwrap().json().await.unwrap();
        let value = &v["Results"]["output1"]["value"];
        let mut table = vec![serde_json::from_value(value["ColumnNames"].clone()).unwrap()];
        table.extend(serde_json::from_value::<Vec<Vec<String>>>(value["Values"].clone()).unwrap());
        table
    }
}

/// Input rows with quotes, commas, line breaks, digits and non-ASCII text in `Col2`.
fn texts(n: usize) -> Vec<String> {
    let words = [
        "This", "is", "a", "good", "day", "Room", "101", "café", "\"so\",", "yes\nno",
    ];
    (0..n)
        .map(|i| {
            let k = 1 + i % 6;
            (0..k)
                .map(|j| words[(i * 3 + j) % words.len()])
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// A CSV file with `Id`, `Col2`, `Other` columns.
fn csv_input(texts: &[String]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["Id", "Col2", "Other"]).unwrap();
    for (i, t) in texts.iter().enumerate() {
        w.write_record([i.to_string().as_str(), t, "x"]).unwrap();
    }
    w.into_inner().unwrap()
}

fn read_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    r.records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Downloads `output1` of a status body as the sample clients do: the three parts joined.
async fn download(status: &Value) -> Vec<u8> {
    let r = &status["Results"]["output1"];
    assert_eq!(r["ConnectionString"], Value::Null);
    let (base, rel, token) = (
        r["BaseLocation"].as_str().unwrap(),
        r["RelativeLocation"].as_str().unwrap(),
        r["SasBlobToken"].as_str().unwrap(),
    );
    assert!(base.ends_with('/') && !rel.starts_with('/'), "{base} {rel}");
    assert!(token.starts_with('?') && token.contains("sp=r"), "{token}");
    let resp = reqwest::get(format!("{base}{rel}{token}")).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    resp.bytes().await.unwrap().to_vec()
}

fn key_ref(cs: &str, relative: &str) -> Value {
    json!({"ConnectionString": cs, "RelativeLocation": relative})
}

fn error_code(text: &str) -> (String, String) {
    let v: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (
        v["error"]["code"].as_str().unwrap().to_string(),
        v["error"]["details"][0]["code"]
            .as_str()
            .unwrap()
            .to_string(),
    )
}

#[tokio::test]
async fn a_job_runs_on_the_emulators_own_store_and_matches_rrs() {
    let emu = Emulator::start(&["--job-delay", "1"]);
    let cs = emu.storage_connection_string.clone();
    assert!(cs.contains("AccountName=mlwsemulator;"), "{cs}");
    assert!(
        cs.contains(&format!("BlobEndpoint={}/mlwsemulator;", emu.origin())),
        "{cs}"
    );
    let bes = Bes::new(&emu);
    let rows = texts(300);
    Storage::from_connection_string(&cs)
        .put("inputs/reviews.csv", csv_input(&rows))
        .await;
    let params = json!({"N-grams": "3"});
    let id = bes
        .submit(json!({"Inputs": {"input1": key_ref(&cs, "/inputs/reviews.csv")}, "Outputs": null, "GlobalParameters": params}))
        .await;
    assert_eq!(
        bes.status(&id).await,
        json!({"StatusCode": "NotStarted", "Results": null, "Details": null})
    );
    assert_eq!(bes.start(&id).await, (StatusCode::OK, String::new()));
    assert_eq!(bes.status(&id).await["StatusCode"], "Running");
    let (s, text) = bes.start(&id).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        error_code(&text),
        ("InvalidOperation".into(), "CannotStartJob".into())
    );
    assert!(
        text.contains("The job cannot be started because it is in Running state."),
        "{text}"
    );
    let done = bes.wait(&id).await;
    assert_eq!(done["StatusCode"], "Finished", "{done}");
    assert_eq!(done["Details"], Value::Null);
    let r = &done["Results"]["output1"];
    assert_eq!(r["RelativeLocation"], format!("mlws-jobs/{id}/output1.csv"));
    assert_eq!(r["BaseLocation"], format!("{}/mlwsemulator/", emu.origin()));
    let output = read_csv(&download(&done).await);
    assert_eq!(
        output,
        bes.rrs(&rows, params).await,
        "the batch output differs from RRS"
    );
    assert!(bes.start(&id).await.1.contains("in Finished state."));
    // DELETE of an ended job leaves it as it is, results included.
    assert_eq!(
        bes.call("DELETE", &format!("jobs/{id}"), None).await,
        (StatusCode::OK, String::new())
    );
    assert_eq!(bes.status(&id).await, done);
}

#[tokio::test]
async fn azurite_inputs_an_output_override_and_a_sas_input() {
    let Some(azurite) = Azurite::start_or_skip("azurite_inputs_an_output_override_and_a_sas_input")
    else {
        return;
    };
    let emu = Emulator::start(&[]);
    let bes = Bes::new(&emu);
    let cs = azurite.connection_string();
    let storage = Storage::from_connection_string(&cs);
    let rows = texts(200);
    storage.put("inputs/in.csv", csv_input(&rows)).await;
    let id = bes
        .submit(json!({"Inputs": {"input1": key_ref(&cs, "inputs/in.csv")},
                       "Outputs": {"output1": key_ref(&cs, "results/scored.csv")}, "GlobalParameters": {}}))
        .await;
    bes.start(&id).await;
    let done = bes.wait(&id).await;
    assert_eq!(done["StatusCode"], "Finished", "{done}");
    let r = &done["Results"]["output1"];
    assert_eq!(r["RelativeLocation"], "results/scored.csv");
    assert_eq!(r["BaseLocation"], format!("{}/", azurite.blob_endpoint()));
    let bytes = download(&done).await;
    assert_eq!(
        storage.get("results/scored.csv").await,
        (200, bytes.clone())
    );
    let want = bes.rrs(&rows, json!({})).await;
    assert_eq!(read_csv(&bytes), want);
    // The results' SAS reference as the legacy single `Input` of another job: its Col2 is the
    // same texts, so its output is the same table.
    let again = bes
        .submit(json!({"Input": r, "Outputs": null, "GlobalParameters": null}))
        .await;
    bes.start(&again).await;
    let done = bes.wait(&again).await;
    assert_eq!(done["StatusCode"], "Finished", "{done}");
    assert_eq!(read_csv(&download(&done).await), want);
}

#[tokio::test]
async fn failing_jobs_say_why_in_details() {
    let emu = Emulator::start(&[]);
    let bes = Bes::new(&emu);
    let cs = emu.storage_connection_string.clone();
    let storage = Storage::from_connection_string(&cs);
    storage.put("inputs/no-col2.csv", "Col1,Col3\n1,2\n").await;
    storage
        .put("inputs/ragged.csv", "Col1,Col2\n1,a\n2\n")
        .await;
    for (blob, why) in [
        (
            "inputs/no-col2.csv",
            "Error 0001: Column `Col2` not found in input1: its columns are `Col1`, `Col3`",
        ),
        (
            "inputs/ragged.csv",
            "line 3: found 1 fields where the header row has 2",
        ),
        ("inputs/missing.csv", "BlobNotFound"),
    ] {
        let id = bes
            .submit(json!({"Inputs": {"input1": key_ref(&cs, blob)}}))
            .await;
        bes.start(&id).await;
        let st = bes.wait(&id).await;
        assert_eq!(st["StatusCode"], "Failed", "{st}");
        assert_eq!(st["Results"], Value::Null);
        let details = st["Details"].as_str().unwrap();
        assert!(details.contains(why), "{blob}: {details}");
        assert!(!details.contains("AccountKey"), "{details}");
        assert_eq!(
            storage.get(&format!("mlws-jobs/{id}/output1.csv")).await.0,
            404
        );
    }
}

#[tokio::test]
async fn delete_cancels_jobs_that_have_not_ended() {
    let emu = Emulator::start(&["--job-delay", "30"]);
    let bes = Bes::new(&emu);
    let cs = emu.storage_connection_string.clone();
    let storage = Storage::from_connection_string(&cs);
    storage.put("inputs/in.csv", csv_input(&texts(10))).await;
    let body = json!({"Inputs": {"input1": key_ref(&cs, "inputs/in.csv")}});
    let running = bes.submit(body.clone()).await;
    bes.start(&running).await;
    assert_eq!(bes.status(&running).await["StatusCode"], "Running");
    let (s, text) = bes.call("DELETE", &format!("jobs/{running}"), None).await;
    assert_eq!((s, text.as_str()), (StatusCode::OK, ""));
    let st = bes.status(&running).await;
    assert_eq!(
        (&st["StatusCode"], &st["Results"]),
        (&json!("Cancelled"), &Value::Null)
    );
    assert!(bes.start(&running).await.1.contains("in Cancelled state."));
    let waiting = bes.submit(body).await;
    bes.call("DELETE", &format!("jobs/{waiting}"), None).await;
    assert_eq!(bes.status(&waiting).await["StatusCode"], "Cancelled");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        storage
            .get(&format!("mlws-jobs/{running}/output1.csv"))
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn unknown_jobs_are_404_after_the_common_checks() {
    let emu = Emulator::start(&[]);
    let bes = Bes::new(&emu);
    let nobody = "0123456789abcdef0123456789abcdef";
    for (method, path) in [
        ("GET", format!("jobs/{nobody}")),
        ("DELETE", format!("jobs/{nobody}")),
        ("POST", format!("jobs/{nobody}/start")),
    ] {
        let (s, text) = bes.call(method, &path, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{method} {path}");
        assert_eq!(error_code(&text), ("NotFound".into(), "JobNotFound".into()));
    }
    let http = reqwest::Client::new();
    let root = emu.service_root(&emu.base_url);
    let get = |url: String, key: &str| {
        http.get(url)
            .header("Authorization", format!("Bearer {key}"))
            .send()
    };
    let r = get(format!("{root}/jobs/{nobody}?api-version=2.0"), "wrong")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = get(format!("{root}/jobs/{nobody}"), &emu.api_key)
        .await
        .unwrap();
    assert_eq!(error_code(&r.text().await.unwrap()).1, "BadVersionCall");
    let other = format!("{}/workspaces/nope/services/{}", emu.base_url, emu.service);
    let r = get(format!("{other}/jobs/{nobody}?api-version=2.0"), "wrong")
        .await
        .unwrap();
    assert_eq!(error_code(&r.text().await.unwrap()).1, "WebServiceNotFound");
}

#[tokio::test]
async fn submit_errors_carry_the_documented_codes() {
    let emu = Emulator::start(&[]);
    let bes = Bes::new(&emu);
    let cs = emu.storage_connection_string.clone();
    let input = key_ref(&cs, "inputs/in.csv");
    for (body, code) in [
        (
            json!({"Input": input, "Inputs": {"input1": input}}),
            "DuplicateInputInBatchCall",
        ),
        (
            json!({"GlobalParameters": {}}),
            "BatchJobInputsNotSpecified",
        ),
        (json!({"Inputs": {"data": input}}), "InvalidInputNames"),
        (
            json!({"Inputs": {"input1": {"RelativeLocation": "c/in.csv"}}}),
            "MissingInputBlobInformation",
        ),
        (
            json!({"Inputs": {"input1": key_ref("AccountName=x", "c/in.csv")}}),
            "InvalidBlobConnectionString",
        ),
        (
            json!({"Inputs": {"input1": input}, "Outputs": {"output2": input}}),
            "InvalidOutputOverrideName",
        ),
        (
            json!({"Inputs": {"input1": input}, "Outputs": {"output1": key_ref(&cs, "c/m.ilearner")}}),
            "InvalidBlobExtension",
        ),
        (
            json!({"Inputs": {"input1": input}, "GlobalParameters": {"Bits": 1}}),
            "UnexpectedParameter",
        ),
    ] {
        let (s, text) = bes.call("POST", "jobs", Some(body)).await;
        assert_eq!(
            (s, error_code(&text).1.as_str()),
            (StatusCode::BAD_REQUEST, code),
            "{text}"
        );
    }
}

#[tokio::test]
async fn int_and_legacy_status_styles() {
    for style in ["int", "legacy"] {
        let emu = Emulator::start(&["--bes-status-style", style]);
        let bes = Bes::new(&emu);
        let cs = emu.storage_connection_string.clone();
        Storage::from_connection_string(&cs)
            .put("inputs/in.csv", csv_input(&texts(5)))
            .await;
        let id = bes
            .submit(json!({"Inputs": {"input1": key_ref(&cs, "inputs/in.csv")}}))
            .await;
        let st = bes.status(&id).await;
        assert_eq!(st["StatusCode"], 0, "{style}: {st}");
        bes.start(&id).await;
        let done = bes.wait(&id).await;
        assert_eq!(done["StatusCode"], 4, "{style}: {done}");
        let reference = if style == "legacy" {
            assert!(done.get("Results").is_none(), "{done}");
            done["Result"].clone()
        } else {
            assert!(done.get("Result").is_none(), "{done}");
            done["Results"]["output1"].clone()
        };
        let as_results = json!({"Results": {"output1": reference}});
        assert_eq!(read_csv(&download(&as_results).await)[1][0], texts(5)[0]);
    }
}

#[tokio::test]
async fn the_gateway_covers_the_batch_operations() {
    let emu = Emulator::start(&["--apim-suffix", "gw", "--rate-limit", "3/60"]);
    let cs = emu.storage_connection_string.clone();
    let input = json!({"Inputs": {"input1": key_ref(&cs, "inputs/in.csv")}});
    let http = reqwest::Client::new();
    let url = format!("{}/jobs?api-version=2.0", emu.service_root(&emu.base_url));
    let r = http
        .post(&url)
        .header("Authorization", format!("Bearer {}", emu.api_key))
        .json(&input)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.text().await.unwrap().contains("missing subscription key"));
    let bes = Bes::new(&emu);
    let id = bes.submit(input).await;
    assert_eq!(bes.status(&id).await["StatusCode"], "NotStarted");
    assert_eq!(
        bes.call("DELETE", &format!("jobs/{id}"), None).await.0,
        StatusCode::OK
    );
    assert_eq!(
        bes.call("GET", &format!("jobs/{id}"), None).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The blob endpoint is outside the gateway: no subscription key, no rate limit.
    let storage = Storage::from_connection_string(&cs);
    storage.put("inputs/in.csv", "Col2\nx\n").await;
    assert_eq!(
        storage.get("inputs/in.csv").await,
        (200, b"Col2\nx\n".to_vec())
    );
}

#[tokio::test]
async fn the_blob_size_cap_applies_to_uploads_and_outputs() {
    let emu = Emulator::start(&["--max-blob-size", "16K"]);
    let cs = emu.storage_connection_string.clone();
    let storage = Storage::from_connection_string(&cs);
    storage.put("inputs/in.csv", csv_input(&texts(300))).await;
    let (s, body) = storage
        .try_put("inputs/big.csv", vec![b'x'; 17 * 1024])
        .await;
    assert_eq!(s, 413, "{body}");
    assert!(body.contains("<Code>RequestBodyTooLarge</Code>"), "{body}");
    let bes = Bes::new(&emu);
    let id = bes
        .submit(json!({"Inputs": {"input1": key_ref(&cs, "inputs/in.csv")},
                       "GlobalParameters": {"Hashing bitsize": 6}}))
        .await;
    bes.start(&id).await;
    let st = bes.wait(&id).await;
    assert_eq!(st["StatusCode"], "Failed", "{st}");
    let details = st["Details"].as_str().unwrap();
    assert!(
        details.starts_with("Unable to write output1 to `mlws-jobs/") && details.contains("413"),
        "{details}"
    );
}
