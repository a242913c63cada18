//! RRS execute (`protocol.md` §3): `POST {root}/execute?api-version=V&details=true`, with
//! `&format=swagger` for the row-object bodies. The body is built and the answer read by
//! `table`; here the request is only sent, tried again when that is safe (scoring is
//! idempotent), and its answer returned as bytes.

use super::{Call, Client, Gate, Replay};
use anyhow::Result;
use bytes::Bytes;
use reqwest::Method;
use url::Url;

impl Client {
    /// The execute URL. `details=true` is always asked for, so that `ColumnNames` come back
    /// (§3.4).
    pub fn execute_url(&self, swagger: bool) -> Url {
        if swagger {
            self.url(&["execute"], &[("details", "true"), ("format", "swagger")])
        } else {
            self.url(&["execute"], &[("details", "true")])
        }
    }

    /// Sends one scoring request (`body` is the serialized request JSON) and returns the body of
    /// the 2xx answer. `what` names the work in messages, e.g. "scoring input lines 2-1001".
    pub async fn execute(&self, body: Bytes, swagger: bool, what: &str) -> Result<Bytes> {
        self.execute_call(body, swagger, what, None).await
    }

    /// As [`Client::execute`], each try passing through `gate`, the limiter of requests in
    /// flight shared by the concurrent requests of one run (which it lowers when the service
    /// throttles and raises again as calls succeed).
    pub async fn execute_within(
        &self,
        gate: Gate<'_>,
        body: Bytes,
        swagger: bool,
        what: &str,
    ) -> Result<Bytes> {
        self.execute_call(body, swagger, what, Some(gate)).await
    }

    /// Sends one scoring request of any protocol to `url` (the body already written by the
    /// protocol), each try passing through `gate`, and returns the body of the 2xx answer.
    pub async fn score_within(
        &self,
        gate: Gate<'_>,
        url: &Url,
        content_type: &'static str,
        body: Bytes,
        what: &str,
    ) -> Result<Bytes> {
        let answer = self
            .send(Call {
                method: Method::POST,
                url: url.clone(),
                body: Some(body),
                what,
                content_type,
                replay: Replay::Always,
                done_if_retried: None,
                gate: Some(gate),
            })
            .await?;
        Ok(answer.body)
    }

    /// GETs a document the service publishes about itself (a swagger document, v2 model
    /// metadata), tried again as any read is.
    pub async fn get_document(&self, url: &Url, what: &str) -> Result<Bytes> {
        if self.inner.opts.dry_run {
            // A dry run may read the schema to type the cells (it sends no scoring request).
            return self.get_once(url, what).await;
        }
        let answer = self
            .send(Call {
                method: Method::GET,
                url: url.clone(),
                body: None,
                what,
                content_type: super::JSON_CONTENT_TYPE,
                replay: Replay::Always,
                done_if_retried: None,
                gate: None,
            })
            .await?;
        Ok(answer.body)
    }

    /// One GET with our headers, no retries: a dry run's read of a schema.
    async fn get_once(&self, url: &Url, what: &str) -> Result<Bytes> {
        let resp = self
            .inner
            .http
            .get(url.clone())
            .headers(self.inner.headers.clone())
            .timeout(self.inner.opts.timeout)
            .send()
            .await
            .map_err(|e| anyhow::anyhow!("{what} failed: {}", self.scrub(&e.to_string())))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.bytes().await?;
        if !status.is_success() {
            return Err(super::envelope::api_error(status.as_u16(), &headers, &body, what).into());
        }
        Ok(body)
    }

    async fn execute_call(
        &self,
        body: Bytes,
        swagger: bool,
        what: &str,
        gate: Option<Gate<'_>>,
    ) -> Result<Bytes> {
        let answer = self
            .send(Call {
                method: Method::POST,
                url: self.execute_url(swagger),
                body: Some(body),
                what,
                content_type: super::JSON_CONTENT_TYPE,
                // Scoring is idempotent: a try lost after it was sent (a dropped connection, a
                // timeout) is sent again, within the error budget.
                replay: Replay::Always,
                done_if_retried: None,
                gate,
            })
            .await?;
        Ok(answer.body)
    }
}
