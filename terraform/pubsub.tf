# ---------------------------------------------------------------------------------------------
# Topics: bulk requests in, outcome events out, and a dead-letter topic for requests that keep
# failing. Every topic that can receive messages nobody is waiting for has a subscription, so
# nothing published is lost.
# ---------------------------------------------------------------------------------------------

resource "google_pubsub_topic" "requests" {
  project = var.project_id
  name    = "${var.name_prefix}-requests"
  labels  = local.labels

  depends_on = [google_project_service.apis]
}

resource "google_pubsub_topic" "outcomes" {
  project = var.project_id
  name    = "${var.name_prefix}-outcomes"
  labels  = local.labels

  depends_on = [google_project_service.apis]
}

resource "google_pubsub_subscription" "outcomes" {
  count = var.create_outcome_subscription ? 1 : 0

  project                    = var.project_id
  name                       = "${var.name_prefix}-outcomes"
  topic                      = google_pubsub_topic.outcomes.id
  labels                     = local.labels
  message_retention_duration = "604800s"
  ack_deadline_seconds       = 60

  expiration_policy {
    ttl = ""
  }
}

resource "google_pubsub_topic" "dead_letter" {
  project = var.project_id
  name    = "${var.name_prefix}-requests-dead-letter"
  labels  = local.labels

  depends_on = [google_project_service.apis]
}

# Dead-lettered requests stay here (7 days) until someone looks at them.
resource "google_pubsub_subscription" "dead_letter" {
  project                    = var.project_id
  name                       = "${var.name_prefix}-requests-dead-letter"
  topic                      = google_pubsub_topic.dead_letter.id
  labels                     = local.labels
  message_retention_duration = "604800s"
  ack_deadline_seconds       = 60

  expiration_policy {
    ttl = ""
  }
}

# Pub/Sub forwards undeliverable messages as its service agent.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  project = var.project_id
  topic   = google_pubsub_topic.dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_service_agent
}

# The bulk trigger's subscription is created and owned by Eventarc, and neither
# google_cloudfunctions2_function nor google_eventarc_trigger can set its dead_letter_policy.
# These commands attach the dead-letter topic to it (and let the Pub/Sub service agent
# acknowledge forwarded messages there). They are idempotent; run them after every apply that
# recreates the trigger, or set attach_dead_letter_with_gcloud = true to have Terraform run them.
locals {
  bulk_trigger = google_cloudfunctions2_function.bulk.event_trigger[0].trigger

  dead_letter_setup_commands = join("\n", [
    "SUB=$(gcloud eventarc triggers describe '${local.bulk_trigger}' --format='value(transport.pubsub.subscription)')",
    "gcloud pubsub subscriptions add-iam-policy-binding \"$SUB\" --member='${local.pubsub_service_agent}' --role=roles/pubsub.subscriber",
    "gcloud pubsub subscriptions update \"$SUB\" --dead-letter-topic='${google_pubsub_topic.dead_letter.id}' --max-delivery-attempts=${var.dead_letter_max_delivery_attempts} --min-retry-delay=10s --max-retry-delay=600s",
  ])
}

resource "terraform_data" "attach_dead_letter" {
  count = var.attach_dead_letter_with_gcloud ? 1 : 0

  triggers_replace = [
    local.bulk_trigger,
    google_pubsub_topic.dead_letter.id,
    var.dead_letter_max_delivery_attempts,
  ]

  provisioner "local-exec" {
    interpreter = ["/bin/sh", "-c"]
    command     = "set -eu\n${local.dead_letter_setup_commands}"
  }

  depends_on = [google_pubsub_topic_iam_member.dead_letter_publisher]
}
