//! What the AWS SDKs do for particular services beyond what their models say, applied to the
//! IR right after lowering. Each customization names its service or operation by shape id, so
//! that nothing else in the generator knows a service by name.

use crate::ir::{Binding, Crate};

/// The S3 service shape.
const S3: &str = "com.amazonaws.s3#AmazonS3";

/// Applies every customization that concerns `krate`'s service.
pub fn apply(krate: &mut Crate) {
    if krate.service.shape_id == S3 {
        s3(krate);
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
                http.uri = if rest.is_empty() || rest.starts_with('?') { format!("/{rest}") } else { rest.to_string() };
            }
        }
        if op.shape_id == "com.amazonaws.s3#GetBucketLocation" {
            op.unwrapped_output = true;
        }
    }
}
