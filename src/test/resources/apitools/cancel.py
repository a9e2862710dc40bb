"""Calls operations.cancel through gcloud's generated Data Fusion client (apitools).

Usage: python3 cancel.py SDK_ROOT ENDPOINT_URL OPERATION_NAME [COUNT]
Needs CLOUDSDK_CONFIG pointing at a throwaway config dir (set by the caller).
Prints one line per call: "OK" or "ERROR <status> <message>".
"""
import os
import subprocess
import sys

sdk, endpoint, name = sys.argv[1], sys.argv[2], sys.argv[3]
count = int(sys.argv[4]) if len(sys.argv) > 4 else 1
sys.path[0:0] = [os.path.join(sdk, "lib"), os.path.join(sdk, "lib", "third_party")]

from googlecloudsdk.core import properties  # noqa: E402

properties.VALUES.api_endpoint_overrides.Property("datafusion").Set(endpoint)
properties.VALUES.auth.disable_credentials.Set(True)

from apitools.base.py import exceptions as apitools_exceptions  # noqa: E402
from googlecloudsdk.api_lib.util import apis  # noqa: E402

client = apis.GetClientInstance("datafusion", "v1beta1")
messages = apis.GetMessagesModule("datafusion", "v1beta1")
for _ in range(count):
    try:
        client.projects_locations_operations.Cancel(
            messages.DatafusionProjectsLocationsOperationsCancelRequest(name=name))
        print("OK", flush=True)
    except apitools_exceptions.HttpError as e:
        print("ERROR", e.status_code, e.content[:200], flush=True)
