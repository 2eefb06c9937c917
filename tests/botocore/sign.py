"""Serialize and sign an AppFlow request with botocore, the official Python AWS SDK core.

Reads one JSON object on stdin: operation, params, region, endpoint, credentials, time (epoch
seconds) and `ours` (the request our client signed: method, url, headers, body). Prints what
botocore makes of it: its own request (body, authorization, canonical request) and the
canonical request botocore computes for ours.
"""

import datetime
import json
import sys
from unittest import mock

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.serialize
import botocore.session

job = json.load(sys.stdin)
session = botocore.session.get_session()
model = session.get_service_model("appflow")
operation = model.operation_model(job["operation"])
serializer = botocore.serialize.create_serializer(model.metadata["protocol"], include_validation=True)
req = serializer.serialize_to_request(job["params"], operation)

body = req["body"]
if isinstance(body, str):
    body = body.encode()
url = job["endpoint"] + req["url_path"]
creds = botocore.credentials.Credentials(job["access_key"], job["secret_key"], job.get("token"))
signer = botocore.auth.SigV4Auth(creds, "appflow", job["region"])
now = datetime.datetime.fromtimestamp(job["time"], datetime.timezone.utc)



def sign(request):
    """Signs at the frozen time; returns the Authorization header and the canonical request."""
    with mock.patch("botocore.auth.get_current_datetime", return_value=now):
        signer.add_auth(request)
    authorization = request.headers["Authorization"]
    del request.headers["Authorization"]
    return authorization, signer.canonical_request(request)


# botocore's own request for the params.
theirs = botocore.awsrequest.AWSRequest(method=req["method"], url=url, data=body, headers=dict(req["headers"]))
their_auth, their_canonical = sign(theirs)

# Our request, exactly as we sent it (minus what we did not sign), signed by botocore.
ours = job["ours"]
signed = [h.strip() for h in ours["signed_headers"].split(";")]
keep = {k: v for k, v in ours["headers"].items() if k.lower() in signed and k.lower() not in ("x-amz-date", "x-amz-security-token")}
mine = botocore.awsrequest.AWSRequest(method=ours["method"], url=ours["url"], data=ours["body"].encode(), headers=keep)
our_auth, our_canonical = sign(mine)

json.dump(
    {
        "body": body.decode(),
        "authorization": their_auth,
        "canonical": their_canonical,
        "authorization_of_ours": our_auth,
        "canonical_of_ours": our_canonical,
    },
    sys.stdout,
)
