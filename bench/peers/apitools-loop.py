"""Peer: gcloud's generated Data Fusion client (apitools), one cancel + one get at a time.

Usage: python3 apitools-loop.py NAMES_FILE
Needs the Cloud SDK's lib and lib/third_party on sys.path (bench/run sets PYTHONPATH) and a
CLOUDSDK_CONFIG where api_endpoint_overrides/datafusion points at the emulator and
auth/disable_credentials is true. Prints one line: key=value pairs.
"""

import sys
import time

t_import = time.monotonic()
from googlecloudsdk.api_lib.util import apis  # noqa: E402

client = apis.GetClientInstance("datafusion", "v1beta1")
messages = client.MESSAGES_MODULE
setup_s = time.monotonic() - t_import

names = [line.strip() for line in open(sys.argv[1]) if line.strip()]
ok = 0
cancelled = 0
t0 = time.monotonic()
for name in names:
    client.projects_locations_operations.Cancel(
        messages.DatafusionProjectsLocationsOperationsCancelRequest(name=name)
    )
    op = client.projects_locations_operations.Get(
        messages.DatafusionProjectsLocationsOperationsGetRequest(name=name)
    )
    ok += 1
    if op.done and op.error is not None and op.error.code == 1:
        cancelled += 1
loop_s = time.monotonic() - t0
print(f"ops={ok} cancelled={cancelled} loop_s={loop_s:.3f} setup_s={setup_s:.3f}")
