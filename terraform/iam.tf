# ---------------------------------------------------------------------------------------------
# Identities: one runtime service account per function, one for the Eventarc trigger and
# (unless given) one for Cloud Build. Every grant below is on a single resource except the
# build roles, which Cloud Build needs project-wide (its Artifact Registry repository and the
# copied source bucket are created by Cloud Functions).
# ---------------------------------------------------------------------------------------------

resource "google_service_account" "http" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-http"
  display_name = "fusion-cancel HTTP function runtime"

  depends_on = [time_sleep.apis]
}

resource "google_service_account" "bulk" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-bulk"
  display_name = "fusion-cancel bulk function runtime"

  depends_on = [time_sleep.apis]
}

resource "google_service_account" "trigger" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-trigger"
  display_name = "fusion-cancel Eventarc trigger (invokes the bulk function)"

  depends_on = [time_sleep.apis]
}

resource "google_service_account" "build" {
  count = var.build_service_account_email == null ? 1 : 0

  project      = var.project_id
  account_id   = "${var.name_prefix}-build"
  display_name = "fusion-cancel Cloud Build"

  depends_on = [time_sleep.apis]
}

locals {
  build_service_account_email = coalesce(var.build_service_account_email, one(google_service_account.build[*].email))
  build_service_account_id    = "projects/${var.project_id}/serviceAccounts/${local.build_service_account_email}"

  build_roles = var.build_service_account_email == null ? toset([
    "roles/logging.logWriter",
    "roles/artifactregistry.writer",
    "roles/storage.objectAdmin",
  ]) : toset([])
}

resource "google_project_iam_member" "build" {
  for_each = local.build_roles

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.build[0].email}"
}

# ---------------------------------------------------------------------------------------------
# Data Fusion: exactly cancel, get and list on operations, and list on locations (for the bulk
# function's projects/P/locations/- parents), in every target project.
# ---------------------------------------------------------------------------------------------

# Custom roles are soft-deleted: for 7 to 37 days after `terraform destroy` their ID cannot be
# used again, and a role made by README's gcloud path (fusionCancelOperator) already exists. The
# role ID therefore ends in the time this deployment first created it (custom_role_id_20261201223000),
# fixed for the life of the state and new after a destroy, so neither case can collide.
resource "time_static" "custom_role" {}

locals {
  custom_role_id = "${var.custom_role_id}_${formatdate("YYYYMMDDhhmmss", time_static.custom_role.rfc3339)}"
}

resource "google_project_iam_custom_role" "operator" {
  for_each = toset(local.target_project_ids)

  project     = each.value
  role_id     = local.custom_role_id
  title       = "fusion-cancel operator"
  description = "Cancel, get and list Data Fusion operations and list its locations; nothing else."
  permissions = [
    "datafusion.operations.cancel",
    "datafusion.operations.get",
    "datafusion.operations.list",
    "datafusion.locations.list",
  ]

  # A new role ID (after an upgrade from an unsuffixed one) is created and granted before the old
  # one goes, so the functions never lose their permissions in between.
  lifecycle {
    create_before_destroy = true
  }

  depends_on = [time_sleep.apis]
}

resource "google_project_iam_member" "target_http" {
  for_each = google_project_iam_custom_role.operator

  lifecycle {
    create_before_destroy = true
  }

  project = each.key
  role    = each.value.id
  member  = "serviceAccount:${google_service_account.http.email}"
}

resource "google_project_iam_member" "target_bulk" {
  for_each = google_project_iam_custom_role.operator

  lifecycle {
    create_before_destroy = true
  }

  project = each.key
  role    = each.value.id
  member  = "serviceAccount:${google_service_account.bulk.email}"
}

# ---------------------------------------------------------------------------------------------
# Who may call what.
# ---------------------------------------------------------------------------------------------

# For 2nd gen functions the Cloud Run service checks the caller, so run.invoker is granted there.
resource "google_cloud_run_service_iam_member" "http_invokers" {
  for_each = toset(var.http_invoker_members)

  project  = var.project_id
  location = var.region
  service  = google_cloudfunctions2_function.http.name
  role     = "roles/run.invoker"
  member   = each.value
}

resource "google_cloud_run_service_iam_member" "bulk_trigger_invoker" {
  project  = var.project_id
  location = var.region
  service  = google_cloudfunctions2_function.bulk.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.trigger.email}"
}

# The Pub/Sub service agent mints the OIDC token Eventarc's push carries. Projects created before
# April 2021 lack this grant project-wide; it is given here on the trigger account only.
resource "google_service_account_iam_member" "trigger_token_creator" {
  service_account_id = google_service_account.trigger.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_service_agent

  depends_on = [time_sleep.apis]
}

# Topic-level publisher grants only; never project-wide.
resource "google_pubsub_topic_iam_member" "bulk_publishes_outcomes" {
  project = var.project_id
  topic   = google_pubsub_topic.outcomes.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.bulk.email}"
}

# Work that does not fit in one run continues in a follow-up message on the request topic.
resource "google_pubsub_topic_iam_member" "bulk_publishes_follow_ups" {
  project = var.project_id
  topic   = google_pubsub_topic.requests.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.bulk.email}"
}

resource "google_pubsub_topic_iam_member" "http_publishes_outcomes" {
  count = var.http_outcome_events ? 1 : 0

  project = var.project_id
  topic   = google_pubsub_topic.outcomes.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${google_service_account.http.email}"
}

resource "google_pubsub_topic_iam_member" "request_publishers" {
  for_each = toset(var.request_publisher_members)

  project = var.project_id
  topic   = google_pubsub_topic.requests.name
  role    = "roles/pubsub.publisher"
  member  = each.value
}
