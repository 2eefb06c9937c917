"""Presign S3 requests with botocore's query-string SigV4 signer (S3SigV4QueryAuth, what
`generate_presigned_url` uses).

Reads a JSON list of jobs on stdin: method, url (the request's URL before presigning), region,
credentials, time (epoch seconds) and expires (seconds). Prints the list of presigned URLs.
"""

import datetime
import json
import sys
from unittest import mock

import botocore.auth
import botocore.awsrequest
import botocore.credentials

out = []
for job in json.load(sys.stdin):
    creds = botocore.credentials.Credentials(job["access_key"], job["secret_key"], job.get("token"))
    signer = botocore.auth.S3SigV4QueryAuth(creds, "s3", job["region"], expires=job["expires"])
    request = botocore.awsrequest.AWSRequest(method=job["method"], url=job["url"])
    now = datetime.datetime.fromtimestamp(job["time"], datetime.timezone.utc)
    with mock.patch("botocore.auth.get_current_datetime", return_value=now):
        signer.add_auth(request)
    out.append(request.prepare().url)
print(json.dumps(out))
