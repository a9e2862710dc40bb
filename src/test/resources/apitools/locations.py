"""Lists a project's locations through gcloud's generated Data Fusion client (apitools).

Usage: python3 locations.py SDK_ROOT ENDPOINT_URL PROJECT PAGE_SIZE
Needs CLOUDSDK_CONFIG pointing at a throwaway config dir (set by the caller).
Reads every page the way gcloud's list commands do (list_pager.YieldFromList) and prints one
line per location, "LOCATION <name> <locationId> <labels> <metadata @type or ->", then "OK",
or "ERROR <status> <message>".
"""
import os
import sys

sdk, endpoint, project, page_size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sys.path[0:0] = [os.path.join(sdk, "lib"), os.path.join(sdk, "lib", "third_party")]

from googlecloudsdk.core import properties  # noqa: E402

properties.VALUES.api_endpoint_overrides.Property("datafusion").Set(endpoint)
properties.VALUES.auth.disable_credentials.Set(True)

from apitools.base.py import exceptions as apitools_exceptions  # noqa: E402
from apitools.base.py import list_pager  # noqa: E402
from googlecloudsdk.api_lib.util import apis  # noqa: E402

client = apis.GetClientInstance("datafusion", "v1beta1")
messages = apis.GetMessagesModule("datafusion", "v1beta1")
request = messages.DatafusionProjectsLocationsListRequest(name="projects/" + project)
try:
    for location in list_pager.YieldFromList(
            client.projects_locations, request, field="locations",
            batch_size=page_size, batch_size_attribute="pageSize"):
        labels = ",".join(
            p.key + "=" + p.value
            for p in (location.labels.additionalProperties if location.labels else []))
        meta_type = "-"
        if location.metadata:
            for p in location.metadata.additionalProperties:
                if p.key == "@type":
                    meta_type = p.value.string_value
        print("LOCATION", location.name, location.locationId, labels or "-", meta_type, flush=True)
    print("OK", flush=True)
except apitools_exceptions.HttpError as e:
    print("ERROR", e.status_code, e.content[:200], flush=True)
