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
    "*.md",
    "src/test",
  ]

  apis = [
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
  ]

  labels = merge({ app = "fusion-cancel" }, var.labels)

  pubsub_service_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

data "google_project" "this" {
  project_id = var.project_id
}

resource "google_project_service" "apis" {
  for_each = toset(var.enable_apis ? local.apis : [])

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
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
  name                        = "${var.project_id}-${var.name_prefix}-src"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  # Holds nothing but build inputs, which Cloud Functions copies at deploy time.
  force_destroy = true
  labels        = local.labels

  depends_on = [google_project_service.apis]
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
      REQUESTS_PER_MINUTE    = tostring(var.requests_per_minute)
      MAX_WAIT               = var.max_wait
      JAVA_TOOL_OPTIONS      = var.java_tool_options
    }
  }

  depends_on = [
    google_project_service.apis,
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
      REQUESTS_PER_MINUTE    = tostring(var.requests_per_minute)
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

  depends_on = [
    google_project_service.apis,
    google_project_iam_member.build,
    google_project_iam_member.target_bulk,
    google_service_account_iam_member.trigger_token_creator,
  ]
}
