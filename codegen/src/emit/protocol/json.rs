//! JSON bodies and the awsJson protocols (awsJson1_0, awsJson1_1): every input member in a
//! JSON body posted to `/`, the operation named in `X-Amz-Target`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{finish, rest, ProtocolGen};
use crate::emit::common::Scope;
use crate::ir::*;

/// The runtime module of JSON bodies.
pub fn runtime() -> TokenStream {
    quote!(::awsgen_runtime::protocol::json)
}

/// The JSON protocols' error-code extraction.
pub fn error_info() -> TokenStream {
    let json = runtime();
    quote!(#json::error_info)
}

/// awsJson1_0 or awsJson1_1.
pub struct AwsJson {
    /// `1.0` or `1.1`: the content type's version.
    pub version: &'static str,
}

impl ProtocolGen for AwsJson {
    fn serialize_request(&self, service: &Service, op: &Operation) -> TokenStream {
        let json = runtime();
        let target = format!("{}.{}", service.shape_name, op.wire_name);
        let ct = format!("application/x-amz-json-{}", self.version);
        let finish = finish(op);
        let query_mode = service.query_compatible.then(|| quote!(req.header("x-amzn-query-mode", "true");));
        quote! {
            let mut req = ::awsgen_runtime::protocol::rest::RequestBuilder::new("POST");
            req.push_path("/");
            req.header("X-Amz-Target", #target);
            #query_mode
            req.body(#ct, #json::to_json(input)?);
            #finish
            req.build()
        }
    }

    fn read_struct(&self, cx: Scope<'_>, s: &StructDef) -> TokenStream {
        // No member is bound outside the body, so this reads the body alone.
        rest::read_struct(cx, s, true, rest::Codec::Json)
    }

    fn error_info(&self) -> TokenStream {
        error_info()
    }
}
