//! Our SigV4 signer against aws-sigv4, the AWS SDK's own, on random requests: methods, paths
//! with encoded and dot segments, repeated and unsorted query parameters, repeated headers with
//! runs of spaces, bodies, temporary credentials, dates. Every `Authorization` header must be
//! the same byte for byte. (botocore checks a second, independent implementation: botocore.rs.)

use std::time::{Duration, SystemTime};

use awsgen_runtime::client::sign_request;
use awsgen_runtime::Credentials;
use proptest::prelude::*;

/// aws-sigv4's `Authorization` for `request`, with the settings our clients use: the default
/// ones, `content-length` left unsigned.
fn aws_sigv4_authorization(
    request: &http::Request<Vec<u8>>,
    credentials: &Credentials,
    secret: &str,
    token: Option<&str>,
    region: &str,
    service: &str,
    time: SystemTime,
) -> String {
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
    use aws_sigv4::sign::v4;
    let identity = aws_credential_types::Credentials::new(
        credentials.access_key_id(),
        secret,
        token.map(str::to_string),
        None,
        "test",
    )
    .into();
    let mut settings = SigningSettings::default();
    settings.excluded_headers.get_or_insert_with(Vec::new).push("content-length".into());
    let params =
        v4::SigningParams::builder().identity(&identity).region(region).name(service).time(time).settings(settings);
    let params = params.build().unwrap().into();
    let mut out = request.clone();
    // The Host header a client sends: no port when it is the scheme's default.
    let host = out.uri().authority().unwrap().as_str().trim_end_matches(":443").to_string();
    out.headers_mut().insert("host", host.parse().unwrap());
    let headers: Vec<(&str, &str)> = out.headers().iter().map(|(k, v)| (k.as_str(), v.to_str().unwrap())).collect();
    let uri = out.uri().to_string();
    let signable =
        SignableRequest::new(out.method().as_str(), &uri, headers.into_iter(), SignableBody::Bytes(out.body()))
            .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut signed = out.clone();
    instructions.apply_to_request_http1x(&mut signed);
    signed.headers()["authorization"].to_str().unwrap().to_string()
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9._~-]{1,8}",
        Just(".".to_string()),
        Just("..".to_string()),
        Just(String::new()),
        "[ a-z/%+]{1,6}"
            .prop_map(|s| percent_encoding::utf8_percent_encode(&s, percent_encoding::NON_ALPHANUMERIC).to_string()),
        "\\PC{1,3}"
            .prop_map(|s| percent_encoding::utf8_percent_encode(&s, percent_encoding::NON_ALPHANUMERIC).to_string()),
    ]
}

fn query_part() -> impl Strategy<Value = String> {
    ("[a-zA-Z0-9 _.~+&=/-]{0,6}", prop::option::of("\\PC{0,6}")).prop_map(|(k, v)| {
        let enc = |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
        match v {
            Some(v) => format!("{}={}", enc(&k), enc(&v)),
            None => enc(&k),
        }
    })
}

fn header() -> impl Strategy<Value = (String, String)> {
    (
        prop_oneof![
            Just("content-type".to_string()),
            Just("x-amz-target".to_string()),
            Just("x-amz-meta-a".to_string()),
            Just("user-agent".to_string()),
            Just("content-length".to_string()),
            Just("x-amzn-trace-id".to_string()),
            "x-custom-[a-z]{1,5}",
        ],
        "[ a-zA-Z0-9;=/.,:-]{0,12}",
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn our_signatures_are_aws_sigv4s(
        method in prop_oneof![Just("GET"), Just("POST"), Just("PUT"), Just("DELETE"), Just("PATCH")],
        segments in prop::collection::vec(segment(), 0..5),
        trailing_slash in any::<bool>(),
        query in prop::collection::vec(query_part(), 0..5),
        headers in prop::collection::vec(header(), 0..6),
        body in prop::collection::vec(any::<u8>(), 0..200),
        token in prop::option::of("[A-Za-z0-9/+=]{8,40}"),
        port in prop_oneof![Just(None), Just(Some(443u16)), Just(Some(8443u16))],
        region in prop_oneof![Just("us-east-1"), Just("eu-central-1"), Just("cn-north-1")],
        service in prop_oneof![Just("appflow"), Just("execute-api"), Just("dynamodb")],
        seconds in 0u64..4_000_000_000,
    ) {
        let mut path = String::new();
        for s in &segments {
            path.push('/');
            path.push_str(s);
        }
        if trailing_slash || path.is_empty() {
            path.push('/');
        }
        let authority = match port {
            Some(p) => format!("appflow.example.com:{p}"),
            None => "appflow.example.com".to_string(),
        };
        let query = if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) };
        let mut builder = http::Request::builder().method(method).uri(format!("https://{authority}{path}{query}"));
        for (name, value) in &headers {
            builder = builder.header(name, value);
        }
        let request = builder.body(body).unwrap();
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        let credentials = Credentials::new("AKIDEXAMPLE", secret, token.clone());
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(seconds);

        let ours = sign_request(&request, &credentials, region, service, time).unwrap();
        let theirs = aws_sigv4_authorization(&request, &credentials, secret, token.as_deref(), region, service, time);
        prop_assert_eq!(ours.headers()["authorization"].to_str().unwrap(), theirs.as_str());
    }
}
