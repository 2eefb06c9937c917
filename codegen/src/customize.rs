//! What the AWS SDKs do for particular services beyond what their models say, applied to the
//! IR right after lowering. Each customization names its service or operation by shape id, so
//! that nothing else in the generator knows a service by name.

use crate::ir::{Binding, Crate};

/// The S3 service shape.
const S3: &str = "com.amazonaws.s3#AmazonS3";
const API_GATEWAY: &str = "com.amazonaws.apigateway#BackplaneControlService";
const GLACIER: &str = "com.amazonaws.glacier#Glacier";
const MACHINE_LEARNING: &str = "com.amazonaws.machinelearning#AmazonML_20141212";

/// Operations the AWS SDKs send unsigned though their model does not say so: STS's role calls
/// that trade a token for credentials, which are made before there are any to sign with.
const SENT_UNSIGNED: [&str; 2] =
    ["com.amazonaws.sts#AssumeRoleWithWebIdentity", "com.amazonaws.sts#AssumeRoleWithSAML"];

/// Applies every customization that concerns `krate`'s service.
pub fn apply(krate: &mut Crate) {
    for op in krate.operations.iter_mut().filter(|o| SENT_UNSIGNED.contains(&o.shape_id.as_str())) {
        op.unsigned = true;
    }
    match krate.service.shape_id.as_str() {
        S3 => s3(krate),
        API_GATEWAY => {
            // API Gateway answers in JSON only when asked to.
            for op in &mut krate.operations {
                op.static_headers.push(("Accept".into(), "application/json".into()));
            }
        }
        GLACIER => glacier(krate),
        MACHINE_LEARNING => {
            // `Predict` goes to the endpoint its input names.
            for op in krate.operations.iter_mut().filter(|o| o.shape_id == "com.amazonaws.machinelearning#Predict") {
                op.endpoint_field =
                    op.input.fields.iter().find(|f| f.member == "PredictEndpoint").map(|f| f.name.clone());
            }
        }
        _ => {}
    }
}

/// Glacier: every request names the API version; an empty `accountId` means the caller's
/// account (`-`); uploads carry the body's SHA-256 and tree hash.
fn glacier(krate: &mut Crate) {
    let version = krate.service.version.clone();
    for op in &mut krate.operations {
        op.static_headers.push(("X-Amz-Glacier-Version".into(), version.clone()));
        if op.input.fields.iter().any(|f| f.member == "accountId" && f.binding == Binding::Label) {
            op.label_defaults.push(("accountId".into(), "-".into()));
        }
        if matches!(op.wire_name.as_str(), "UploadArchive" | "UploadMultipartPart") {
            op.glacier_checksums = true;
        }
    }
}

/// S3: the bucket is not part of the path. The endpoint rules put it in the host
/// (virtual-hosted style) or at the front of the endpoint's path (path style), from the
/// `Bucket` context parameter, so the `{Bucket}` label of each URI is dropped. And
/// `GetBucketLocation` answers with its one member as the whole document.
fn s3(krate: &mut Crate) {
    for op in &mut krate.operations {
        let has_bucket_label = op.input.fields.iter().any(|f| f.member == "Bucket" && f.binding == Binding::Label);
        if let (true, Some(http)) = (has_bucket_label, op.http.as_mut()) {
            if let Some(rest) = http.uri.strip_prefix("/{Bucket}") {
                // A bucket-only URI keeps no path of its own: in path style the endpoint's
                // `/bucket` is the whole path.
                http.uri = rest.to_string();
            }
        }
        if op.shape_id == "com.amazonaws.s3#GetBucketLocation" {
            op.unwrapped_output = true;
        }
    }
}
