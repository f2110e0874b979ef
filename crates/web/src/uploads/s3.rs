//! An S3-compatible bucket, spoken to directly: objects put and got by path-style
//! URLs (`{endpoint}/{bucket}/{key}`), each request signed with AWS Signature
//! Version 4 (HMAC-SHA256 over a canonical form of the request). Credentials come
//! from the usual environment variables: `AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, optionally `AWS_SESSION_TOKEN`, `AWS_REGION` (or
//! `AWS_DEFAULT_REGION`, else `us-east-1`) and, for servers other than Amazon's,
//! `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`. The endpoint is the operator's, so
//! it may be on a private network.
//!
//! Written here rather than with an SDK: two operations need a few dozen lines,
//! where the SDK would add hundreds of crates to the build.

use crate::outbound::{self, Outgoing};
use axum::body::Bytes;
use ponder_core::text::hex;
use ponder_core::time::DateTime;
use ponder_core::webhooks::hmac_sha256;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// The largest object read back (an upload is at most a few megabytes).
const MAX_OBJECT_BYTES: usize = 16 * 1024 * 1024;

/// A bucket and where its objects go.
#[derive(Clone)]
pub struct Bucket {
    endpoint: String,
    bucket: String,
    prefix: String,
    region: String,
    access_key: String,
    secret_key: String,
    session_token: Option<String>,
}

impl std::fmt::Debug for Bucket {
    /// Never the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bucket")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

impl Bucket {
    /// The bucket of `bucket/prefix` (what follows `s3://`), with credentials and
    /// endpoint from the environment.
    pub fn from_environment(location: &str) -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let (bucket, prefix) = location.split_once('/').unwrap_or((location, ""));
        if bucket.is_empty() {
            return Err("--uploads-url s3:// needs a bucket: s3://bucket/prefix".into());
        }
        let region = var("AWS_REGION")
            .or_else(|| var("AWS_DEFAULT_REGION"))
            .unwrap_or_else(|| "us-east-1".into());
        let endpoint = var("AWS_ENDPOINT_URL_S3")
            .or_else(|| var("AWS_ENDPOINT_URL"))
            .unwrap_or_else(|| format!("https://s3.{region}.amazonaws.com"));
        let mut found = Self::new(
            &endpoint,
            bucket,
            prefix,
            &region,
            &var("AWS_ACCESS_KEY_ID")
                .ok_or("uploads to S3 need AWS_ACCESS_KEY_ID in the environment")?,
            &var("AWS_SECRET_ACCESS_KEY")
                .ok_or("uploads to S3 need AWS_SECRET_ACCESS_KEY in the environment")?,
        );
        found.session_token = var("AWS_SESSION_TOKEN");
        Ok(found)
    }

    /// A bucket named outright: objects under `prefix` in `bucket` at `endpoint`
    /// (`http(s)://host[:port]`), signed for `region` with this key pair.
    pub fn new(
        endpoint: &str,
        bucket: &str,
        prefix: &str,
        region: &str,
        access_key: &str,
        secret_key: &str,
    ) -> Self {
        Self {
            endpoint: endpoint.trim_end_matches('/').to_owned(),
            bucket: bucket.to_owned(),
            prefix: prefix.trim_matches('/').to_owned(),
            region: region.to_owned(),
            access_key: access_key.to_owned(),
            secret_key: secret_key.to_owned(),
            session_token: None,
        }
    }

    /// Makes the bucket (a first set-up; an existing one of ours is fine).
    pub async fn create(&self) -> Result<(), String> {
        let answer = self
            .send(
                hyper::Method::PUT,
                &format!("/{}", self.bucket),
                Bytes::new(),
                None,
            )
            .await?;
        match answer.status {
            200..=299 | 409 => Ok(()),
            status => Err(format!("the server answered {status} to making the bucket")),
        }
    }

    /// The path of object `name`: `/{bucket}/{prefix}/{name}`.
    fn path(&self, name: &str) -> String {
        if self.prefix.is_empty() {
            format!("/{}/{name}", self.bucket)
        } else {
            format!("/{}/{}/{name}", self.bucket, self.prefix)
        }
    }

    /// Stores `bytes` as object `name`.
    pub async fn put(&self, name: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), String> {
        let answer = self
            .send(
                hyper::Method::PUT,
                &self.path(name),
                Bytes::from(bytes),
                Some(content_type),
            )
            .await?;
        match answer.status {
            200..=299 => Ok(()),
            status => Err(format!(
                "the bucket answered {status} to storing {name}: {}",
                String::from_utf8_lossy(&answer.body[..answer.body.len().min(300)])
            )),
        }
    }

    /// Object `name`'s bytes, if it exists.
    pub async fn get(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        let answer = self
            .send(hyper::Method::GET, &self.path(name), Bytes::new(), None)
            .await?;
        match answer.status {
            200..=299 => Ok(Some(answer.body.to_vec())),
            404 => Ok(None),
            status => Err(format!("the bucket answered {status} to reading {name}")),
        }
    }

    /// Signs and sends one request for `resource` (`/bucket/key`).
    async fn send(
        &self,
        method: hyper::Method,
        resource: &str,
        body: Bytes,
        content_type: Option<&str>,
    ) -> Result<outbound::Answer, String> {
        let target = outbound::target(&self.endpoint)?;
        let default_port = if target.tls { 443 } else { 80 };
        let host = if target.port == default_port {
            target.host.clone()
        } else {
            format!("{}:{}", target.host, target.port)
        };
        let base_path = target.path.trim_end_matches('/');
        let path = format!("{base_path}{resource}");
        let extra: Vec<(&'static str, String)> = content_type
            .map(|t| ("content-type", t.to_owned()))
            .into_iter()
            .collect();
        let signed = self.sign(
            method.as_str(),
            &host,
            &path,
            &body,
            &extra,
            &DateTime::from_timestamp(ponder_core::time::now()),
        );
        let url = format!("{}{resource}", self.endpoint);
        outbound::send(&Outgoing {
            method,
            url: &url,
            body,
            headers: signed,
            allow_private: true,
            max_response: MAX_OBJECT_BYTES,
        })
        .await
    }

    /// The headers that sign a request (SigV4): the date, the payload's hash, the
    /// content type and token when there are, and `Authorization`.
    fn sign(
        &self,
        method: &str,
        host: &str,
        path: &str,
        body: &[u8],
        extra: &[(&'static str, String)],
        now: &DateTime,
    ) -> Vec<(&'static str, String)> {
        let stamp = now.rfc3339().replace(['-', ':'], "");
        let day = &stamp[..8];
        let payload_hash = hex(&Sha256::digest(body));
        let mut headers: Vec<(&'static str, String)> = extra.to_vec();
        headers.push(("host", host.to_owned()));
        headers.push(("x-amz-content-sha256", payload_hash.clone()));
        headers.push(("x-amz-date", stamp.clone()));
        if let Some(token) = &self.session_token {
            headers.push(("x-amz-security-token", token.clone()));
        }
        headers.sort_by_key(|(name, _)| *name);
        let signed_names: Vec<&str> = headers.iter().map(|(n, _)| *n).collect();
        let signed_names = signed_names.join(";");
        let canonical_headers: String = headers
            .iter()
            .map(|(n, v)| format!("{n}:{}\n", v.trim()))
            .collect();
        let canonical = format!(
            "{method}\n{}\n\n{canonical_headers}\n{signed_names}\n{payload_hash}",
            uri_encode_path(path)
        );
        let scope = format!("{day}/{}/s3/aws4_request", self.region);
        let to_sign = format!(
            "AWS4-HMAC-SHA256\n{stamp}\n{scope}\n{}",
            hex(&Sha256::digest(canonical.as_bytes()))
        );
        let key = [day, &self.region, "s3", "aws4_request"].iter().fold(
            format!("AWS4{}", self.secret_key).into_bytes(),
            |key, part| hmac_sha256(&key, part.as_bytes()).to_vec(),
        );
        let signature = hex(&hmac_sha256(&key, to_sign.as_bytes()));
        // `host` is sent by the client itself; the rest go as they were signed.
        headers.retain(|(n, _)| *n != "host");
        headers.push((
            "authorization",
            format!(
                "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_names}, Signature={signature}",
                self.access_key
            ),
        ));
        headers
    }
}

/// `path` URI-encoded as SigV4 wants it: every byte but unreserved characters and
/// `/` as `%XX`.
fn uri_encode_path(path: &str) -> String {
    path.bytes().fold(String::new(), |mut out, b| {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket() -> Bucket {
        Bucket {
            endpoint: "https://examplebucket.s3.amazonaws.com".into(),
            bucket: "examplebucket".into(),
            prefix: String::new(),
            region: "us-east-1".into(),
            access_key: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            session_token: None,
        }
    }

    /// The GET Object example of Amazon's Signature Version 4 documentation: the
    /// same headers, the same signature.
    #[test]
    fn requests_are_signed_as_signature_version_4_says() {
        let now = DateTime::from_timestamp(1_369_353_600); // 2013-05-24T00:00:00Z
        let headers = bucket().sign(
            "GET",
            "examplebucket.s3.amazonaws.com",
            "/test.txt",
            b"",
            &[("range", "bytes=0-9".to_owned())],
            &now,
        );
        let get = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        assert_eq!(get("x-amz-date"), "20130524T000000Z");
        assert_eq!(
            get("x-amz-content-sha256"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            get("authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
        // The documented signing key for that day, region and service.
        let key = ["20130524", "us-east-1", "s3", "aws4_request"].iter().fold(
            b"AWS4wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_vec(),
            |key, part| hmac_sha256(&key, part.as_bytes()).to_vec(),
        );
        assert_eq!(
            hex(&key),
            "dbb893acc010964918f1fd433add87c70e8b0db6be30c1fbeafefa5ec6ba8378"
        );
        assert!(!headers.iter().any(|(n, _)| *n == "host"));
    }

    #[test]
    fn paths_are_encoded_and_prefixed() {
        assert_eq!(uri_encode_path("/b/a b+c/ü"), "/b/a%20b%2Bc/%C3%BC");
        let mut with_prefix = bucket();
        with_prefix.prefix = "site/uploads".into();
        assert_eq!(
            with_prefix.path("x.png"),
            "/examplebucket/site/uploads/x.png"
        );
        assert_eq!(bucket().path("x.png"), "/examplebucket/x.png");
        assert!(!format!("{:?}", bucket()).contains("EXAMPLEKEY"));
    }
}
