# ---------------------------------------------------------------------------------------------
# Optional audit trail (audit_bigquery = true): every outcome and summary event, as Pub/Sub
# validated it against the topic's schema, lands in one BigQuery table (a BigQuery subscription,
# no code of ours in between), partitioned by publish time. README shows the query.
# ---------------------------------------------------------------------------------------------

resource "google_bigquery_dataset" "audit" {
  count = var.audit_bigquery ? 1 : 0

  project     = var.project_id
  dataset_id  = var.audit_dataset_id
  location    = coalesce(var.audit_location, var.region)
  description = "fusion-cancel: every outcome and summary event"
  labels      = local.labels

  depends_on = [time_sleep.apis]
}

resource "google_bigquery_table" "outcomes" {
  count = var.audit_bigquery ? 1 : 0

  project     = var.project_id
  dataset_id  = google_bigquery_dataset.audit[0].dataset_id
  table_id    = "outcome_events"
  description = "One row per event published to the outcome topic (columns: schemas/outcome-event.proto, plus Pub/Sub metadata)."
  labels      = local.labels
  # Checked against the .proto by OutcomeSchemaTest.
  schema              = file("${path.module}/../schemas/outcome-event.bigquery.json")
  deletion_protection = true

  time_partitioning {
    type  = "DAY"
    field = "publish_time"
  }
}

# The Pub/Sub service agent writes the rows.
resource "google_bigquery_table_iam_member" "pubsub_writes_outcomes" {
  count = var.audit_bigquery ? 1 : 0

  project    = var.project_id
  dataset_id = google_bigquery_table.outcomes[0].dataset_id
  table_id   = google_bigquery_table.outcomes[0].table_id
  role       = "roles/bigquery.dataEditor"
  member     = local.pubsub_service_agent
}

resource "google_pubsub_subscription" "audit" {
  count = var.audit_bigquery ? 1 : 0

  project = var.project_id
  name    = "${var.name_prefix}-outcomes-bigquery"
  topic   = google_pubsub_topic.outcomes.id
  labels  = local.labels

  bigquery_config {
    table               = "${google_bigquery_table.outcomes[0].project}.${google_bigquery_table.outcomes[0].dataset_id}.${google_bigquery_table.outcomes[0].table_id}"
    use_topic_schema    = true
    write_metadata      = true
    drop_unknown_fields = false
  }

  # No dead-letter policy: a row BigQuery refuses stays in this subscription's backlog (7 days),
  # retried, and visible in its metrics, rather than mixed into the request dead letters.
  message_retention_duration = "604800s"

  expiration_policy {
    ttl = ""
  }

  depends_on = [google_bigquery_table_iam_member.pubsub_writes_outcomes]
}
