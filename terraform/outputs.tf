output "http_function_uri" {
  description = "URL of the HTTP function (callers need roles/run.invoker and an ID token for this audience)."
  value       = google_cloudfunctions2_function.http.service_config[0].uri
}

output "bulk_function_uri" {
  description = "URL of the bulk function (internal ingress; invoked by its Eventarc trigger only)."
  value       = google_cloudfunctions2_function.bulk.service_config[0].uri
}

output "http_function_name" {
  description = "Full resource name of the HTTP function."
  value       = google_cloudfunctions2_function.http.id
}

output "bulk_function_name" {
  description = "Full resource name of the bulk function."
  value       = google_cloudfunctions2_function.bulk.id
}

output "request_topic" {
  description = "Topic bulk requests are published to (projects/P/topics/T)."
  value       = google_pubsub_topic.requests.id
}

output "outcome_topic" {
  description = "Topic outcome and summary events are published to (the OUTCOME_TOPIC value)."
  value       = google_pubsub_topic.outcomes.id
}

output "outcome_subscription" {
  description = "Pull subscription on the outcome topic, or null when create_outcome_subscription is false."
  value       = one(google_pubsub_subscription.outcomes[*].id)
}

output "dead_letter_topic" {
  description = "Dead-letter topic for bulk requests that keep failing."
  value       = google_pubsub_topic.dead_letter.id
}

output "dead_letter_subscription" {
  description = "Subscription that keeps dead-lettered bulk requests."
  value       = google_pubsub_subscription.dead_letter.id
}

output "bulk_trigger" {
  description = "Eventarc trigger of the bulk function; its Pub/Sub subscription is where the dead-letter policy goes."
  value       = local.bulk_trigger
}

output "audit_table" {
  description = "BigQuery table (project.dataset.table) holding every outcome and summary event, or null unless audit_bigquery."
  value       = one([for t in google_bigquery_table.outcomes : "${t.project}.${t.dataset_id}.${t.table_id}"])
}

output "outcome_schema" {
  description = "Pub/Sub schema attached to the outcome topic, or null when outcome_schema is false."
  value       = one(google_pubsub_schema.outcome_event[*].id)
}

output "dead_letter_setup_commands" {
  description = "gcloud commands that attach the dead-letter topic to the Eventarc subscription; apply runs them unless attach_dead_letter_with_gcloud is false (see terraform/README.md)."
  value       = local.dead_letter_setup_commands
}

output "http_service_account_email" {
  description = "Runtime service account of the HTTP function."
  value       = google_service_account.http.email
}

output "bulk_service_account_email" {
  description = "Runtime service account of the bulk function."
  value       = google_service_account.bulk.email
}

output "trigger_service_account_email" {
  description = "Service account the Eventarc trigger uses to invoke the bulk function."
  value       = google_service_account.trigger.email
}

output "build_service_account_email" {
  description = "Service account Cloud Build uses to build both functions."
  value       = local.build_service_account_email
}

output "custom_role_ids" {
  description = "The custom role in each target project, by project ID."
  value       = { for p, r in google_project_iam_custom_role.operator : p => r.id }
}

output "source_object" {
  description = "Source archive object (its name carries the content hash)."
  value       = "gs://${google_storage_bucket.source.name}/${google_storage_bucket_object.source.name}"
}
