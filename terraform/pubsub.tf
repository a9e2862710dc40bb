# ---------------------------------------------------------------------------------------------
# Topics: bulk requests in, outcome events out, and a dead-letter topic for requests that keep
# failing. Every topic that can receive messages nobody is waiting for has a subscription, so
# nothing published is lost.
# ---------------------------------------------------------------------------------------------

resource "google_pubsub_topic" "requests" {
  project = var.project_id
  name    = "${var.name_prefix}-requests"
  labels  = local.labels

  depends_on = [time_sleep.apis]
}

# The outcome and summary events' schema, kept in the repository and checked against every event
# the functions publish in the integration tests (OutcomeSchema). Pub/Sub rejects a message that
# does not match, so fields are only ever added. The name carries the file's MD5, so a changed
# schema is created before the topic moves to it and the old one is deleted.
locals {
  outcome_schema_definition = file("${path.module}/../schemas/outcome-event.proto")
}

resource "google_pubsub_schema" "outcome_event" {
  count = var.outcome_schema || var.audit_bigquery ? 1 : 0

  project    = var.project_id
  name       = "${var.name_prefix}-outcome-event-${filemd5("${path.module}/../schemas/outcome-event.proto")}"
  type       = "PROTOCOL_BUFFER"
  definition = local.outcome_schema_definition

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [time_sleep.apis]
}

resource "google_pubsub_topic" "outcomes" {
  project = var.project_id
  name    = "${var.name_prefix}-outcomes"
  labels  = local.labels

  dynamic "schema_settings" {
    for_each = google_pubsub_schema.outcome_event
    content {
      schema   = schema_settings.value.id
      encoding = "JSON"
    }
  }

  depends_on = [time_sleep.apis]
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

  depends_on = [time_sleep.apis]
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
# google_cloudfunctions2_function nor google_eventarc_trigger can set its dead_letter_policy (nor
# name it: there is no data source for it). These commands attach the dead-letter topic to it, let
# the Pub/Sub service agent acknowledge forwarded messages there, and check the result. They stop
# at the first failure and on an empty lookup. They are idempotent.
locals {
  bulk_trigger = google_cloudfunctions2_function.bulk.event_trigger[0].trigger

  dead_letter_setup_commands = join("\n", [
    "set -eu",
    "SUB=$(gcloud eventarc triggers describe '${local.bulk_trigger}' --location='${var.region}' --project='${var.project_id}' --format='value(transport.pubsub.subscription)')",
    "if [ -z \"$SUB\" ]; then echo 'fusion-cancel: trigger ${local.bulk_trigger} has no Pub/Sub subscription (yet); nothing attached' >&2; exit 1; fi",
    "gcloud pubsub subscriptions add-iam-policy-binding \"$SUB\" --member='${local.pubsub_service_agent}' --role=roles/pubsub.subscriber --format=none",
    "gcloud pubsub subscriptions update \"$SUB\" --dead-letter-topic='${google_pubsub_topic.dead_letter.id}' --max-delivery-attempts=${var.dead_letter_max_delivery_attempts} --min-retry-delay=10s --max-retry-delay=600s",
    "test \"$(gcloud pubsub subscriptions describe \"$SUB\" --format='value(deadLetterPolicy.deadLetterTopic)')\" = '${google_pubsub_topic.dead_letter.id}'",
  ])
}

# Re-run whenever anything about the trigger changes: a recreated trigger has a new name and a
# new subscription without the policy, and an updated one may have been rewritten by Eventarc.
# The dead-letter subscription and the service agent's publisher grant exist first, so nothing
# forwarded is lost in between.
resource "terraform_data" "attach_dead_letter" {
  count = var.attach_dead_letter_with_gcloud ? 1 : 0

  triggers_replace = [
    jsonencode(google_cloudfunctions2_function.bulk.event_trigger),
    google_pubsub_topic.dead_letter.id,
    google_pubsub_subscription.dead_letter.id,
    var.dead_letter_max_delivery_attempts,
  ]

  # gcloud acts as the identity Terraform applies with (its access token, through a private
  # temporary file: gcloud reads tokens from a file only), so no separate gcloud login is needed.
  provisioner "local-exec" {
    interpreter = ["/bin/sh", "-c"]
    command = join("\n", [
      "set -eu",
      "umask 077",
      "CLOUDSDK_AUTH_ACCESS_TOKEN_FILE=$(mktemp)",
      "export CLOUDSDK_AUTH_ACCESS_TOKEN_FILE",
      "trap 'rm -f \"$CLOUDSDK_AUTH_ACCESS_TOKEN_FILE\"' EXIT",
      "printf '%s' \"$FUSION_CANCEL_ACCESS_TOKEN\" > \"$CLOUDSDK_AUTH_ACCESS_TOKEN_FILE\"",
      local.dead_letter_setup_commands,
    ])
    environment = {
      FUSION_CANCEL_ACCESS_TOKEN = data.google_client_config.current.access_token
      CLOUDSDK_CORE_PROJECT      = var.project_id
    }
  }

  depends_on = [
    google_pubsub_subscription.dead_letter,
    google_pubsub_topic_iam_member.dead_letter_publisher,
  ]
}

data "google_client_config" "current" {}
