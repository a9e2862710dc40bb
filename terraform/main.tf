locals {
  target_project_ids = length(var.target_project_ids) > 0 ? var.target_project_ids : [var.project_id]

  # null: every location of the target projects; []: any parent (ALLOWED_PARENTS empty).
  allowed_parents = var.allowed_parents != null ? var.allowed_parents : [
    for p in local.target_project_ids : "projects/${p}/locations/*"
  ]

  source_dir = var.source_dir != null ? var.source_dir : "${path.module}/.."

  # Must match /.gcloudignore (TerraformContractTest checks it): only pom.xml and src/main are
  # uploaded, so editing docs, tests or this module does not rebuild the functions.
  source_excludes = [
    ".gcloudignore",
    ".git",
    ".gitignore",
    ".cifuzz-corpus",
    ".idea",
    ".vscode",
    "*.iml",
    "*.log",
    "target",
    "terraform",
    ".ci",
    "bench",
    "bin",
    "docs",
    "schemas",
    "*.md",
    "src/test",
  ]

  apis = concat(var.audit_bigquery ? ["bigquery.googleapis.com"] : [], [
    "artifactregistry.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "cloudscheduler.googleapis.com",
    "eventarc.googleapis.com",
    "iam.googleapis.com",
    "logging.googleapis.com",
    "pubsub.googleapis.com",
    "run.googleapis.com",
    "storage.googleapis.com",
  ])

  labels = merge({ app = "fusion-cancel" }, var.labels)

  pubsub_service_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"

  # Bucket names allow neither ':' nor (without domain verification) '.', never contain
  # "google" and have at most 63 characters: a domain-scoped project (example.com:p) or a long
  # one gets a hashed name instead.
  bucket_candidate = "${replace(replace(lower(var.project_id), ":", "-"), ".", "-")}-${var.name_prefix}-src"
  source_bucket = (length(local.bucket_candidate) <= 63 && !strcontains(local.bucket_candidate, "google")
    ? local.bucket_candidate
  : "${var.name_prefix}-src-${substr(sha256(var.project_id), 0, 16)}")

  # Data Fusion's quota (datafusion_quota_per_minute, per user and region) is shared by every
  # instance of a function, since all of them run as its one service account; the budget
  # (requests_per_minute, per function) is therefore split evenly between the instances.
  http_requests_per_minute = floor(var.requests_per_minute / var.http_max_instances)
  bulk_requests_per_minute = floor(var.requests_per_minute / var.bulk_max_instances)
}

# Read after the APIs are on: it needs the Cloud Resource Manager API, which a fresh project
# may not have yet (with enable_apis = false, enable it before the first apply, see README).
data "google_project" "this" {
  project_id = var.project_id

  depends_on = [time_sleep.apis]
}

resource "google_project_service" "apis" {
  for_each = toset(var.enable_apis ? local.apis : [])

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

# Enabling an API is eventually consistent: right after it, creating triggers, functions and
# IAM grants fails on fresh projects ("Permission denied while using the Eventarc Service
# Agent", a service agent that "does not exist"). Every resource below depends on this pause,
# directly or through a resource it references (TerraformDeploymentTest checks it). The service
# identities could be forced with google_project_service_identity, but that resource exists only
# in the google-beta provider (the offline schema check shows it absent from google 5.26 and 6.x).
resource "time_sleep" "apis" {
  create_duration = "${var.enable_apis ? var.api_propagation_seconds : 0}s"

  # A newly enabled API waits again.
  triggers = {
    apis = join(",", sort(keys(google_project_service.apis)))
  }

  depends_on = [google_project_service.apis]
}

# ---------------------------------------------------------------------------------------------
# Source: a zip of pom.xml + src/main whose object name carries its hash, so a code change
# creates a new object and therefore a new build and revision.
# ---------------------------------------------------------------------------------------------

data "archive_file" "source" {
  type             = "zip"
  source_dir       = local.source_dir
  output_path      = "${path.module}/.build/fusion-cancel-source.zip"
  output_file_mode = "0644"
  excludes         = local.source_excludes
}

resource "google_storage_bucket" "source" {
  project                     = var.project_id
  name                        = local.source_bucket
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  # Holds nothing but build inputs, which Cloud Functions copies at deploy time.
  force_destroy = true
  labels        = local.labels

  depends_on = [time_sleep.apis]
}

resource "google_storage_bucket_object" "source" {
  bucket = google_storage_bucket.source.name
  name   = "source-${data.archive_file.source.output_md5}.zip"
  source = data.archive_file.source.output_path
}

# ---------------------------------------------------------------------------------------------
# Functions
# ---------------------------------------------------------------------------------------------

resource "google_cloudfunctions2_function" "http" {
  project     = var.project_id
  location    = var.region
  name        = "${var.name_prefix}-http"
  description = "Cancels one Data Fusion operation and answers what really happened."
  labels      = local.labels

  build_config {
    runtime         = var.runtime
    entry_point     = "dev.fusioncancel.functions.CancelHttpFunction"
    service_account = local.build_service_account_id

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    service_account_email          = google_service_account.http.email
    available_memory               = var.memory
    available_cpu                  = var.available_cpu
    timeout_seconds                = var.http_timeout_seconds
    min_instance_count             = 0
    max_instance_count             = var.http_max_instances
    ingress_settings               = var.http_ingress_settings
    all_traffic_on_latest_revision = true

    environment_variables = {
      DATAFUSION_ENDPOINT    = var.datafusion_endpoint
      DATAFUSION_API_VERSION = var.datafusion_api_version
      ALLOWED_PARENTS        = join(",", local.allowed_parents)
      OUTCOME_TOPIC          = var.http_outcome_events ? google_pubsub_topic.outcomes.id : ""
      REQUESTS_PER_MINUTE    = tostring(local.http_requests_per_minute)
      MAX_WAIT               = var.max_wait
      JAVA_TOOL_OPTIONS      = var.java_tool_options
    }
  }

  lifecycle {
    precondition {
      condition     = var.requests_per_minute <= var.datafusion_quota_per_minute && local.http_requests_per_minute >= var.min_requests_per_minute_per_instance
      error_message = "requests_per_minute (the HTTP function's share of Data Fusion's quota) must not exceed datafusion_quota_per_minute, and split over http_max_instances it must leave each instance at least min_requests_per_minute_per_instance: lower http_max_instances."
    }
  }

  depends_on = [
    time_sleep.apis,
    google_project_iam_member.build,
    google_project_iam_member.target_http,
  ]
}

resource "google_cloudfunctions2_function" "bulk" {
  project     = var.project_id
  location    = var.region
  name        = "${var.name_prefix}-bulk"
  description = "Cancels Data Fusion operations in bulk from Pub/Sub requests and publishes one outcome event each."
  labels      = local.labels

  build_config {
    runtime         = var.runtime
    entry_point     = "dev.fusioncancel.functions.BulkCancelFunction"
    service_account = local.build_service_account_id

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    service_account_email = google_service_account.bulk.email
    available_memory      = var.memory
    available_cpu         = var.available_cpu
    timeout_seconds       = var.bulk_timeout_seconds
    min_instance_count    = 0
    max_instance_count    = var.bulk_max_instances
    # Eventarc's Pub/Sub push counts as internal traffic; nothing else needs to reach it.
    ingress_settings               = "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision = true

    environment_variables = {
      DATAFUSION_ENDPOINT    = var.datafusion_endpoint
      DATAFUSION_API_VERSION = var.datafusion_api_version
      ALLOWED_PARENTS        = join(",", local.allowed_parents)
      OUTCOME_TOPIC          = google_pubsub_topic.outcomes.id
      REQUESTS_PER_MINUTE    = tostring(local.bulk_requests_per_minute)
      MAX_WAIT               = var.max_wait
      # The function plans its run for this timeout (default 540 s); without it a shorter timeout
      # would kill every large run before it could hand the rest to a follow-up.
      JAVA_TOOL_OPTIONS = trimspace(
        "${var.java_tool_options} -Dfusioncancel.bulk.deadline=${var.bulk_timeout_seconds}s"
      )
    }
  }

  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.requests.id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.trigger.email
  }

  lifecycle {
    precondition {
      condition     = var.requests_per_minute <= var.datafusion_quota_per_minute && local.bulk_requests_per_minute >= var.min_requests_per_minute_per_instance
      error_message = "requests_per_minute (the bulk function's share of Data Fusion's quota) must not exceed datafusion_quota_per_minute, and split over bulk_max_instances it must leave each instance at least min_requests_per_minute_per_instance: lower bulk_max_instances."
    }
  }

  depends_on = [
    time_sleep.apis,
    google_project_iam_member.build,
    google_project_iam_member.target_bulk,
    google_service_account_iam_member.trigger_token_creator,
  ]
}
